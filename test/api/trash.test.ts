import { describe, expect, test } from 'vitest';
import { DIALECTS, callAs, serverFor } from '../helpers';

/** What the web app's trash and record page rely on: listing deleted records and restoring. */
describe.each(DIALECTS)('the trash on %s', (dialect) => {
  const s = serverFor(dialect);
  const TRASH = 'include_deleted=true&filter[deleted_at][is_empty]=false&sort=-deleted_at';

  test('lists only deleted records, most recently deleted first, and restores one', async () => {
    const ids: string[] = [];
    for (const name of ['Keep AB', 'Gone First AB', 'Gone Second AB']) {
      ids.push((await s.call('POST', '/api/v1/companies', { name })).body.id);
    }
    await s.call('DELETE', `/api/v1/companies/${ids[1]}`);
    s.clock.advance(60_000);
    await s.call('DELETE', `/api/v1/companies/${ids[2]}`);

    const trash = await s.call(
      'GET',
      `/api/v1/companies?${TRASH}&fields=name,deleted_at&count=true`,
    );
    expect(trash.status).toBe(200);
    expect(trash.body.total).toBe(2);
    expect(trash.body.data.map((r: { name: string }) => r.name)).toEqual([
      'Gone Second AB',
      'Gone First AB',
    ]);
    // Search works in the trash too.
    const found = await s.call('GET', `/api/v1/companies?${TRASH}&q=first`);
    expect(found.body.data.map((r: { id: string }) => r.id)).toEqual([ids[1]]);
    // The record page reads a deleted record with include_deleted.
    expect((await s.call('GET', `/api/v1/companies/${ids[1]}`)).status).toBe(404);
    const one = await s.call('GET', `/api/v1/companies/${ids[1]}?include_deleted=true`);
    expect(one.body).toMatchObject({ name: 'Gone First AB', deleted_at: expect.any(String) });

    const restored = await s.call('POST', `/api/v1/companies/${ids[1]}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deleted_at).toBeNull();
    const after = await s.call('GET', `/api/v1/companies?${TRASH}`);
    expect(after.body.data.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
  });

  test('restoring needs delete permission; reading the trash needs read', async () => {
    const role = await s.call('POST', '/api/v1/roles', {
      name: `Reader ${dialect}`,
      permissions: { objects: { companies: { read: 'all', update: 'all', delete: 'none' } } },
    });
    expect(role.status).toBe(201);
    const reader = await s.keyFor({
      email: `trash-reader-${dialect}@example.com`,
      name: 'Trash Reader',
      role: role.body.name,
    });
    const gone = (await s.call('POST', '/api/v1/companies', { name: 'Locked Away AB' })).body;
    await s.call('DELETE', `/api/v1/companies/${gone.id}`);
    const as = callAs(s, reader.key);
    const trash = await as('GET', `/api/v1/companies?${TRASH}&q=locked`);
    expect(trash.body.data.map((r: { id: string }) => r.id)).toEqual([gone.id]);
    expect((await as('POST', `/api/v1/companies/${gone.id}/restore`)).status).toBe(403);
  });

  test("tells the signed-in user the server's default currency", async () => {
    const me = await s.call('GET', '/api/auth/me');
    expect(me.body.user.default_currency).toBe('EUR');
  });
});
