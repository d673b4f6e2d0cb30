import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';

/** Every kind of bad input gets a 4xx problem document that names the field, and writes nothing. */
describe.each(DIALECTS)('bad input on %s', (dialect) => {
  const s = serverFor(dialect);

  async function companyCount(): Promise<number> {
    return (await s!.call('GET', '/api/v1/companies?count=true&limit=1')).body.total;
  }

  async function expectProblem(
    res: { status: number; headers: Record<string, unknown>; body: any },
    status: number,
    path?: string,
  ) {
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, request_id: expect.any(String) });
    if (path !== undefined)
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  }

  test('malformed JSON', async () => {
    const before = await companyCount();
    await expectProblem(await s!.call('POST', '/api/v1/companies', '{"name": "x",'), 400, 'body');
    expect(await companyCount()).toBe(before);
  });

  test('a body that is not an object', async () => {
    await expectProblem(await s!.call('POST', '/api/v1/companies', [1, 2]), 400, '');
    await expectProblem(await s!.call('POST', '/api/v1/companies', '"text"'), 400, '');
  });

  test('wrong types', async () => {
    const before = await companyCount();
    await expectProblem(await s!.call('POST', '/api/v1/companies', { name: 42 }), 400, 'name');
    await expectProblem(
      await s!.call('POST', '/api/v1/companies', { name: 'x', is_supplier: 'yes' }),
      400,
      'is_supplier',
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/deals', { name: 'x', amount: 12 }),
      400,
      'amount',
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/stages', {
        name: 'x',
        position: 1.5,
        kind: 'open',
        pipeline_id: '00000000-0000-7000-8000-000000000000',
      }),
      400,
      'position',
    );
    expect(await companyCount()).toBe(before);
  });

  test('unknown fields', async () => {
    const res = await s!.call('POST', '/api/v1/companies', { name: 'x', nmae: 'typo' });
    await expectProblem(res, 400, 'nmae');
    expect(res.body.errors[0].message).toContain('unknown field');
  });

  test('read-only and system fields', async () => {
    await expectProblem(
      await s!.call('POST', '/api/v1/companies', { name: 'x', id: 'abc' }),
      400,
      'id',
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/companies', { name: 'x', version: 3 }),
      400,
      'version',
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/deals', { name: 'x', status: 'won' }),
      400,
      'status',
    );
  });

  test('a missing required field', async () => {
    await expectProblem(await s!.call('POST', '/api/v1/companies', {}), 400, 'name');
    await expectProblem(await s!.call('POST', '/api/v1/companies', { name: '   ' }), 400, 'name');
  });

  test('unknown objects and routes', async () => {
    await expectProblem(await s!.call('GET', '/api/v1/widgets'), 404, 'object');
    await expectProblem(await s!.call('POST', '/api/v1/widgets', { name: 'x' }), 404, 'object');
    await expectProblem(await s!.call('GET', '/api/v9/nothing'), 404);
  });

  test('a huge body', async () => {
    const before = await companyCount();
    const res = await s!.call('POST', '/api/v1/companies', {
      name: 'x',
      description: 'y'.repeat(11 * 1024 * 1024),
    });
    await expectProblem(res, 413, 'body');
    expect(await companyCount()).toBe(before);
  });

  test('over-long strings', async () => {
    await expectProblem(
      await s!.call('POST', '/api/v1/companies', { name: 'n'.repeat(1001) }),
      400,
      'name',
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/companies', { name: 'x', description: 'd'.repeat(100_001) }),
      400,
      'description',
    );
  });

  test('invalid ids', async () => {
    await expectProblem(await s!.call('GET', '/api/v1/companies/not-an-id'), 400, 'id');
    await expectProblem(await s!.call('PATCH', '/api/v1/companies/123', { name: 'x' }), 400, 'id');
    await expectProblem(
      await s!.call('GET', '/api/v1/companies/01a24200-0000-7000-8000-000000000000'),
      404,
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/contacts', { last_name: 'x', company_id: 'nope' }),
      400,
      'company_id',
    );
    await expectProblem(
      await s!.call('POST', '/api/v1/contacts', {
        last_name: 'x',
        company_id: '01a24200-0000-7000-8000-000000000000',
      }),
      400,
      'company_id',
    );
  });

  test('filters on missing fields, unknown operators and bad values', async () => {
    await expectProblem(
      await s!.call('GET', '/api/v1/companies?filter[nope]=1'),
      400,
      'filter[nope]',
    );
    await expectProblem(
      await s!.call('GET', '/api/v1/companies?filter[name][like]=x'),
      400,
      'filter[name][like]',
    );
    await expectProblem(
      await s!.call('GET', '/api/v1/companies?filter[is_supplier]=maybe'),
      400,
      'filter[is_supplier]',
    );
    await expectProblem(
      await s!.call('GET', '/api/v1/deals?filter[closed_at][gt]=yesterday'),
      400,
      'filter[closed_at][gt]',
    );
    await expectProblem(await s!.call('GET', '/api/v1/companies?filter[or]=x'), 400, 'filter[or]');
    await expectProblem(await s!.call('GET', '/api/v1/companies?sort=-nope'), 400, 'sort');
    await expectProblem(await s!.call('GET', '/api/v1/companies?limit=501'), 400, 'limit');
    await expectProblem(await s!.call('GET', '/api/v1/companies?limit=abc'), 400, 'limit');
    await expectProblem(await s!.call('GET', '/api/v1/companies?cursor=garbage'), 400, 'cursor');
    await expectProblem(await s!.call('GET', '/api/v1/companies?fields=name,nope'), 400, 'fields');
    await expectProblem(await s!.call('GET', '/api/v1/companies?q=%20%20'), 400, 'q');
  });

  test('a cursor from another sort order', async () => {
    await s!.call('POST', '/api/v1/companies/batch', {
      operations: [1, 2, 3].map((i) => ({ op: 'create', data: { name: `C${i}` } })),
    });
    const page = await s!.call('GET', '/api/v1/companies?sort=name&limit=1');
    await expectProblem(
      await s!.call('GET', `/api/v1/companies?sort=-name&limit=1&cursor=${page.body.next_cursor}`),
      400,
      'cursor',
    );
  });

  test('stale versions and malformed If-Match', async () => {
    const c = (await s!.call('POST', '/api/v1/companies', { name: 'Versioned' })).body;
    await expectProblem(
      await s!.call('PATCH', `/api/v1/companies/${c.id}`, { name: 'New' }, { 'if-match': '"7"' }),
      412,
      'version',
    );
    await expectProblem(
      await s!.call('PATCH', `/api/v1/companies/${c.id}`, { name: 'New' }, { 'if-match': 'seven' }),
      400,
      'If-Match',
    );
    await expectProblem(
      await s!.call('DELETE', `/api/v1/companies/${c.id}`, undefined, { 'if-match': '"2"' }),
      412,
    );
    expect((await s!.call('GET', `/api/v1/companies/${c.id}`)).body).toMatchObject({
      name: 'Versioned',
      version: 1,
      deleted_at: null,
    });
  });

  test('no credentials, a wrong key, and a signed-in write without its CSRF token', async () => {
    const anon = await s!.app.inject({ method: 'GET', url: '/api/v1/companies' });
    expect(anon.statusCode).toBe(401);
    const wrong = await s!.app.inject({
      method: 'GET',
      url: '/api/v1/companies',
      headers: { authorization: 'Bearer kontor_nope' },
    });
    expect(wrong.statusCode).toBe(401);

    const login = await s!.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'admin-password-1' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const noCsrf = await s!.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { cookie },
      payload: { name: 'csrf' },
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await s!.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { cookie, 'x-csrf-token': JSON.parse(login.body).csrf_token },
      payload: { name: 'csrf' },
    });
    expect(withCsrf.statusCode).toBe(201);
    const read = await s!.app.inject({
      method: 'GET',
      url: '/api/v1/companies?limit=1',
      headers: { cookie },
    });
    expect(read.statusCode).toBe(200);
  });

  test('rate-limits sign-in attempts', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await s!.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.com', password: 'wrong-password' },
        remoteAddress: '127.0.0.9',
      });
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
  });

  test('a batch over the limit', async () => {
    const ops = Array.from({ length: 1001 }, () => ({ op: 'create', data: { name: 'x' } }));
    await expectProblem(
      await s!.call('POST', '/api/v1/companies/batch', { operations: ops }),
      400,
      'operations',
    );
  });
});
