import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { dispatchEvents } from '../../server/src/core/events/outbox';
import { callAs, DIALECTS, serverFor } from '../helpers';
import { startReceiver } from '../support/webhook-receiver';

describe.each(DIALECTS)('outbound webhooks on %s', (dialect) => {
  const s = serverFor(dialect);
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(async () => rx.close());
  beforeEach(() => {
    s.kontor.settings.allowPrivateTargets = true;
    rx.received.length = 0;
    rx.state.answers = [];
    rx.state.otherwise = 200;
  });
  afterEach(async () => {
    s.kontor.settings.allowPrivateTargets = true;
    const subs = (await s.call('GET', '/api/v1/webhooks/subscriptions')).body.data;
    for (const sub of subs) await s.call('DELETE', `/api/v1/webhooks/subscriptions/${sub.id}`);
    await s.drain();
  });

  const subscribe = async (body: Record<string, unknown>) => {
    const res = await s.call('POST', '/api/v1/webhooks/subscriptions', {
      name: 'Hook',
      target_url: `${rx.url}/hooks`,
      object: 'companies',
      events: ['created', 'updated', 'deleted', 'restored'],
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const deliveries = async (subId: string, query = '') =>
    (await s.call('GET', `/api/v1/webhooks/subscriptions/${subId}/deliveries${query}`)).body;

  test('rejects a bad URL, an unknown object and an unknown event kind with their paths', async () => {
    const post = (body: Record<string, unknown>) =>
      s.call('POST', '/api/v1/webhooks/subscriptions', {
        name: 'Bad',
        target_url: `${rx.url}/x`,
        object: 'companies',
        events: ['created'],
        ...body,
      });
    const notUrl = await post({ target_url: 'not a url' });
    expect(notUrl.status).toBe(400);
    expect(notUrl.body.errors[0]).toMatchObject({ path: 'target_url' });
    const ftp = await post({ target_url: 'ftp://example.com/x' });
    expect(ftp.status).toBe(400);
    expect(ftp.body.errors).toEqual([
      { path: 'target_url', message: 'must use http or https, not ftp' },
    ]);
    const unknownObject = await post({ object: 'spaceships' });
    expect(unknownObject.status).toBe(400);
    expect(unknownObject.body.errors).toEqual([
      { path: 'object', message: 'there is no object "spaceships"' },
    ]);
    const unknownKind = await post({ events: ['created', 'exploded'] });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body.errors[0].path).toBe('events.1');
    const noKinds = await post({ events: [] });
    expect(noKinds.status).toBe(400);
    expect(noKinds.body.errors[0].path).toBe('events');
    const extra = await post({ colour: 'red' });
    expect(extra.status).toBe(400);
    const list = await s.call('GET', '/api/v1/webhooks/subscriptions');
    expect(list.body.data).toEqual([]);
  });

  test('a Ukrainian reader gets the messages in Ukrainian', async () => {
    await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'uk' });
    try {
      const res = await s.call('POST', '/api/v1/webhooks/subscriptions', {
        name: 'Погано',
        target_url: 'ftp://example.com/x',
        object: 'spaceships',
        events: ['exploded'],
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { path: 'target_url', message: 'має використовувати http або https, а не ftp' },
          { path: 'events.0', message: 'має бути одним із: created, updated, deleted, restored' },
        ]),
      );
      s.kontor.settings.allowPrivateTargets = false;
      const inside = await s.call('POST', '/api/v1/webhooks/subscriptions', {
        name: 'Всередині',
        target_url: 'http://10.0.0.1/x',
        object: 'spaceships',
        events: ['created'],
      });
      expect(inside.body.errors).toEqual([
        { path: 'object', message: 'об’єкта «spaceships» немає' },
        {
          path: 'target_url',
          message:
            '10.0.0.1 — приватна, локальна, link-local або зарезервована адреса; вебхуки надсилаються лише на публічні адреси, якщо в налаштуваннях сервера не дозволено приватні',
        },
      ]);
    } finally {
      await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'en' });
    }
  });

  test('only administrators manage subscriptions', async () => {
    const rep = await s.keyFor({ email: 'rep@example.com', name: 'Rep', role: 'Sales manager' });
    const as = callAs(s, rep.key);
    expect((await as('GET', '/api/v1/webhooks/subscriptions')).status).toBe(403);
    const post = await as('POST', '/api/v1/webhooks/subscriptions', {
      name: 'Mine',
      target_url: `${rx.url}/x`,
      object: 'companies',
      events: ['created'],
    });
    expect(post.status).toBe(403);
  });

  test('are described in the OpenAPI document', async () => {
    const doc = (await s.call('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/webhooks/subscriptions',
        '/api/v1/webhooks/subscriptions/{id}',
        '/api/v1/webhooks/subscriptions/{id}/rotate-secret',
        '/api/v1/webhooks/subscriptions/{id}/deliveries',
        '/api/v1/webhooks/deliveries/{id}',
        '/api/v1/webhooks/deliveries/{id}/replay',
      ]),
    );
    expect(doc.components.schemas.WebhookSubscriptionCreate.required).toEqual([
      'name',
      'target_url',
      'object',
      'events',
    ]);
  });

  test('shows the secret once, on create and on rotation', async () => {
    const sub = await subscribe({});
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    const got = await s.call('GET', `/api/v1/webhooks/subscriptions/${sub.id}`);
    expect(got.body).toMatchObject({ id: sub.id, object: 'companies', enabled: true });
    expect(got.body.secret).toBeUndefined();
    const rotated = await s.call('POST', `/api/v1/webhooks/subscriptions/${sub.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(sub.secret);
    const patched = await s.call('PATCH', `/api/v1/webhooks/subscriptions/${sub.id}`, {
      name: 'Renamed',
      enabled: false,
    });
    expect(patched.body).toMatchObject({ name: 'Renamed', enabled: false });
    expect(patched.body.secret).toBeUndefined();
    // A change that leaves `enabled` out keeps it as it was.
    const renamed = await s.call('PATCH', `/api/v1/webhooks/subscriptions/${sub.id}`, {
      name: 'Renamed again',
    });
    expect(renamed.body).toMatchObject({ name: 'Renamed again', enabled: false });
  });

  test('a disabled subscription sends nothing, and stops what was waiting', async () => {
    const sub = await subscribe({ events: ['created'] });
    await s.call('POST', '/api/v1/companies', { name: 'Queued before' });
    // The event is matched, then the subscription disabled before the job runs.
    await dispatchEvents(s.kontor);
    await s.call('PATCH', `/api/v1/webhooks/subscriptions/${sub.id}`, { enabled: false });
    await s.call('POST', '/api/v1/companies', { name: 'Made while disabled' });
    await s.drain();
    expect(rx.received).toEqual([]);
    const log = (await deliveries(sub.id)).data;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'failed', last_error: 'the subscription is disabled' });
    const replay = await s.call('POST', `/api/v1/webhooks/deliveries/${log[0].id}/replay`);
    expect(replay.status).toBe(400);
    expect(replay.body.errors[0].path).toBe('subscription');
  });

  test('delivers a signed event the receiver can verify', async () => {
    const sub = await subscribe({});
    const company = (await s.call('POST', '/api/v1/companies', { name: 'Alfreds Futterkiste' }))
      .body;
    await s.drain();
    expect(rx.received).toHaveLength(1);
    const hit = rx.received[0]!;
    expect(hit.path).toBe('/hooks');
    expect(hit.headers['content-type']).toBe('application/json');
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hit.headers['kontor-signature']));
    expect(sig).not.toBeNull();
    const [, t, v1] = sig!;
    expect(t).toBe(hit.headers['kontor-timestamp']);
    expect(Number(t)).toBe(Math.floor(s.clock.now().getTime() / 1000));
    const expected = createHmac('sha256', sub.secret).update(`${t}.${hit.body}`).digest('hex');
    expect(v1).toBe(expected);
    const wrong = createHmac('sha256', 'not the secret').update(`${t}.${hit.body}`).digest('hex');
    expect(v1).not.toBe(wrong);

    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({
      type: 'companies.created',
      object: 'companies',
      record: { id: company.id, name: 'Alfreds Futterkiste' },
    });
    expect(body.id).toBe(hit.headers['kontor-event-id']);
    expect(body.occurred_at).toMatch(/Z$/);
    expect(body.changes.name).toEqual([null, 'Alfreds Futterkiste']);

    const log = await deliveries(sub.id);
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      event_id: body.id,
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
    });
    const detail = await s.call('GET', `/api/v1/webhooks/deliveries/${log.data[0].id}`);
    expect(detail.body.body).toEqual(body);
    expect(detail.body.attempt_log).toEqual([
      expect.objectContaining({ attempt: 1, ok: true, status_code: 200, response_body: 'thanks' }),
    ]);
    expect(detail.body.attempt_log[0].duration_ms).toBeGreaterThanOrEqual(0);
  });

  test('matches events by object and event kind', async () => {
    const contacts = await subscribe({ object: 'contacts', target_url: `${rx.url}/contacts` });
    const deletes = await subscribe({ events: ['deleted'], target_url: `${rx.url}/deletes` });
    const company = (await s.call('POST', '/api/v1/companies', { name: 'Bólido Comidas' })).body;
    await s.call('PATCH', `/api/v1/companies/${company.id}`, { city: 'Madrid' });
    await s.drain();
    expect(rx.received).toEqual([]);
    await s.call('DELETE', `/api/v1/companies/${company.id}`);
    await s.drain();
    expect(rx.received.map((r) => r.path)).toEqual(['/deletes']);
    const deleted = JSON.parse(rx.received[0]!.body);
    // A deleted record is sent as it was last known.
    expect(deleted).toMatchObject({
      type: 'companies.deleted',
      record: { id: company.id, name: 'Bólido Comidas', city: 'Madrid' },
    });
    expect(deleted.record.deleted_at).toMatch(/Z$/);
    await s.call('POST', '/api/v1/contacts', { first_name: 'Ana', last_name: 'Trujillo' });
    await s.drain();
    expect(rx.received.map((r) => r.path)).toEqual(['/deletes', '/contacts']);
    expect((await deliveries(contacts.id)).data).toHaveLength(1);
    expect((await deliveries(deletes.id)).data).toHaveLength(1);
  });

  test('subscribes to a custom object too', async () => {
    const made = await s.call('POST', '/api/v1/metadata/objects', {
      name: 'boilers',
      label_singular: 'Boiler',
      label_plural: 'Boilers',
      fields: [{ name: 'serial', label: 'Serial', type: 'text' }],
    });
    expect(made.status).toBe(201);
    await subscribe({ object: 'boilers', events: ['created'] });
    await s.call('POST', '/api/v1/boilers', { name: 'Boiler 1', serial: 'B-17' });
    await s.drain();
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({
      type: 'boilers.created',
      record: { name: 'Boiler 1', serial: 'B-17' },
    });
  });

  test('retries a failed delivery with backoff, then delivers it', async () => {
    const sub = await subscribe({ events: ['created'] });
    rx.state.answers = [500];
    await s.call('POST', '/api/v1/companies', { name: 'Blondel père et fils' });
    await s.drain();
    expect(rx.received).toHaveLength(1);
    let [d] = (await deliveries(sub.id)).data;
    expect(d).toMatchObject({ status: 'queued', attempts: 1, last_status_code: 500 });
    expect(d.last_error).toBe('the target answered 500');

    // Not again before the backoff (about 10 s) has passed.
    s.clock.advance(5_000);
    await s.drain();
    expect(rx.received).toHaveLength(1);
    s.clock.advance(7_000);
    await s.drain();
    expect(rx.received).toHaveLength(2);
    // The retry is the same event with the same body, signed anew.
    expect(rx.received[1]!.body).toBe(rx.received[0]!.body);
    expect(rx.received[1]!.headers['kontor-timestamp']).not.toBe(
      rx.received[0]!.headers['kontor-timestamp'],
    );
    [d] = (await deliveries(sub.id)).data;
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200 });
    const detail = (await s.call('GET', `/api/v1/webhooks/deliveries/${d.id}`)).body;
    expect(
      detail.attempt_log.map((a: { attempt: number; status_code: number; ok: boolean }) => [
        a.attempt,
        a.status_code,
        a.ok,
      ]),
    ).toEqual([
      [1, 500, false],
      [2, 200, true],
    ]);
    expect(detail.attempt_log[0].response_body).toBe('no, 500');
  });

  test('parks a delivery after its last attempt, and a replay sends the same event', async () => {
    const sub = await subscribe({ events: ['created'] });
    rx.state.otherwise = 503;
    await s.call('POST', '/api/v1/companies', { name: 'Bon app' });
    for (let i = 0; i < 12; i++) {
      await s.drain();
      s.clock.advance(3_700_000);
    }
    expect(rx.received).toHaveLength(8);
    const [d] = (await deliveries(sub.id)).data;
    expect(d).toMatchObject({ status: 'failed', attempts: 8, last_status_code: 503 });
    const job = await s.kontor.database.db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('kind', '=', 'webhooks.deliver')
      .where('payload', 'like', `%${d.id}%`)
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'failed', attempts: 8 });

    rx.state.otherwise = 200;
    const replay = await s.call('POST', `/api/v1/webhooks/deliveries/${d.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ status: 'queued', replay_of: d.id, event_id: d.event_id });
    await s.drain();
    expect(rx.received).toHaveLength(9);
    const first = rx.received[0]!;
    const again = rx.received[8]!;
    expect(again.body).toBe(first.body);
    expect(again.headers['kontor-event-id']).toBe(first.headers['kontor-event-id']);
    expect(again.headers['kontor-signature']).not.toBe(first.headers['kontor-signature']);
    const log = await deliveries(sub.id);
    expect(log.data.map((x: { status: string }) => x.status)).toEqual(['delivered', 'failed']);
    expect(
      (await deliveries(sub.id, '?status=failed')).data.map((x: { id: string }) => x.id),
    ).toEqual([d.id]);
  });

  test('pages the delivery log by id and checks its parameters', async () => {
    const sub = await subscribe({ events: ['created'] });
    for (let i = 0; i < 5; i++) await s.call('POST', '/api/v1/companies', { name: `Co ${i}` });
    await s.drain();
    const first = await deliveries(sub.id, '?limit=2');
    expect(first.data).toHaveLength(2);
    const second = await deliveries(sub.id, `?limit=2&cursor=${first.next_cursor}`);
    const third = await deliveries(sub.id, `?limit=2&cursor=${second.next_cursor}`);
    expect(third.next_cursor).toBeNull();
    const ids = [...first.data, ...second.data, ...third.data].map((d: { id: string }) => d.id);
    expect(ids).toHaveLength(5);
    expect([...ids].sort().reverse()).toEqual(ids);
    const bad = await s.call(
      'GET',
      `/api/v1/webhooks/subscriptions/${sub.id}/deliveries?status=lost&limit=0`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'limit',
      'status',
    ]);
    const missing = await s.call('POST', `/api/v1/webhooks/deliveries/${sub.id}/replay`);
    expect(missing.status).toBe(404);
  });

  test('refuses a loopback or private target unless private targets are allowed', async () => {
    s.kontor.settings.allowPrivateTargets = false;
    for (const url of [
      `${rx.url}/x`,
      'http://[::1]:9/x',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/x',
      'http://[fd00::1]/x',
      'http://localhost:9/x',
    ]) {
      const res = await s.call('POST', '/api/v1/webhooks/subscriptions', {
        name: 'Inside',
        target_url: url,
        object: 'companies',
        events: ['created'],
      });
      expect(res.status, url).toBe(400);
      expect(res.body.errors[0].path).toBe('target_url');
      expect(res.body.errors[0].message).toMatch(/private, loopback, link-local or reserved/);
    }

    // Saved while allowed; the setting changes before the call: refused then, and parked.
    s.kontor.settings.allowPrivateTargets = true;
    const sub = await subscribe({ events: ['created'] });
    s.kontor.settings.allowPrivateTargets = false;
    await s.call('POST', '/api/v1/companies', { name: 'Cactus Comidas' });
    await s.drain();
    expect(rx.received).toEqual([]);
    const [d] = (await deliveries(sub.id)).data;
    expect(d.status).toBe('failed');
    expect(d.last_error).toMatch(/^refused: 127\.0\.0\.1 is a private, loopback/);
    const changed = await s.call('PATCH', `/api/v1/webhooks/subscriptions/${sub.id}`, {
      target_url: `${rx.url}/other`,
    });
    expect(changed.status).toBe(400);
    expect(changed.body.errors[0].path).toBe('target_url');
  });

  test("sends the record as the subscription's creator may read it", async () => {
    const role = await s.call('POST', '/api/v1/roles', {
      name: 'Webhook reader',
      permissions: {
        objects: { companies: { read: 'own', fields: { phone: 'none' } } },
      },
    });
    expect(role.status).toBe(201);
    const creator = await s.keyFor({
      email: 'integrator@example.com',
      name: 'Integrator',
      role: 'Administrator',
    });
    const sub = (
      await callAs(s, creator.key)('POST', '/api/v1/webhooks/subscriptions', {
        name: 'Integrator hook',
        target_url: `${rx.url}/scoped`,
        object: 'companies',
        events: ['created', 'updated'],
      })
    ).body;
    // The creator is no longer an administrator: deliveries follow their new role.
    const demoted = await s.call('PATCH', `/api/v1/users/${creator.id}`, {
      role_id: role.body.id,
    });
    expect(demoted.status).toBe(200);

    const theirs = (
      await s.call('POST', '/api/v1/companies', {
        name: 'Theirs',
        phone: '+380441234567',
        owner_id: creator.id,
      })
    ).body;
    await s.call('POST', '/api/v1/companies', { name: 'Not theirs', phone: '+380441234568' });
    await s.drain();
    expect(rx.received).toHaveLength(1);
    const body = JSON.parse(rx.received[0]!.body);
    expect(body.record).toMatchObject({ id: theirs.id, name: 'Theirs' });
    expect(body.record).not.toHaveProperty('phone');
    expect(body.changes).not.toHaveProperty('phone');
    expect(body.changes.name).toEqual([null, 'Theirs']);
    const log = (await deliveries(sub.id)).data;
    expect(log.map((d: { status: string }) => d.status).sort()).toEqual(['delivered', 'skipped']);
    const skipped = log.find((d: { status: string }) => d.status === 'skipped');
    expect(skipped.last_error).toBe("the subscription's creator may not read this record");
    const replay = await s.call('POST', `/api/v1/webhooks/deliveries/${skipped.id}/replay`);
    expect(replay.status).toBe(400);
  });
});
