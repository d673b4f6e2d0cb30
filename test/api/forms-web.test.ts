import { beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS, serverFor, type TestServer } from '../helpers';

const SITE = 'https://www.example.com';

const CONTACT_FORM = {
  name: 'Contact us',
  kind: 'web',
  fields: [
    {
      name: 'name',
      label: 'Your name',
      type: 'text',
      required: true,
      target_field: 'leads.last_name',
    },
    { name: 'email', label: 'E-mail', type: 'email', required: true, target_field: 'leads.email' },
    { name: 'company', label: 'Company', type: 'text', target_field: 'leads.company_name' },
    { name: 'message', label: 'Message', type: 'long_text', target_field: 'leads.description' },
  ],
  allowed_origins: [SITE],
  require_consent: true,
  consent_text: 'I agree that my details are kept to answer me.',
  success_message: 'Thanks, we will call you.',
};

let ip = 0;
function nextIp() {
  ip++;
  return `10.1.${Math.floor(ip / 250)}.${(ip % 250) + 1}`;
}

async function post(
  s: TestServer,
  formId: string,
  body: unknown,
  opts: { origin?: string; ip?: string; urlencoded?: boolean } = {},
) {
  const res = await s.app.inject({
    method: 'POST',
    url: `/public/forms/${formId}/submit`,
    remoteAddress: opts.ip ?? nextIp(),
    headers: {
      'content-type': opts.urlencoded ? 'application/x-www-form-urlencoded' : 'application/json',
      ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
    },
    payload: opts.urlencoded
      ? new URLSearchParams(body as Record<string, string>).toString()
      : JSON.stringify(body),
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.headers['content-type']?.toString().includes('json')
      ? JSON.parse(res.body)
      : res.body,
  };
}

describe.each(DIALECTS)('public web forms on %s', (dialect) => {
  const s = serverFor(dialect);
  let formId = '';

  beforeAll(async () => {
    if (!s.kontor) return;
    const res = await s.call('POST', '/api/v1/forms', CONTACT_FORM);
    expect(res.status).toBe(201);
    formId = res.body.id;
  });

  const leadsWith = async (email: string) =>
    (await s.call('GET', `/api/v1/leads?filter[email][eq]=${encodeURIComponent(email)}`)).body.data;
  const submissions = async () =>
    (await s.call('GET', `/api/v1/forms/${formId}/submissions`)).body.data;

  test('creates a lead, keeps the consent and emits forms.web_submitted', async () => {
    const res = await post(
      s,
      formId,
      { name: 'Maria Anders', email: 'maria@alfreds.example', company: 'Alfreds', consent: true },
      { origin: SITE },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ status: 'received', message: 'Thanks, we will call you.' });
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    const [lead] = await leadsWith('maria@alfreds.example');
    expect(lead).toMatchObject({
      last_name: 'Maria Anders',
      company_name: 'Alfreds',
      source: 'website',
    });
    const [sub] = await submissions();
    expect(sub).toMatchObject({
      record_object: 'leads',
      record_id: lead.id,
      consent_text: CONTACT_FORM.consent_text,
      consent_at: s.clock.now().toISOString(),
      values: {
        name: 'Maria Anders',
        email: 'maria@alfreds.example',
        company: 'Alfreds',
        message: null,
      },
    });
    const events = await s.kontor.database.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('type', '=', 'forms.web_submitted')
      .where('record_id', '=', lead.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0].object).toBe('leads');
    expect(JSON.parse(events[0].payload as string)).toEqual({
      changes: {},
      data: { form_id: formId, values: sub.values },
    });
    const audit = await s.kontor.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('record_id', '=', lead.id)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'create', actor_type: 'web_form', actor_id: formId });
  });

  test('matches an existing lead or contact by e-mail whatever its case, and changes it not', async () => {
    await post(s, formId, { name: 'First', email: 'thomas@hardy.example', consent: 'on' });
    const again = await post(s, formId, {
      name: 'Someone Else',
      email: 'Thomas@HARDY.example',
      consent: 'on',
    });
    expect(again.status).toBe(201);
    const leads = await leadsWith('thomas@hardy.example');
    expect(leads).toHaveLength(1);
    expect(leads[0].last_name).toBe('First');
    expect((await submissions())[0]).toMatchObject({
      record_object: 'leads',
      record_id: leads[0].id,
    });

    const contact = (
      await s.call('POST', '/api/v1/contacts', {
        last_name: 'Berglund',
        email: 'christina@berglunds.example',
      })
    ).body;
    await post(s, formId, {
      name: 'Christina',
      email: 'CHRISTINA@berglunds.example',
      consent: 'on',
    });
    expect((await submissions())[0]).toMatchObject({
      record_object: 'contacts',
      record_id: contact.id,
    });
    expect(await leadsWith('christina@berglunds.example')).toEqual([]);
  });

  test('answers a preflight only for an allowed origin, and refuses a post from another', async () => {
    const preflight = (origin: string) =>
      s.app.inject({
        method: 'OPTIONS',
        url: `/public/forms/${formId}/submit`,
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const ok = await preflight(SITE);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(SITE);
    expect(ok.headers['access-control-allow-methods']).toBe('POST');
    const denied = await preflight('https://evil.example');
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();

    const res = await post(
      s,
      formId,
      { name: 'X', email: 'x@evil.example', consent: true },
      { origin: 'https://evil.example' },
    );
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await leadsWith('x@evil.example')).toEqual([]);
  });

  test('a filled honeypot is thanked like anyone and dropped', async () => {
    const before = (await submissions()).length;
    const res = await post(
      s,
      formId,
      { name: 'Bot', email: 'bot@spam.example', consent: true, homepage: 'http://spam.example' },
      { origin: SITE },
    );
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('received');
    expect(await leadsWith('bot@spam.example')).toEqual([]);
    expect(await submissions()).toHaveLength(before);
  });

  test('without consent, and with bad or unknown fields, nothing is created and each problem is named', async () => {
    const res = await post(
      s,
      formId,
      { name: '', email: 'not-an-address', colour: 'red' },
      { origin: SITE },
    );
    expect(res.status).toBe(400);
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.body.errors).toEqual([
      { path: 'colour', message: 'this form has no such field' },
      { path: 'consent', message: 'consent is required to send this form' },
      { path: 'name', message: 'is required' },
      expect.objectContaining({ path: 'email' }),
    ]);
  });

  test('takes a plain urlencoded form and answers with a page', async () => {
    const res = await post(
      s,
      formId,
      { name: 'Plain', email: 'plain@form.example', consent: 'on' },
      { urlencoded: true },
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain('Thanks, we will call you.');
    expect(await leadsWith('plain@form.example')).toHaveLength(1);
  });

  test('limits how often one address may send a form', async () => {
    const from = nextIp();
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await post(
            s,
            formId,
            { name: `N${i}`, email: `n${i}@rate.example`, consent: true },
            { ip: from },
          )
        ).status,
      );
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    expect(await leadsWith('n5@rate.example')).toEqual([]);
  });

  test('serves an embeddable script and shows the snippet to paste', async () => {
    const form = (await s.call('GET', `/api/v1/forms/${formId}`)).body;
    expect(form.embed_snippet).toContain(`/public/forms/${formId}/embed.js`);
    const res = await s.app.inject({ method: 'GET', url: `/public/forms/${formId}/embed.js` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.body).toContain('"honeypot":"homepage"');
    expect(res.body).toContain(`${s.kontor.settings.publicUrl}/public/forms/${formId}/submit`);
  });

  test('a text that would close the script is escaped in it', async () => {
    const form = (
      await s.call('POST', '/api/v1/forms', {
        name: '</script><script>alert(1)</script>',
        kind: 'web',
        fields: [{ name: 'email', label: 'E-mail', type: 'email', target_field: 'leads.email' }],
      })
    ).body;
    const res = await s.app.inject({ method: 'GET', url: `/public/forms/${form.id}/embed.js` });
    expect(res.body).not.toContain('</script>');
  });

  test('a form for tasks, an archived form and an unknown id do not exist publicly', async () => {
    const task = (
      await s.call('POST', '/api/v1/forms', {
        name: 'Task form',
        kind: 'task',
        fields: [{ name: 'a', label: 'A', type: 'text' }],
      })
    ).body;
    expect((await post(s, task.id, { a: 'x' })).status).toBe(404);
    const web = (
      await s.call('POST', '/api/v1/forms', {
        name: 'Old',
        kind: 'web',
        fields: [{ name: 'a', label: 'A', type: 'text' }],
      })
    ).body;
    await s.call('DELETE', `/api/v1/forms/${web.id}`);
    expect((await post(s, web.id, { a: 'x' })).status).toBe(404);
    expect((await post(s, 'nope', { a: 'x' })).status).toBe(404);
  });

  test('a web form writes only to leads and takes no files; origins must be origins', async () => {
    const res = await s.call('POST', '/api/v1/forms', {
      name: 'Bad',
      kind: 'web',
      fields: [
        { name: 'a', label: 'A', type: 'text', target_field: 'deals.name' },
        { name: 'p', label: 'P', type: 'photo' },
      ],
      allowed_origins: ['https://ok.example', 'https://bad.example/path'],
      require_consent: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'fields.0.target_field',
      'fields.1.type',
      'allowed_origins.1',
      'consent_text',
    ]);
  });

  test('only administrators change forms', async () => {
    const rep = await s.keyFor({
      email: 'rep-forms@example.com',
      name: 'Rep',
      role: 'Sales representative',
    });
    const res = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/forms/${formId}`,
      headers: { authorization: `Bearer ${rep.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ allowed_origins: ['https://evil.example'] }),
    });
    expect(res.statusCode).toBe(403);
    const ok = await s.call('PATCH', `/api/v1/forms/${formId}`, { success_message: 'Merci' });
    expect(ok.body).toMatchObject({ success_message: 'Merci', allowed_origins: [SITE] });
  });
});
