import { describe, expect, test } from 'vitest';
import { DIALECTS, callAs, serverFor } from '../helpers';

/** Saved views of tables: checked against metadata, private unless shared, with defaults. */
describe.each(DIALECTS)('saved views on %s', (dialect) => {
  const s = serverFor(dialect);
  const users = async () => {
    const rep = await s.keyFor({
      email: `rep-${Math.random()}@example.com`,
      name: 'Rep',
      role: 'Sales representative',
      team: 'East',
    });
    const other = await s.keyFor({
      email: `other-${Math.random()}@example.com`,
      name: 'Other',
      role: 'Sales representative',
      team: 'East',
    });
    return { rep: callAs(s, rep.key), repId: rep.id, other: callAs(s, other.key) };
  };

  const goodConfig = {
    columns: [
      { field: 'name', width: 240 },
      { field: 'amount' },
      { field: 'stage_id', width: 160 },
    ],
    sort: '-amount,name',
    filter: {
      status: 'open',
      or: [{ amount: { gte: '100000' } }, { name: { contains: 'big' } }],
    },
    q: 'acme',
  };

  test('creates, reads, lists, changes with a version and deletes a view', async () => {
    const created = await s.call('POST', '/api/v1/views', {
      object: 'deals',
      name: 'Big open deals',
      config: goodConfig,
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/views/${created.body.id}`);
    expect(created.body).toMatchObject({
      object: 'deals',
      name: 'Big open deals',
      shared: false,
      owner_id: s.adminId,
      version: 1,
      can_edit: true,
      warnings: [],
      config: goodConfig,
    });
    const id = created.body.id as string;

    const one = await s.call('GET', `/api/v1/views/${id}`);
    expect(one.status).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.body.config).toEqual(goodConfig);

    // The saved filter and sort are the list endpoint's own: they run there unchanged.
    const list = await s.call('GET', '/api/v1/views?object=deals');
    expect(list.body.data.map((v: { id: string }) => v.id)).toContain(id);
    expect(list.body.defaults).toMatchObject({ object: 'deals', default_view_id: null });

    // A config change replaces the parts given and keeps the others.
    const patched = await s.call(
      'PATCH',
      `/api/v1/views/${id}`,
      { name: 'Big deals', config: { sort: 'name' } },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.body).toMatchObject({ name: 'Big deals', version: 2 });
    expect(patched.body.config).toEqual({ ...goodConfig, sort: 'name' });

    const stale = await s.call(
      'PATCH',
      `/api/v1/views/${id}`,
      { name: 'Stale' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.current_version).toBe(2);
    const staleBody = await s.call('PATCH', `/api/v1/views/${id}`, { name: 'Stale', version: 1 });
    expect(staleBody.status).toBe(412);
    expect((await s.call('GET', `/api/v1/views/${id}`)).body.name).toBe('Big deals');

    expect(
      (await s.call('DELETE', `/api/v1/views/${id}`, undefined, { 'if-match': '"1"' })).status,
    ).toBe(412);
    expect((await s.call('DELETE', `/api/v1/views/${id}`)).status).toBe(204);
    expect((await s.call('GET', `/api/v1/views/${id}`)).status).toBe(404);
  });

  test('refuses a bad view with the path of each problem', async () => {
    const bad = async (body: unknown) => {
      const res = await s.call('POST', '/api/v1/views', body);
      return {
        status: res.status,
        paths: (res.body.errors ?? []).map((e: { path: string }) => e.path),
        body: res.body,
      };
    };
    expect(await bad({ object: 'nope', name: 'x' })).toMatchObject({
      status: 400,
      paths: ['object'],
    });
    expect(await bad({ name: 'x' })).toMatchObject({ status: 400, paths: ['object'] });
    expect(await bad({ object: 'deals', name: '   ' })).toMatchObject({
      status: 400,
      paths: ['name'],
    });
    expect(await bad({ object: 'deals', name: 'x'.repeat(101) })).toMatchObject({
      status: 400,
      paths: ['name'],
    });
    expect(await bad({ object: 'deals', name: 'x', colour: 'red' })).toMatchObject({
      status: 400,
      paths: ['colour'],
    });

    const unknownField = await bad({
      object: 'deals',
      name: 'x',
      config: { columns: [{ field: 'name' }, { field: 'nope' }] },
    });
    expect(unknownField).toMatchObject({ status: 400, paths: ['config.columns[1].field'] });
    expect(unknownField.body.errors[0].message).toBe('no field "nope" on deals');

    const many = Array.from({ length: 51 }, () => ({ field: 'name' }));
    expect(await bad({ object: 'deals', name: 'x', config: { columns: many } })).toMatchObject({
      status: 400,
      paths: ['config.columns'],
    });
    expect(
      await bad({
        object: 'deals',
        name: 'x',
        config: { columns: [{ field: 'name' }, { field: 'name' }] },
      }),
    ).toMatchObject({ status: 400, paths: ['config.columns[1].field'] });
    for (const width of [10, 5000, 12.5, '200']) {
      expect(
        await bad({ object: 'deals', name: 'x', config: { columns: [{ field: 'name', width }] } }),
      ).toMatchObject({ status: 400, paths: ['config.columns[0].width'] });
    }
    expect(await bad({ object: 'deals', name: 'x', config: { sort: 'nope' } })).toMatchObject({
      status: 400,
      paths: ['config.sort'],
    });
    expect(
      await bad({ object: 'deals', name: 'x', config: { sort: 'a,b,c,d,e,f' } }),
    ).toMatchObject({
      status: 400,
      paths: ['config.sort'],
    });
    // The list endpoint's own filter parser decides, and its paths are kept.
    expect(
      await bad({ object: 'deals', name: 'x', config: { filter: { amount: { like: '1' } } } }),
    ).toMatchObject({ status: 400, paths: ['config.filter[amount][like]'] });
    expect(
      await bad({ object: 'deals', name: 'x', config: { filter: { or: [{ nope: 'x' }] } } }),
    ).toMatchObject({ status: 400, paths: ['config.filter[or][0][nope]'] });
    expect(
      await bad({ object: 'deals', name: 'x', config: { filter: { amount: { gte: 5 } } } }),
    ).toMatchObject({ status: 400, paths: ['config.filter[amount][gte]'] });
    expect(
      await bad({ object: 'deals', name: 'x', config: { filter: 'status=open' } }),
    ).toMatchObject({
      status: 400,
      paths: ['config.filter'],
    });
    expect(await bad({ object: 'deals', name: 'x', config: { q: '!!!' } })).toMatchObject({
      status: 400,
      paths: ['config.q'],
    });
    expect(await bad({ object: 'deals', name: 'x', config: { group: 'x' } })).toMatchObject({
      status: 400,
      paths: ['config.group'],
    });
    // Every problem at once.
    const all = await bad({
      object: 'deals',
      name: '',
      config: { columns: [{ field: 'nope' }], sort: 'nope' },
    });
    expect(all.paths).toEqual(['name', 'config.columns[0].field', 'config.sort']);

    await s.call('POST', '/api/v1/views', { object: 'deals', name: 'Mine' });
    const dup = await s.call('POST', '/api/v1/views', { object: 'deals', name: 'MINE ' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toBe('name');
    // The same name is fine on another object.
    expect(
      (await s.call('POST', '/api/v1/views', { object: 'companies', name: 'Mine' })).status,
    ).toBe(201);
  });

  test("another user's personal view is invisible and cannot be changed", async () => {
    const { rep, other } = await users();
    const mine = await rep('POST', '/api/v1/views', {
      object: 'deals',
      name: 'My pipeline',
      config: { sort: '-amount' },
    });
    expect(mine.status).toBe(201);
    const id = mine.body.id;
    expect(
      (await rep('GET', '/api/v1/views?object=deals')).body.data.map((v: { id: string }) => v.id),
    ).toEqual([id]);

    const list = await other('GET', '/api/v1/views?object=deals');
    expect(list.body.data.map((v: { id: string }) => v.id)).not.toContain(id);
    expect((await other('GET', `/api/v1/views/${id}`)).status).toBe(404);
    expect((await other('PATCH', `/api/v1/views/${id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await other('DELETE', `/api/v1/views/${id}`)).status).toBe(404);
    expect((await other('PUT', '/api/v1/views/defaults/deals/mine', { view_id: id })).status).toBe(
      400,
    );
    // Administrators do not see personal views of others either.
    expect((await s.call('GET', `/api/v1/views/${id}`)).status).toBe(404);
    expect(
      (await s.call('GET', '/api/v1/views?object=deals')).body.data.map(
        (v: { id: string }) => v.id,
      ),
    ).not.toContain(id);
    expect((await rep('GET', `/api/v1/views/${id}`)).body.name).toBe('My pipeline');
  });

  test('shared views: everyone who reads the object sees them; the owner or an administrator edits them', async () => {
    const { rep, other } = await users();
    // Only administrators share.
    expect(
      (await rep('POST', '/api/v1/views', { object: 'deals', name: 'Team', shared: true })).status,
    ).toBe(403);
    const shared = await s.call('POST', '/api/v1/views', {
      object: 'deals',
      name: 'Everyone',
      shared: true,
      config: { columns: [{ field: 'name' }] },
    });
    expect(shared.status).toBe(201);
    const id = shared.body.id;
    const seen = await rep('GET', '/api/v1/views?object=deals');
    expect(seen.body.data.find((v: { id: string }) => v.id === id)).toMatchObject({
      shared: true,
      can_edit: false,
    });
    expect((await rep('PATCH', `/api/v1/views/${id}`, { name: 'Mine now' })).status).toBe(403);
    expect((await rep('DELETE', `/api/v1/views/${id}`)).status).toBe(403);
    expect((await rep('PATCH', `/api/v1/views/${id}`, { shared: false })).status).toBe(403);

    // Another administrator may change and delete it.
    const admin2 = await s.keyFor({
      email: `admin2-${Math.random()}@example.com`,
      name: 'Second admin',
      role: 'Administrator',
    });
    const second = callAs(s, admin2.key);
    const renamed = await second('PATCH', `/api/v1/views/${id}`, { name: 'For everyone' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ owner_id: s.adminId, can_edit: true, version: 2 });

    // A personal view may not be shared by a representative either.
    const own = await rep('POST', '/api/v1/views', { object: 'deals', name: 'Own' });
    expect((await rep('PATCH', `/api/v1/views/${own.body.id}`, { shared: true })).status).toBe(403);

    // Unsharing takes it away from others, and from their defaults.
    expect(
      (await other('PUT', '/api/v1/views/defaults/deals/mine', { view_id: id })).body
        .my_default_view_id,
    ).toBe(id);
    expect((await s.call('PATCH', `/api/v1/views/${id}`, { shared: false })).status).toBe(200);
    expect((await other('GET', `/api/v1/views/${id}`)).status).toBe(404);
    expect((await other('GET', '/api/v1/views/defaults/deals')).body.my_default_view_id).toBeNull();
  });

  test('a role that cannot read the object, or a field, cannot save views on them', async () => {
    const role = await s.call('POST', '/api/v1/roles', {
      name: `No amounts ${Math.random()}`,
      permissions: {
        objects: { deals: { read: 'all', fields: { amount: 'none' } } },
      },
    });
    expect(role.status).toBe(201);
    const u = await s.keyFor({
      email: `na-${Math.random()}@example.com`,
      name: 'NA',
      role: role.body.name,
    });
    const na = callAs(s, u.key);
    expect((await na('GET', '/api/v1/views?object=companies')).status).toBe(403);
    expect((await na('POST', '/api/v1/views', { object: 'companies', name: 'x' })).status).toBe(
      403,
    );
    const hidden = await na('POST', '/api/v1/views', {
      object: 'deals',
      name: 'x',
      config: { columns: [{ field: 'amount' }], sort: 'amount', filter: { amount: { gt: '1' } } },
    });
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'config.columns[0].field',
      'config.sort',
      'config.filter[amount]',
    ]);

    // A shared view with a field the reader may not see reads without it.
    const shared = await s.call('POST', '/api/v1/views', {
      object: 'deals',
      name: `With amounts ${Math.random()}`,
      shared: true,
      config: {
        columns: [{ field: 'name' }, { field: 'amount' }],
        sort: '-amount,name',
        filter: { amount: { gt: '1' }, status: 'open' },
      },
    });
    const read = await na('GET', `/api/v1/views/${shared.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.config).toEqual({
      columns: [{ field: 'name' }],
      sort: 'name',
      filter: { status: 'open' },
      q: '',
    });
    expect(read.body.warnings.map((w: { path: string }) => w.path)).toEqual([
      'config.columns[1]',
      'config.sort',
      'config.filter[amount]',
    ]);
  });

  test('defaults: my own wins over the shared one; only administrators set the shared one', async () => {
    const { rep } = await users();
    const everyone = await s.call('POST', '/api/v1/views', {
      object: 'companies',
      name: `For all ${Math.random()}`,
      shared: true,
    });
    const personal = await s.call('POST', '/api/v1/views', {
      object: 'companies',
      name: `Admin only ${Math.random()}`,
    });
    expect(
      (
        await s.call('PUT', '/api/v1/views/defaults/companies/shared', {
          view_id: personal.body.id,
        })
      ).body.errors[0].path,
    ).toBe('view_id');
    expect(
      (await rep('PUT', '/api/v1/views/defaults/companies/shared', { view_id: everyone.body.id }))
        .status,
    ).toBe(403);
    const set = await s.call('PUT', '/api/v1/views/defaults/companies/shared', {
      view_id: everyone.body.id,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      default_view_id: everyone.body.id,
      shared_default_view_id: everyone.body.id,
      my_default_view_id: null,
    });
    expect((await rep('GET', '/api/v1/views?object=companies')).body.defaults.default_view_id).toBe(
      everyone.body.id,
    );

    const repOwn = await rep('POST', '/api/v1/views', { object: 'companies', name: 'Rep own' });
    const mine = await rep('PUT', '/api/v1/views/defaults/companies/mine', {
      view_id: repOwn.body.id,
    });
    expect(mine.body).toMatchObject({
      default_view_id: repOwn.body.id,
      shared_default_view_id: everyone.body.id,
    });
    // A view of another object is not a default of this one.
    const dealView = await rep('POST', '/api/v1/views', { object: 'deals', name: 'Deals' });
    expect(
      (await rep('PUT', '/api/v1/views/defaults/companies/mine', { view_id: dealView.body.id }))
        .status,
    ).toBe(400);

    const cleared = await rep('DELETE', '/api/v1/views/defaults/companies/mine');
    expect(cleared.body.default_view_id).toBe(everyone.body.id);
    // Deleting my default view clears it.
    await rep('PUT', '/api/v1/views/defaults/companies/mine', { view_id: repOwn.body.id });
    expect((await rep('DELETE', `/api/v1/views/${repOwn.body.id}`)).status).toBe(204);
    expect((await rep('GET', '/api/v1/views/defaults/companies')).body.default_view_id).toBe(
      everyone.body.id,
    );
    expect(
      (await s.call('DELETE', '/api/v1/views/defaults/companies/shared')).body.default_view_id,
    ).toBeNull();
  });

  test('a renamed custom field stays in its views; a removed one is left out and reported', async () => {
    const field = await s.call('POST', '/api/v1/metadata/objects/deals/fields', {
      name: 'region',
      label: 'Region',
      type: 'text',
    });
    expect(field.status).toBe(201);
    const view = await s.call('POST', '/api/v1/views', {
      object: 'deals',
      name: `Regions ${Math.random()}`,
      config: {
        columns: [{ field: 'name' }, { field: 'region', width: 120 }],
        sort: '-region,name',
        filter: {
          or: [{ region: { starts_with: 'No' } }, { region: { is_empty: 'true' } }],
          status: 'open',
        },
      },
    });
    expect(view.status).toBe(201);
    const renamed = await s.call('PATCH', '/api/v1/metadata/objects/deals/fields/region', {
      name: 'area',
    });
    expect(renamed.status).toBe(200);
    const after = await s.call('GET', `/api/v1/views/${view.body.id}`);
    expect(after.body.config).toMatchObject({
      columns: [{ field: 'name' }, { field: 'area', width: 120 }],
      sort: '-area,name',
      filter: { or: [{ area: { starts_with: 'No' } }, { area: { is_empty: 'true' } }] },
    });
    expect(after.body.warnings).toEqual([]);

    expect((await s.call('DELETE', '/api/v1/metadata/objects/deals/fields/area')).status).toBe(204);
    const removed = await s.call('GET', `/api/v1/views/${view.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.config).toEqual({
      columns: [{ field: 'name' }],
      sort: 'name',
      filter: { status: 'open' },
      q: '',
    });
    expect(removed.body.warnings.map((w: { path: string }) => w.path)).toEqual([
      'config.columns[1]',
      'config.sort',
      'config.filter[or][0][area]',
      'config.filter[or][1][area]',
    ]);
    // What is left still runs on the list endpoint, and the view can still be renamed.
    const renamedView = await s.call('PATCH', `/api/v1/views/${view.body.id}`, {
      name: `Still ${Math.random()}`,
    });
    expect(renamedView.status).toBe(200);
  });

  test('a condition the field no longer allows (an option removed, a new type) is left out and reported', async () => {
    await s.call('POST', '/api/v1/metadata/objects/deals/fields', {
      name: 'tier',
      label: 'Tier',
      type: 'select',
      options: [
        { value: 'gold', label: 'Gold' },
        { value: 'silver', label: 'Silver' },
      ],
    });
    await s.call('POST', '/api/v1/metadata/objects/deals/fields', {
      name: 'zone',
      label: 'Zone',
      type: 'text',
    });
    const view = await s.call('POST', '/api/v1/views', {
      object: 'deals',
      name: `Tiers ${Math.random()}`,
      config: {
        filter: { tier: { in: 'gold,silver' }, zone: { contains: 'north' }, status: 'open' },
      },
    });
    expect(view.status).toBe(201);
    const dropped = await s.call('PATCH', '/api/v1/metadata/objects/deals/fields/tier', {
      options: [{ value: 'gold', label: 'Gold' }],
    });
    expect(dropped.status).toBe(200);
    expect((await s.call('DELETE', '/api/v1/metadata/objects/deals/fields/zone')).status).toBe(204);
    await s.call('POST', '/api/v1/metadata/objects/deals/fields', {
      name: 'zone',
      label: 'Zone',
      type: 'integer',
    });
    const read = await s.call('GET', `/api/v1/views/${view.body.id}`);
    expect(read.body.config.filter).toEqual({ status: 'open' });
    expect(read.body.warnings.map((w: { path: string }) => w.path)).toEqual([
      'config.filter[tier][in][1]',
      'config.filter[zone][contains]',
    ]);
    // What is left runs on the list endpoint.
    const qs = 'filter[status]=open';
    expect((await s.call('GET', `/api/v1/deals?${qs}`)).status).toBe(200);
  });

  test('unknown object and view ids are 404s; views are in the OpenAPI document', async () => {
    expect((await s.call('GET', '/api/v1/views?object=nope')).status).toBe(404);
    expect((await s.call('GET', '/api/v1/views')).status).toBe(400);
    expect((await s.call('GET', '/api/v1/views/not-an-id')).status).toBe(404);
    expect((await s.call('GET', '/api/v1/views/0190b3c4-0000-7000-8000-000000000000')).status).toBe(
      404,
    );
    expect((await s.call('PUT', '/api/v1/views/defaults/nope/mine', { view_id: 'x' })).status).toBe(
      404,
    );
    // No custom object may take the name.
    const taken = await s.call('POST', '/api/v1/metadata/objects', {
      name: 'views',
      label_singular: 'View',
      label_plural: 'Views',
    });
    expect(taken.status).toBe(400);
    const doc = await s.call('GET', '/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/views',
        '/api/v1/views/{id}',
        '/api/v1/views/defaults/{object}',
        '/api/v1/views/defaults/{object}/mine',
        '/api/v1/views/defaults/{object}/shared',
      ]),
    );
    expect(doc.body.components.schemas.View).toBeDefined();
  });
});
