import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS, serverFor, type TestServer } from '../helpers';
import { startSmtp } from '../support/smtp';
import { JPEG, multipart, PNG } from '../support/forms';

/** A form for an installation team: what they did, when, photos, the customer's confirmation. */
const INSTALLATION_FORM = {
  name: 'Installation report',
  kind: 'task',
  description: 'Fill this in at the customer once the work is done.',
  fields: [
    {
      name: 'installed_on',
      label: 'Installed on',
      type: 'date',
      required: true,
      target_field: 'deals.expected_close_date',
    },
    { name: 'notes', label: 'Notes', type: 'long_text', target_field: 'deals.description' },
    { name: 'hours', label: 'Hours spent', type: 'number' },
    { name: 'photos', label: 'Photos', type: 'photo', required: true },
    {
      name: 'confirmed',
      label: 'The customer confirmed the work',
      type: 'boolean',
      required: true,
    },
  ],
};

let ip = 0;
/** Each test comes from its own address, so the per-address limit on links never interferes. */
function nextIp() {
  ip++;
  return `10.0.${Math.floor(ip / 250)}.${(ip % 250) + 1}`;
}

async function page(s: TestServer, url: string, remoteAddress = nextIp()) {
  const res = await s.app.inject({ method: 'GET', url, remoteAddress });
  return { status: res.statusCode, body: res.body, headers: res.headers };
}

async function submit(
  s: TestServer,
  url: string,
  fields: Record<string, string>,
  files: Parameters<typeof multipart>[1],
  remoteAddress = nextIp(),
) {
  const body = multipart(fields, files);
  const res = await s.app.inject({
    method: 'POST',
    url,
    headers: body.headers,
    payload: body.payload,
    remoteAddress,
  });
  return { status: res.statusCode, body: res.body };
}

const GOOD = {
  installed_on: '2026-03-05',
  notes: 'Mounted on the north wall',
  hours: '3.5',
  confirmed: 'on',
};
const PHOTO = [{ field: 'photos', name: 'wall.png', type: 'image/png', data: PNG }];

