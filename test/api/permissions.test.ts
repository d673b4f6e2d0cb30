import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { boolToDb } from '../../server/src/db/column-types';
import { newId } from '../../server/src/core/ids';
import { DIALECTS, callAs, startServer, type TestServer } from '../helpers';

/**
 * A representative sees their team's records only. Every path that reads data is tried, and
 * none may show another team's company, or even its name.
 */
describe.each(DIALECTS)('record scope and field access on %s', (dialect) => {
  let s: TestServer | null;
  let east: ReturnType<typeof callAs>;
  let west: ReturnType<typeof callAs>;
  let secret: { id: string };
  let secretContact: { id: string };

  beforeAll(async () => {
    s = await startServer(dialect);
    if (!s) return;
    const a = await s.keyFor({
      email: 'east@example.com',
      name: 'East Rep',
      role: 'Sales representative',
      team: 'East',
    });
    const b = await s.keyFor({
      email: 'west@example.com',
      name: 'West Rep',
      role: 'Sales representative',
      team: 'West',
    });
    east = callAs(s, a.key);
    west = callAs(s, b.key);
    secret = (
      await west('POST', '/api/v1/companies', { name: 'West Secret GmbH', phone: '+49 89 1234567' })
    ).body;
    secretContact = (
      await west('POST', '/api/v1/contacts', {
        first_name: 'Hidden',
        last_name: 'Person',
        email: 'hidden@westsecret.example',
        company_id: secret.id,
      })
    ).body;
    await west('POST', '/api/v1/activities', {
      kind: 'call',
      subject: 'Secret call',
      related_object: 'companies',
      related_id: secret.id,
    });
    await west('POST', '/api/v1/deals', { name: 'Secret deal', company_id: secret.id });
    await east('POST', '/api/v1/companies', { name: 'East Visible AG' });
  });
  afterAll(async () => s?.close());
  beforeEach((ctx) => {
    if (!s) ctx.skip();
  });

  const leaks = (body: unknown) =>
    JSON.stringify(body).includes('Secret') || JSON.stringify(body).includes('Hidden');

  test('the owner team sees its records', async () => {
    expect((await west('GET', `/api/v1/companies/${secret.id}`)).status).toBe(200);
    expect((await west('GET', '/api/v1/companies?q=secret')).body.data).toHaveLength(1);
  });

  test('list and count', async () => {
    const list = await east('GET', '/api/v1/companies?count=true&limit=500');
    expect(list.status).toBe(200);
    expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(['East Visible AG']);
    expect(list.body.total).toBe(1);
    expect(leaks(list.body)).toBe(false);
    const filtered = await east(
      'GET',
      '/api/v1/companies?filter[name]=West%20Secret%20GmbH&count=true',
    );
    expect(filtered.body.total).toBe(0);
  });

  test('get, and every object that points at the record', async () => {
    expect((await east('GET', `/api/v1/companies/${secret.id}`)).status).toBe(404);
    expect((await east('GET', `/api/v1/contacts/${secretContact.id}`)).status).toBe(404);
    for (const o of ['contacts', 'deals', 'activities']) {
      const r = await east('GET', `/api/v1/${o}?limit=500`);
      expect(leaks(r.body)).toBe(false);
    }
  });

  test('search', async () => {
    for (const o of ['companies', 'contacts', 'deals', 'activities']) {
      const r = await east('GET', `/api/v1/${o}?q=secret`);
      expect(r.body.data).toEqual([]);
    }
  });

  test('related lists', async () => {
    const r = await east('GET', `/api/v1/companies/${secret.id}/related/contacts`);
    expect(r.status).toBe(404);
    const byFilter = await east('GET', `/api/v1/contacts?filter[company_id]=${secret.id}`);
    expect(byFilter.body.data).toEqual([]);
  });

  test('timeline', async () => {
    const r = await east('GET', `/api/v1/companies/${secret.id}/timeline`);
    expect(r.status).toBe(404);
    expect(leaks(r.body)).toBe(false);
  });

  test('export', async () => {
    const csv = await s!.app.inject({
      method: 'GET',
      url: '/api/v1/companies/export?format=csv',
      headers: {
        authorization: `Bearer ${(await s!.keyFor({ email: 'east2@example.com', name: 'East Two', role: 'Sales representative', team: 'East' })).key}`,
      },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('East Visible AG');
    expect(csv.body).not.toContain('Secret');
  });

  test('references, duplicates and writes', async () => {
    const ref = await east('POST', '/api/v1/contacts', {
      last_name: 'Linker',
      company_id: secret.id,
    });
    expect(ref.status).toBe(400);
    expect(ref.body.errors[0].path).toBe('company_id');
    const dup = await east('POST', '/api/v1/contacts', {
      last_name: 'Dup',
      email: 'HIDDEN@westsecret.example',
    });
    expect(dup.status).toBe(409);
    expect(leaks(dup.body)).toBe(false);
    expect(JSON.stringify(dup.body)).not.toContain(secretContact.id);
    expect(
      (await east('PATCH', `/api/v1/companies/${secret.id}`, { name: 'Mine now' })).status,
    ).toBe(404);
    expect((await east('DELETE', `/api/v1/companies/${secret.id}`)).status).toBe(404);
  });

  test('a field a role may not read is absent everywhere and cannot be filtered on', async () => {
    const roleId = newId();
    const now = new Date().toISOString();
    await s!.kontor.database.db
      .insertInto('roles')
      .values({
        id: roleId,
        name: 'No phones',
        is_admin: boolToDb(s!.kontor.database.dialect, false),
        permissions: JSON.stringify({
          objects: {
            companies: {
              read: 'all',
              create: false,
              update: 'none',
              delete: 'none',
              import: false,
              export: true,
              fields: { phone: 'none' },
            },
          },
        }),
        created_at: now,
        updated_at: now,
      })
      .execute();
    const u = await s!.keyFor({
      email: 'nophone@example.com',
      name: 'No Phone',
      role: 'No phones',
    });
    const as = callAs(s!, u.key);
    const got = await as('GET', `/api/v1/companies/${secret.id}`);
    expect(got.status).toBe(200);
    expect(got.body.phone).toBeUndefined();
    const list = await as('GET', '/api/v1/companies?limit=500');
    expect(JSON.stringify(list.body)).not.toContain('1234567');
    const filter = await as('GET', '/api/v1/companies?filter[phone][contains]=1234');
    expect(filter.status).toBe(400);
    const sort = await as('GET', '/api/v1/companies?sort=phone');
    expect(sort.status).toBe(400);
    const search = await as('GET', '/api/v1/companies?q=1234567');
    expect(JSON.stringify(search.body)).not.toContain('1234567');
    const csv = await s!.app.inject({
      method: 'GET',
      url: '/api/v1/companies/export',
      headers: { authorization: `Bearer ${u.key}` },
    });
    expect(csv.body).not.toContain('1234567');
    expect(csv.body.split('\n')[0]).not.toContain('Phone');
    const noContacts = await as('GET', '/api/v1/contacts');
    expect(noContacts.status).toBe(403);
  });
});
