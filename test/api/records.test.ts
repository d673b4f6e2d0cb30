import { describe, expect, test } from 'vitest';
import { DIALECTS, callAs, serverFor } from '../helpers';

describe.each(DIALECTS)('records API on %s', (dialect) => {
  const s = serverFor(dialect);

  test('creates, reads, updates with If-Match and refuses a stale version', async () => {
    const created = await s!.call('POST', '/api/v1/companies', {
      name: 'Alfreds Futterkiste',
      country: 'Germany',
      city: 'Berlin',
      is_customer: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Alfreds Futterkiste',
      version: 1,
      deleted_at: null,
      contacts_count: 0,
    });
    const id = created.body.id;

    const got = await s!.call('GET', `/api/v1/companies/${id}`);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');

    const patched = await s!.call(
      'PATCH',
      `/api/v1/companies/${id}`,
      { city: 'München' },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ city: 'München', version: 2 });

    const stale = await s!.call(
      'PATCH',
      `/api/v1/companies/${id}`,
      { city: 'Köln' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await s!.call('GET', `/api/v1/companies/${id}`)).body.city).toBe('München');
  });

  test('stores money in minor units and rejects more decimals than the currency has', async () => {
    const ok = await s!.call('POST', '/api/v1/deals', {
      name: 'Big one',
      amount: { amount: '1234.50', currency: 'EUR' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.amount).toEqual({ amount_minor: 123450, currency: 'EUR', amount: '1234.50' });
    const yen = await s!.call('POST', '/api/v1/deals', {
      name: 'Yen',
      amount: { amount: '10.5', currency: 'JPY' },
    });
    expect(yen.status).toBe(400);
    expect(yen.body.errors[0].path).toBe('amount.amount');
    const bad = await s!.call('POST', '/api/v1/deals', {
      name: 'Bad',
      amount: { amount_minor: 1, currency: 'XYZ' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('amount.currency');
  });

  test('keeps a date-only value as written and normalises instants to UTC', async () => {
    const r = await s!.call('POST', '/api/v1/contacts', {
      last_name: 'Dates',
      birthday: '1990-02-28',
      email: 'dates@example.com',
    });
    expect(r.status).toBe(201);
    expect(r.body.birthday).toBe('1990-02-28');
    const t = await s!.call('POST', '/api/v1/tasks', {
      title: 'Call back',
      due_at: '2026-03-29T09:30:00+02:00',
    });
    expect(t.body.due_at).toBe('2026-03-29T07:30:00.000Z');
    expect(t.body.status).toBe('open');
    const bad = await s!.call('POST', '/api/v1/contacts', {
      last_name: 'Dates',
      birthday: '1990-02-30',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'birthday', message: 'must be a date like 2026-03-31' },
    ]);
  });

  test('pages through equal sort values by cursor without repeating or skipping a row', async () => {
    const ids: string[] = [];
    const batch = await s!.call('POST', '/api/v1/products/batch', {
      operations: Array.from({ length: 25 }, (_, i) => ({
        op: 'create',
        data: {
          name: `Paging ${String(i).padStart(2, '0')}`,
          sku: `PG-${i}`,
          price: { amount_minor: (i % 3) * 100, currency: 'EUR' },
        },
      })),
    });
    expect(batch.status).toBe(200);
    let cursor: string | null = null;
    do {
      const url = `/api/v1/products?filter[name][starts_with]=Paging&sort=-price,name&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await s!.call('GET', url);
      expect(page.status).toBe(200);
      ids.push(...page.body.data.map((r: { id: string }) => r.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const all = await s!.call(
      'GET',
      '/api/v1/products?filter[name][starts_with]=Paging&sort=-price,name&limit=100',
    );
    expect(all.body.data.map((r: { id: string }) => r.id)).toEqual(ids);
  });

  test('filters with operators, OR groups, field selection, counts and search', async () => {
    await s!.call('POST', '/api/v1/companies/batch', {
      operations: [
        { op: 'create', data: { name: 'Toms Spezialitäten', city: 'Münster', country: 'Germany' } },
        { op: 'create', data: { name: 'Bon app', city: 'Marseille', country: 'France' } },
        { op: 'create', data: { name: 'Wolski Zajazd', city: 'Warszawa', country: 'Poland' } },
      ],
    });
    const or = await s!.call(
      'GET',
      '/api/v1/companies?filter[or][0][country]=France&filter[or][1][city][starts_with]=Wars&fields=name&sort=name&count=true',
    );
    expect(or.status).toBe(200);
    expect(or.body.data).toEqual([
      expect.objectContaining({ name: 'Bon app' }),
      expect.objectContaining({ name: 'Wolski Zajazd' }),
    ]);
    expect(Object.keys(or.body.data[0]).sort()).toEqual(['id', 'name', 'version']);
    expect(or.body.total).toBe(2);

    const inOp = await s!.call(
      'GET',
      '/api/v1/companies?filter[country][in]=France,Poland&filter[name][ne]=Bon%20app',
    );
    expect(inOp.body.data.map((r: { name: string }) => r.name)).toEqual(['Wolski Zajazd']);

    const search = await s!.call('GET', '/api/v1/companies?q=munster');
    expect(search.body.data.map((r: { name: string }) => r.name)).toEqual(['Toms Spezialitäten']);
    const prefix = await s!.call('GET', '/api/v1/companies?q=spezial%20toms');
    expect(prefix.body.data).toHaveLength(1);

    const empty = await s!.call(
      'GET',
      '/api/v1/companies?filter[domain][is_empty]=true&filter[country]=Poland',
    );
    expect(empty.body.data).toHaveLength(1);
  });

  test('soft-deletes, hides, restores, and clears references to a deleted record', async () => {
    const c = (await s!.call('POST', '/api/v1/companies', { name: 'Gone Soon' })).body;
    const p = (await s!.call('POST', '/api/v1/contacts', { last_name: 'Worker', company_id: c.id }))
      .body;
    const del = await s!.call('DELETE', `/api/v1/companies/${c.id}`);
    expect(del.status).toBe(200);
    expect(del.body.deleted_at).not.toBeNull();
    expect((await s!.call('GET', `/api/v1/companies/${c.id}`)).status).toBe(404);
    expect((await s!.call('GET', `/api/v1/contacts/${p.id}`)).body.company_id).toBeNull();
    const restored = await s!.call('POST', `/api/v1/companies/${c.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.deleted_at).toBeNull();
    expect((await s!.call('GET', `/api/v1/companies/${c.id}`)).status).toBe(200);
  });

  test('refuses to delete a stage that deals use, listing them', async () => {
    const stages = await s!.call('GET', '/api/v1/stages?sort=position');
    const first = stages.body.data[0];
    const deal = await s!.call('POST', '/api/v1/deals', { name: 'Anchored', stage_id: first.id });
    expect(deal.status).toBe(201);
    const del = await s!.call('DELETE', `/api/v1/stages/${first.id}`);
    expect(del.status).toBe(409);
    expect(del.body.dependents[0]).toMatchObject({ object: 'deals', field: 'stage_id' });
    expect((await s!.call('GET', `/api/v1/stages/${first.id}`)).status).toBe(200);
  });

  test('applies a batch as a whole or not at all', async () => {
    const before = (await s!.call('GET', '/api/v1/companies?count=true&limit=1')).body.total;
    const res = await s!.call('POST', '/api/v1/companies/batch', {
      operations: [
        { op: 'create', data: { name: 'Batch One' } },
        { op: 'create', data: { name: 'Batch Two', website: 'not a url' } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('operations[1].website');
    expect((await s!.call('GET', '/api/v1/companies?count=true&limit=1')).body.total).toBe(before);
  });

  test('returns the first result again for a retried Idempotency-Key', async () => {
    const body = { name: 'Idempotent GmbH' };
    const a = await s!.call('POST', '/api/v1/companies', body, { 'idempotency-key': 'abc-1' });
    const b = await s!.call('POST', '/api/v1/companies', body, { 'idempotency-key': 'abc-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    const list = await s!.call(
      'GET',
      '/api/v1/companies?filter[name]=Idempotent%20GmbH&count=true',
    );
    expect(list.body.total).toBe(1);
    const other = await s!.call(
      'POST',
      '/api/v1/companies',
      { name: 'Other' },
      { 'idempotency-key': 'abc-1' },
    );
    expect(other.status).toBe(409);
  });

  test('writes every change to the audit log and shows it on the timeline, newest first', async () => {
    const c = (await s!.call('POST', '/api/v1/companies', { name: 'Timeline AG' })).body;
    await s!.call('PATCH', `/api/v1/companies/${c.id}`, { city: 'Bern' });
    s!.clock.advance(60_000);
    await s!.call('POST', '/api/v1/activities', {
      kind: 'note',
      body: 'Met at the fair',
      related_object: 'companies',
      related_id: c.id,
    });
    const tl = await s!.call('GET', `/api/v1/companies/${c.id}/timeline`);
    expect(tl.status).toBe(200);
    expect(tl.body.data.map((i: { type: string }) => i.type)).toEqual([
      'activity',
      'change',
      'change',
    ]);
    const update = tl.body.data[1];
    expect(update.action).toBe('update');
    expect(update.changes).toEqual({ city: [null, 'Bern'] });
  });

  test('refuses a duplicate contact by e-mail or phone unless asked to create it anyway', async () => {
    const first = await s!.call('POST', '/api/v1/contacts', {
      first_name: 'Maria',
      last_name: 'Anders',
      email: 'Maria.Anders@Example.com',
      phone: '+49 30 0074321',
    });
    expect(first.status).toBe(201);
    const byEmail = await s!.call('POST', '/api/v1/contacts', {
      last_name: 'Other',
      email: 'maria.anders@example.COM',
    });
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.existing.id).toBe(first.body.id);
    const byPhone = await s!.call('POST', '/api/v1/contacts', {
      last_name: 'Other',
      phone: '030 0074321',
      country: 'Germany',
    });
    expect(byPhone.status).toBe(409);
    const anyway = await s!.call('POST', '/api/v1/contacts?allow_duplicates=true', {
      last_name: 'Other',
      email: 'maria.anders@example.com',
    });
    expect(anyway.status).toBe(201);
  });
});

describe.each(DIALECTS)('aggregates on %s', (dialect) => {
  const s = serverFor(dialect);

  test('counts and sums a list by a field, per currency, within the filter and the reader scope', async () => {
    const stages = (await s.call('GET', '/api/v1/stages?sort=position')).body.data;
    const [first, second] = stages;
    await s.call('POST', '/api/v1/deals/batch', {
      operations: [
        {
          op: 'create',
          data: { name: 'A1', stage_id: first.id, amount: { amount_minor: 1000, currency: 'EUR' } },
        },
        {
          op: 'create',
          data: { name: 'A2', stage_id: first.id, amount: { amount_minor: 2500, currency: 'EUR' } },
        },
        {
          op: 'create',
          data: { name: 'A3', stage_id: first.id, amount: { amount_minor: 700, currency: 'USD' } },
        },
        {
          op: 'create',
          data: {
            name: 'B1',
            stage_id: second.id,
            amount: { amount_minor: 9900, currency: 'EUR' },
          },
        },
      ],
    });
    const res = await s.call('GET', '/api/v1/deals/aggregate?group_by=stage_id&sum=amount');
    expect(res.status).toBe(200);
    const byStage = new Map(res.body.data.map((g: { group: string }) => [g.group, g]));
    expect(byStage.get(first.id)).toEqual({
      group: first.id,
      count: 3,
      sum: { EUR: 3500, USD: 700 },
    });
    expect(byStage.get(second.id)).toEqual({ group: second.id, count: 1, sum: { EUR: 9900 } });
    const filtered = await s.call(
      'GET',
      '/api/v1/deals/aggregate?group_by=stage_id&sum=amount&filter[name][starts_with]=B',
    );
    expect(filtered.body.data).toEqual([{ group: second.id, count: 1, sum: { EUR: 9900 } }]);
    const rep = await s.keyFor({
      email: 'agg@example.com',
      name: 'Agg',
      role: 'Sales representative',
      team: 'Agg',
    });
    const theirs = await callAs(s, rep.key)(
      'GET',
      '/api/v1/deals/aggregate?group_by=stage_id&sum=amount',
    );
    expect(theirs.body.data).toEqual([]);
    expect((await s.call('GET', '/api/v1/deals/aggregate?group_by=description')).status).toBe(400);
    expect((await s.call('GET', '/api/v1/deals/aggregate?group_by=stage_id&sum=name')).status).toBe(
      400,
    );
  });
});

describe.each(DIALECTS)('global search on %s', (dialect) => {
  const s = serverFor(dialect);

  test('finds records of every object the reader may read, and nothing of others', async () => {
    await s.call('POST', '/api/v1/companies', { name: 'Zebrafish Holding' });
    await s.call('POST', '/api/v1/contacts', { first_name: 'Zebra', last_name: 'Stripes' });
    const res = await s.call('GET', '/api/v1/search?q=zebra');
    expect(
      res.body.data.map((h: { object: string; title: string }) => `${h.object}:${h.title}`).sort(),
    ).toEqual(['companies:Zebrafish Holding', 'contacts:Zebra Stripes']);
    const rep = await s.keyFor({
      email: 'gs@example.com',
      name: 'GS',
      role: 'Sales representative',
      team: 'GS',
    });
    expect((await callAs(s, rep.key)('GET', '/api/v1/search?q=zebra')).body.data).toEqual([]);
    expect((await s.call('GET', '/api/v1/search')).status).toBe(400);
  });
});