describe.each(DIALECTS)('form links on %s', (dialect) => {
  const s = serverFor(dialect);
  let formId = '';

  beforeAll(async () => {
    if (!s.kontor) return;
    const res = await s.call('POST', '/api/v1/forms', INSTALLATION_FORM);
    expect(res.status).toBe(201);
    formId = res.body.id;
  });

  /** A deal with an installation task and a fresh link to the form. */
  async function setUp(linkBody: Record<string, unknown> = {}) {
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Windows for Alfreds' })).body;
    const task = (
      await s.call('POST', '/api/v1/tasks', {
        title: 'Install the windows',
        related_object: 'deals',
        related_id: deal.id,
      })
    ).body;
    const link = await s.call('POST', `/api/v1/tasks/${task.id}/form-links`, {
      form_id: formId,
      recipient_name: 'Installation team',
      ...linkBody,
    });
    expect(link.status).toBe(201);
    const path = new URL(link.body.url).pathname;
    return { deal, task, link: link.body, path };
  }

  const get = async (object: string, id: string) =>
    (await s.call('GET', `/api/v1/${object}/${id}`)).body;

  test('rejects a definition whose target is missing or of another type, at its path', async () => {
    const bad = await s.call('POST', '/api/v1/forms', {
      name: 'Broken',
      kind: 'task',
      fields: [
        { name: 'when', label: 'When', type: 'date', target_field: 'deals.no_such_field' },
        {
          name: 'count',
          label: 'Count',
          type: 'number',
          target_field: 'deals.expected_close_date',
        },
        {
          name: 'pick',
          label: 'Pick',
          type: 'select',
          options: [{ value: 'x', label: 'X' }],
          target_field: 'tasks.status',
        },
        { name: 'when', label: 'Again', type: 'text' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'fields.0.target_field', message: 'deals has no field "no_such_field"' },
      expect.objectContaining({
        path: 'fields.1.target_field',
        message: expect.stringContaining('takes integer or decimal'),
      }),
      { path: 'fields.2.target_field', message: 'tasks.status has no option "x"' },
      { path: 'fields.3.name', message: '"when" is used twice' },
    ]);
    expect(
      (await s.call('GET', '/api/v1/forms')).body.data.map((f: { name: string }) => f.name),
    ).not.toContain('Broken');
  });

  test('a link submitted once writes the deal, completes the task, keeps the photo and audits it as the recipient', async () => {
    const { deal, task, link, path } = await setUp();
    expect(link).toMatchObject({ state: 'open', recipient_name: 'Installation team' });
    expect(link.url).toBe(`${s.kontor.settings.publicUrl}${path}`);
    expect(link.token).toHaveLength(43);
    // Only the hash of the token is stored.
    const stored = await s.kontor.database.db
      .selectFrom('form_links')
      .selectAll()
      .where('id', '=', link.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(link.token);

    const shown = await page(s, path);
    expect(shown.status).toBe(200);
    expect(shown.headers['content-security-policy']).toContain("default-src 'none'");
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect(shown.headers['set-cookie']).toBeUndefined();
    expect(shown.body).toContain('Installation report');
    expect(shown.body).toContain('Install the windows');
    expect(shown.body).not.toContain('Windows for Alfreds');

    const res = await submit(s, path, GOOD, PHOTO);
    expect(res.status).toBe(200);
    expect(res.body).toContain('Thank you');

    const after = await get('deals', deal.id);
    expect(after).toMatchObject({
      expected_close_date: '2026-03-05',
      description: 'Mounted on the north wall',
    });
    expect(await get('tasks', task.id)).toMatchObject({
      status: 'done',
      completed_at: s.clock.now().toISOString(),
    });

    const files = (await s.call('GET', `/api/v1/deals/${deal.id}/files`)).body.data;
    expect(files).toEqual([
      expect.objectContaining({ name: 'wall.png', mime: 'image/png', created_by: link.id }),
    ]);

    const audit = await s.kontor.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('record_id', 'in', [deal.id, task.id])
      .where('action', '=', 'update')
      .execute();
    expect(audit).toHaveLength(2);
    for (const a of audit)
      expect(a).toMatchObject({
        actor_type: 'form_link',
        actor_id: link.id,
        at: s.clock.now().toISOString(),
      });

    const links = (await s.call('GET', `/api/v1/tasks/${task.id}/form-links`)).body.data;
    expect(links[0]).toMatchObject({
      id: link.id,
      state: 'used',
      form_name: 'Installation report',
    });
    expect(links[0].submission.values).toEqual({
      installed_on: '2026-03-05',
      notes: 'Mounted on the north wall',
      hours: '3.5',
      confirmed: true,
      photos: [files[0].id],
    });

    const events = await s.kontor.database.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('type', '=', 'forms.link_submitted')
      .where('record_id', '=', task.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].payload as string)).toEqual({
      changes: {},
      data: { form_id: formId, link_id: link.id, values: links[0].submission.values },
    });
  });

  test('a second use gets a clear page and changes nothing', async () => {
    const { deal, path } = await setUp();
    expect((await submit(s, path, GOOD, PHOTO)).status).toBe(200);
    const before = await get('deals', deal.id);
    const again = await submit(s, path, { ...GOOD, notes: 'Overwritten' }, PHOTO);
    expect(again.status).toBe(410);
    expect(again.body).toContain('already been sent');
    expect((await page(s, path)).status).toBe(410);
    expect(await get('deals', deal.id)).toEqual(before);
  });

  test('an expired link gets a clear page and changes nothing', async () => {
    const { deal, task, path } = await setUp({
      expires_at: new Date(s.clock.now().getTime() + 3600_000).toISOString(),
    });
    s.clock.advance(3600_000);
    const shown = await page(s, path);
    expect(shown.status).toBe(410);
    expect(shown.body).toContain('expired');
    expect((await submit(s, path, GOOD, PHOTO)).status).toBe(410);
    expect((await get('tasks', task.id)).status).toBe('open');
    expect((await get('deals', deal.id)).description).toBeNull();
  });

  test('a revoked link gets a clear page and changes nothing; a used one cannot be revoked', async () => {
    const { task, link, path } = await setUp();
    const revoked = await s.call('POST', `/api/v1/forms/links/${link.id}/revoke`);
    expect(revoked.body).toMatchObject({ state: 'revoked' });
    const res = await submit(s, path, GOOD, PHOTO);
    expect(res.status).toBe(410);
    expect(res.body).toContain('withdrawn');
    expect((await get('tasks', task.id)).status).toBe('open');

    const used = await setUp();
    await submit(s, used.path, GOOD, PHOTO);
    expect((await s.call('POST', `/api/v1/forms/links/${used.link.id}/revoke`)).status).toBe(409);
  });

  test('a tampered or unknown token gets a clear page', async () => {
    const { task, path } = await setUp();
    const token = path.slice(3);
    const tampered = `/f/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const url of [tampered, '/f/short', `/f/${'x'.repeat(43)}`, `${path}%00`]) {
      const res = await page(s, url);
      expect(res.status).toBe(404);
      expect(res.body).toContain('This link is not valid');
    }
    expect((await submit(s, tampered, GOOD, PHOTO)).status).toBe(404);
    expect((await get('tasks', task.id)).status).toBe('open');
  });

  test('two submissions at the same moment: exactly one wins', async () => {
    const { task, path } = await setUp();
    const results = await Promise.all([
      submit(s, path, { ...GOOD, notes: 'first' }, PHOTO),
      submit(s, path, { ...GOOD, notes: 'second' }, PHOTO),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    const subs = await s.kontor.database.db
      .selectFrom('form_submissions')
      .select('id')
      .where('task_id', '=', task.id)
      .execute();
    expect(subs).toHaveLength(1);
  });

  test('a photo whose content is not an image is refused and the link stays usable', async () => {
    const { deal, task, path } = await setUp();
    const fake = [
      {
        field: 'photos',
        name: 'wall.jpg',
        type: 'image/jpeg',
        data: Buffer.from('#!/bin/sh\necho not a photo'),
      },
    ];
    const res = await submit(s, path, GOOD, fake);
    expect(res.status).toBe(400);
    expect(res.body).toContain('is not a JPEG, PNG, WEBP, HEIC file');
    // What was typed is kept for the second try.
    expect(res.body).toContain('Mounted on the north wall');
    expect((await get('tasks', task.id)).status).toBe('open');
    expect((await s.call('GET', `/api/v1/deals/${deal.id}/files`)).body.data).toEqual([]);
    const jpeg = [{ field: 'photos', name: 'wall.jpg', type: 'image/jpeg', data: JPEG }];
    expect((await submit(s, path, GOOD, jpeg)).status).toBe(200);
  });

  test('missing and malformed values are shown at their fields', async () => {
    const { task, path } = await setUp();
    const res = await submit(s, path, { installed_on: '2026-02-30', hours: 'three' }, []);
    expect(res.status).toBe(400);
    expect(res.body).toContain('must be a date like 2026-03-31');
    expect(res.body).toMatch(/id="e-hours">[^<]+</);
    expect(res.body).toMatch(/id="e-photos">add at least one file</);
    expect(res.body).toMatch(/id="e-confirmed">must be ticked</);
    expect((await get('tasks', task.id)).status).toBe('open');
  });

  test('everything a page shows is escaped', async () => {
    const form = await s.call('POST', '/api/v1/forms', {
      name: '<script>alert(1)</script>',
      kind: 'task',
      fields: [{ name: 'note', label: '"><img src=x onerror=alert(2)>', type: 'text' }],
    });
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'X' })).body;
    const task = (
      await s.call('POST', '/api/v1/tasks', {
        title: '<b>bold</b>',
        related_object: 'deals',
        related_id: deal.id,
      })
    ).body;
    const link = (
      await s.call('POST', `/api/v1/tasks/${task.id}/form-links`, { form_id: form.body.id })
    ).body;
    const shown = await page(s, new URL(link.url).pathname);
    expect(shown.body).not.toContain('<script>alert');
    expect(shown.body).not.toContain('<img src=x');
    expect(shown.body).not.toContain('<b>bold');
    expect(shown.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('a link cannot write into a record its task does not belong to, nor be made by someone who may not change the task', async () => {
    const task = (await s.call('POST', '/api/v1/tasks', { title: 'Loose task' })).body;
    const res = await s.call('POST', `/api/v1/tasks/${task.id}/form-links`, { form_id: formId });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain(
      'writes into deals, but the task belongs to no record',
    );
    const rep = await s.keyFor({
      email: 'rep-links@example.com',
      name: 'Rep',
      role: 'Sales representative',
    });
    const { task: other } = await setUp();
    const denied = await s.app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${other.id}/form-links`,
      headers: { authorization: `Bearer ${rep.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ form_id: formId }),
    });
    expect(denied.statusCode).toBe(404);
  });

  describe('by e-mail', () => {
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    beforeAll(async () => {
      smtp = await startSmtp();
    });
    afterAll(async () => smtp?.close());

    test('a link sent by e-mail reaches the recipient and shows as sent', async () => {
      s.kontor.settings.smtpUrl = smtp.url;
      const { task, link } = await setUp({ send_email: true, recipient_email: 'Team@Example.com' });
      expect(link.state).toBe('sent');
      await s.drain();
      const mail = smtp.received.at(-1)!;
      expect(mail.to).toEqual(['team@example.com']);
      expect(mail.raw).toContain(link.token);
      const links = (await s.call('GET', `/api/v1/tasks/${task.id}/form-links`)).body.data;
      expect(links[0]).toMatchObject({ state: 'sent', recipient_email: 'team@example.com' });
      expect(links[0].token).toBeUndefined();
      expect(links[0].token_hash).toBeUndefined();
    });

    test('sending by e-mail needs an address', async () => {
      const deal = (await s.call('POST', '/api/v1/deals', { name: 'Y' })).body;
      const task = (
        await s.call('POST', '/api/v1/tasks', {
          title: 'T',
          related_object: 'deals',
          related_id: deal.id,
        })
      ).body;
      const res = await s.call('POST', `/api/v1/tasks/${task.id}/form-links`, {
        form_id: formId,
        send_email: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { path: 'recipient_email', message: 'is required to send the link by e-mail' },
      ]);
    });
  });
});
