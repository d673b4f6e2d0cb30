import { describe, expect, test } from 'vitest';
import { syncStandardObjects } from '../../server/src/core/metadata/sync';
import { MODULES } from '../../server/src/modules';
import { DIALECTS, callAs, serverFor } from '../helpers';

/** Faults found in review: permissions after renames, races, totals, search and odd input. */
describe.each(DIALECTS)('review fixes on %s', (dialect) => {
  const s = serverFor(dialect);
  const upload = (url: string, body: string) =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${s.adminKey}`, 'content-type': 'text/csv' },
      payload: body,
    });

  test('a renamed field keeps the grants that hid it, and metadata needs a read grant', async () => {
    await s.call('POST', '/api/v1/metadata/objects', {
      name: 'engagements',
      label_singular: 'Engagement',
      label_plural: 'Engagements',
      fields: [{ name: 'salary', label: 'Salary', type: 'integer' }],
    });
    await s.call('POST', '/api/v1/roles', {
      name: 'No salaries',
      permissions: { objects: { engagements: { read: 'all', fields: { salary: 'none' } } } },
    });
    const u = await s.keyFor({ email: 'r1@example.com', name: 'R1', role: 'No salaries' });
    await s.call('POST', '/api/v1/engagements', { name: 'Apollo', salary: 100000 });
    await s.call('PATCH', '/api/v1/metadata/objects/engagements/fields/salary', { name: 'pay' });
    const as = callAs(s, u.key);
    const list = await as('GET', '/api/v1/engagements');
    expect(list.body.data[0].pay).toBeUndefined();
    expect(list.body.data[0].salary).toBeUndefined();
    expect((await as('GET', '/api/v1/metadata/objects/deals')).status).toBe(403);
  });

  test('the title field of a custom object stays', async () => {
    await s.call('POST', '/api/v1/metadata/objects', {
      name: 'machines',
      label_singular: 'Machine',
      label_plural: 'Machines',
    });
    expect((await s.call('DELETE', '/api/v1/metadata/objects/machines/fields/name')).status).toBe(
      400,
    );
    expect(
      (await s.call('PATCH', '/api/v1/metadata/objects/machines/fields/name', { name: 'title' }))
        .status,
    ).toBe(400);
  });

  test('concurrent writes keep totals, unique values and duplicate checks right', async () => {
    const c = (await s.call('POST', '/api/v1/companies', { name: 'Busy' })).body;
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        s.call('POST', '/api/v1/contacts', { last_name: `P${i}`, company_id: c.id }),
      ),
    );
    expect((await s.call('GET', `/api/v1/companies/${c.id}`)).body.contacts_count).toBe(4);
    const skus = await Promise.all(
      [1, 2].map(() => s.call('POST', '/api/v1/products', { name: 'Same', sku: 'RACE-1' })),
    );
    expect(skus.map((r) => r.status).sort()).toEqual([201, 409]);
    const mails = await Promise.all(
      [1, 2].map((i) =>
        s.call('POST', '/api/v1/contacts', { last_name: `M${i}`, email: 'race@example.com' }),
      ),
    );
    expect(mails.map((r) => r.status).sort()).toEqual([201, 409]);
    const keyed = await Promise.all(
      [1, 2].map(() =>
        s.call('POST', '/api/v1/companies', { name: 'Keyed' }, { 'idempotency-key': 'same-key' }),
      ),
    );
    expect(keyed.map((r) => r.status)).toEqual([201, 201]);
    expect(keyed[0].body.id).toBe(keyed[1].body.id);
  });

  test('an import that creates and then updates a record leaves its final text searchable', async () => {
    const res = await upload(
      '/api/v1/companies/import?upsert=external_ref',
      'Name,External reference\nAlphaword,X-9\nBetaword,X-9 \n',
    );
    expect(JSON.parse(res.body)).toMatchObject({ created: 1, updated: 1 });
    expect((await s.call('GET', '/api/v1/companies?q=betaword')).body.data).toHaveLength(1);
    expect((await s.call('GET', '/api/v1/companies?q=alphaword')).body.data).toHaveLength(0);
  });

  test('the timeline pages through every entry', async () => {
    const c = (await s.call('POST', '/api/v1/companies', { name: 'Many changes' })).body;
    for (const city of ['A', 'B', 'C', 'D'])
      await s.call('PATCH', `/api/v1/companies/${c.id}`, { city });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; next_cursor: string | null } } = await s.call(
        'GET',
        `/api/v1/companies/${c.id.toUpperCase()}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.body.data.map((i) => i.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    expect(
      (
        await s.call(
          'GET',
          `/api/v1/companies/${c.id}/timeline?cursor=${Buffer.from('["garbage","x"]').toString('base64url')}`,
        )
      ).status,
    ).toBe(400);
  });

  test('unique decimal and phone fields', async () => {
    await s.call('POST', '/api/v1/metadata/objects/products/fields', {
      name: 'weight',
      label: 'Weight',
      type: 'decimal',
      unique: true,
    });
    const p = (await s.call('POST', '/api/v1/products', { name: 'Heavy', weight: '12.50' })).body;
    await s.call('DELETE', `/api/v1/products/${p.id}`);
    expect((await s.call('POST', `/api/v1/products/${p.id}/restore`)).status).toBe(200);
    await s.call('POST', '/api/v1/metadata/objects/companies/fields', {
      name: 'hotline',
      label: 'Hotline',
      type: 'phone',
      unique: true,
    });
    expect(
      (await s.call('POST', '/api/v1/companies', { name: 'H1', hotline: '+49 30 1234567' })).status,
    ).toBe(201);
    expect(
      (await s.call('POST', '/api/v1/companies', { name: 'H2', hotline: '+49 (30) 1234567' }))
        .status,
    ).toBe(409);
  });

  test('long field names keep their own unique indexes', async () => {
    await s.call('POST', '/api/v1/metadata/objects', {
      name: 'very_long_custom_object_name_abc',
      label_singular: 'L',
      label_plural: 'Ls',
    });
    for (const suffix of ['primary', 'secondary']) {
      await s.call('POST', '/api/v1/metadata/objects/very_long_custom_object_name_abc/fields', {
        name: `customer_reference_number_x_${suffix}`,
        label: suffix,
        type: 'text',
        unique: true,
      });
    }
    const url = '/api/v1/very_long_custom_object_name_abc';
    await s.call('POST', url, { name: 'a', customer_reference_number_x_secondary: 'S' });
    expect(
      (await s.call('POST', url, { name: 'b', customer_reference_number_x_secondary: 'S' })).status,
    ).toBe(409);
  });

  test("an administrator's relabelling of a standard field survives the start-up sync", async () => {
    await s.call('PATCH', '/api/v1/metadata/objects/companies/fields/industry', {
      label: 'Branche',
    });
    await syncStandardObjects(
      s.kontor.database.db,
      s.kontor.database.dialect,
      s.clock,
      MODULES.flatMap((m) => m.objects),
    );
    await s.kontor.meta.load(s.kontor.database.db);
    expect(s.kontor.meta.get('companies').field('industry')?.label).toBe('Branche');
  });

  test('phones follow the country, and "not equal" includes empty phones', async () => {
    const p = (
      await s.call('POST', '/api/v1/contacts', { last_name: 'Country later', phone: '030 7654321' })
    ).body;
    await s.call('PATCH', `/api/v1/contacts/${p.id}`, { country: 'Germany' });
    expect(
      (await s.call('GET', '/api/v1/contacts?filter[phone]=%2B49307654321')).body.data.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([p.id]);
    const none = (
      await s.call('POST', '/api/v1/companies', { name: 'No phone', external_ref: 'NOPHONE' })
    ).body;
    const ne = await s.call(
      'GET',
      '/api/v1/companies?filter[phone][ne]=%2B4930111&filter[external_ref]=NOPHONE',
    );
    expect(ne.body.data.map((c: { id: string }) => c.id)).toEqual([none.id]);
  });

  test('new products are active, and impossible instants are refused', async () => {
    expect((await s.call('POST', '/api/v1/products', { name: 'Widget' })).body.is_active).toBe(
      true,
    );
    for (const due_at of [
      '2026-02-30T10:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:00:00-05:00',
    ]) {
      expect((await s.call('POST', '/api/v1/tasks', { title: 'x', due_at })).status).toBe(400);
    }
  });

  test('odd names and values get 400s, not 500s', async () => {
    expect(
      (
        await s.call(
          'PATCH',
          `/api/v1/roles/${(await s.call('GET', '/api/v1/roles')).body.data.find((r: { name: string }) => r.name === 'Sales representative').id}`,
          { name: 'Sales manager' },
        )
      ).status,
    ).toBe(409);
    expect((await s.call('GET', '/api/v1/companies?filter[name]=a%00b')).status).toBe(400);
    await s.call('POST', '/api/v1/metadata/objects', {
      name: 'constructor',
      label_singular: 'C',
      label_plural: 'Cs',
    });
    const mgr = await s.keyFor({ email: 'mgr@example.com', name: 'Mgr', role: 'Sales manager' });
    expect((await callAs(s, mgr.key)('GET', '/api/v1/constructor')).status).toBe(200);
  });

  test('a restored record no longer points at a record deleted meanwhile', async () => {
    const c = (await s.call('POST', '/api/v1/companies', { name: 'Gone for good' })).body;
    const p = (
      await s.call('POST', '/api/v1/contacts', { last_name: 'Left behind', company_id: c.id })
    ).body;
    await s.call('DELETE', `/api/v1/contacts/${p.id}`);
    await s.call('DELETE', `/api/v1/companies/${c.id}`);
    const restored = await s.call('POST', `/api/v1/contacts/${p.id}/restore`);
    expect(restored.body.company_id).toBeNull();
    expect(
      (await s.call('GET', `/api/v1/companies/${c.id}?include_deleted=true`)).body.contacts_count,
    ).toBe(0);
  });

  test("a representative converts a lead whose e-mail is a teammate's contact", async () => {
    const a = await s.keyFor({
      email: 'ta@example.com',
      name: 'TA',
      role: 'Sales representative',
      team: 'Conv',
    });
    const b = await s.keyFor({
      email: 'tb@example.com',
      name: 'TB',
      role: 'Sales representative',
      team: 'Conv',
    });
    await callAs(s, a.key)('POST', '/api/v1/contacts', {
      last_name: 'Shared',
      email: 'shared@example.com',
    });
    const lead = (
      await callAs(s, b.key)('POST', '/api/v1/leads', {
        last_name: 'Shared',
        email: 'shared@example.com',
        company_name: 'Shared Co',
      })
    ).body;
    const res = await callAs(s, b.key)('POST', `/api/v1/leads/${lead.id}/convert`, {});
    expect(res.status).toBe(200);
  });
});
