import { describe, expect, test } from 'vitest';
import { ensureBuiltInRoles } from '../../server/src/core/auth/roles';
import { DIALECTS, callAs, serverFor } from '../helpers';

/** Server rules the administrators' Settings area relies on. */
describe.each(DIALECTS)('settings rules on %s', (dialect) => {
  const s = serverFor(dialect);

  async function roleId(name: string): Promise<string> {
    const roles = (await s.call('GET', '/api/v1/roles')).body.data as {
      id: string;
      name: string;
    }[];
    return roles.find((r) => r.name === name)!.id;
  }

  test('the last active administrator can be neither demoted nor deactivated', async () => {
    const admin = await roleId('Administrator');
    const manager = await roleId('Sales manager');

    // The only administrator cannot give up the role, and cannot deactivate themselves.
    const alone = await s.call('PATCH', `/api/v1/users/${s.adminId}`, { role_id: manager });
    expect(alone.status).toBe(400);
    expect(alone.body.errors).toEqual([
      {
        path: 'role_id',
        message: 'is the last active administrator; make someone else an administrator first',
      },
    ]);
    const self = await s.call('PATCH', `/api/v1/users/${s.adminId}`, { is_active: false });
    expect(self.status).toBe(400);
    expect(self.body.errors[0].path).toBe('is_active');

    // A second administrator, deactivated, does not count.
    const second = await s.keyFor({
      email: 'second-admin@example.com',
      name: 'Second Admin',
      role: 'Administrator',
    });
    expect((await s.call('PATCH', `/api/v1/users/${second.id}`, { is_active: false })).status).toBe(
      200,
    );
    expect((await s.call('PATCH', `/api/v1/users/${s.adminId}`, { role_id: manager })).status).toBe(
      400,
    );

    // Active again, it does: the first may now step down, and the second cannot follow.
    expect((await s.call('PATCH', `/api/v1/users/${second.id}`, { is_active: true })).status).toBe(
      200,
    );
    const down = await s.call('PATCH', `/api/v1/users/${s.adminId}`, { role_id: manager });
    expect(down.status).toBe(200);
    const asSecond = callAs(s, second.key);
    const secondDown = await asSecond('PATCH', `/api/v1/users/${second.id}`, { role_id: manager });
    expect(secondDown.status).toBe(400);
    expect(secondDown.body.errors[0].path).toBe('role_id');
    // The second makes the first an administrator again.
    expect((await asSecond('PATCH', `/api/v1/users/${s.adminId}`, { role_id: admin })).status).toBe(
      200,
    );

    // Two administrators stepping down at the same moment: one of them must stay.
    const both = await Promise.all([
      s.call('PATCH', `/api/v1/users/${s.adminId}`, { role_id: manager }),
      asSecond('PATCH', `/api/v1/users/${second.id}`, { role_id: manager }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 400]);
    const users = (await asSecond('GET', '/api/v1/users')).body.data as {
      id: string;
      role_id: string;
    }[];
    const admins = users.filter(
      (u) => [s.adminId, second.id].includes(u.id) && u.role_id === admin,
    );
    expect(admins).toHaveLength(1);
    // Put the test administrator back for the tests that follow.
    if (admins[0].id === second.id) {
      expect(
        (await asSecond('PATCH', `/api/v1/users/${s.adminId}`, { role_id: admin })).status,
      ).toBe(200);
    }
  });

  test('the user list names each user’s team', async () => {
    const created = await s.call('POST', '/api/v1/users', {
      email: 'teamed@example.com',
      name: 'Teamed',
      team: 'North',
    });
    expect(created.status).toBe(201);
    expect(created.body.one_time_password).toEqual(expect.any(String));
    expect(created.body.must_change_password).toBe(true);
    const listed = (await s.call('GET', '/api/v1/users')).body.data as {
      id: string;
      team: string | null;
    }[];
    expect(listed.find((u) => u.id === created.body.id)!.team).toBe('North');
    const moved = await s.call('PATCH', `/api/v1/users/${created.body.id}`, { team: 'South' });
    expect(moved.body.team).toBe('South');
    const none = await s.call('PATCH', `/api/v1/users/${created.body.id}`, { team: null });
    expect(none.body).toMatchObject({ team: null, team_id: null });
  });

  test('a stage with deals keeps its kind and pipeline, and is not removed', async () => {
    const pipeline = (await s.call('POST', '/api/v1/pipelines', { name: 'Rules', position: 5 }))
      .body;
    const other = (await s.call('POST', '/api/v1/pipelines', { name: 'Other', position: 6 })).body;
    const open = (
      await s.call('POST', '/api/v1/stages', {
        name: 'Talking',
        pipeline_id: pipeline.id,
        position: 0,
        kind: 'open',
        probability: 20,
      })
    ).body;
    const empty = (
      await s.call('POST', '/api/v1/stages', {
        name: 'Empty',
        pipeline_id: pipeline.id,
        position: 1,
        kind: 'open',
      })
    ).body;
    expect(
      (await s.call('PATCH', `/api/v1/stages/${open.id}`, { probability: 150 })).body.errors,
    ).toEqual([{ path: 'probability', message: 'must be between 0 and 100' }]);
    await s.call('POST', '/api/v1/deals', { name: 'In talks', stage_id: open.id });

    const kind = await s.call('PATCH', `/api/v1/stages/${open.id}`, { kind: 'won' });
    expect(kind.status).toBe(400);
    expect(kind.body.errors).toEqual([
      {
        path: 'kind',
        message:
          'cannot change while 1 deal(s) are in this stage; move them to another stage first',
      },
    ]);
    const moved = await s.call('PATCH', `/api/v1/stages/${open.id}`, { pipeline_id: other.id });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].path).toBe('pipeline_id');
    // The rest of a stage with deals may change, and an empty stage may change kind.
    expect(
      (await s.call('PATCH', `/api/v1/stages/${open.id}`, { name: 'Talks', probability: 30 }))
        .status,
    ).toBe(200);
    expect((await s.call('PATCH', `/api/v1/stages/${empty.id}`, { kind: 'lost' })).status).toBe(
      200,
    );
    // A deal in the trash holds its stage too: restored, it must not land in a changed stage.
    const trashed = (
      await s.call('POST', '/api/v1/deals', {
        name: 'Gone',
        stage_id: empty.id,
        lost_reason: 'Price',
      })
    ).body;
    await s.call('DELETE', `/api/v1/deals/${trashed.id}`);
    const whileTrashed = await s.call('PATCH', `/api/v1/stages/${empty.id}`, { kind: 'open' });
    expect(whileTrashed.status).toBe(400);
    expect(whileTrashed.body.errors[0].message).toContain('1 of them in the trash');

    const removed = await s.call('DELETE', `/api/v1/stages/${open.id}`);
    expect(removed.status).toBe(409);
    expect(removed.body.dependents[0]).toMatchObject({
      object: 'deals',
      field: 'stage_id',
      count: 1,
    });
    expect((await s.call('DELETE', `/api/v1/stages/${empty.id}`)).status).toBe(200);
  });

  test('reordering stages as one versioned batch loses no concurrent change', async () => {
    const pipeline = (await s.call('POST', '/api/v1/pipelines', { name: 'Order', position: 7 }))
      .body;
    const [a, b] = await Promise.all(
      ['A', 'B'].map(
        async (name, i) =>
          (
            await s.call('POST', '/api/v1/stages', {
              name,
              pipeline_id: pipeline.id,
              position: i,
              kind: 'open',
            })
          ).body,
      ),
    );
    // Someone renames B after the screen read it.
    await s.call('PATCH', `/api/v1/stages/${b.id}`, { name: 'B renamed' });
    const swap = await s.call('POST', '/api/v1/stages/batch', {
      operations: [
        { op: 'update', id: a.id, version: a.version, data: { position: 1 } },
        { op: 'update', id: b.id, version: b.version, data: { position: 0 } },
      ],
    });
    expect(swap.status).toBe(412);
    const after = (
      await s.call('GET', `/api/v1/stages?filter[pipeline_id]=${pipeline.id}&sort=position`)
    ).body.data as { name: string; position: number }[];
    expect(after.map((x) => [x.name, x.position])).toEqual([
      ['A', 0],
      ['B renamed', 1],
    ]);
  });

  test('a renamed built-in role is not brought back by the next start', async () => {
    const id = await roleId('Sales manager');
    const renamed = await s.call('PATCH', `/api/v1/roles/${id}`, { name: 'Vertrieb' });
    expect(renamed.status).toBe(200);
    // What every start runs.
    await ensureBuiltInRoles(s.kontor.database.db, s.kontor.database.dialect, s.clock);
    const names = ((await s.call('GET', '/api/v1/roles')).body.data as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names.sort()).toEqual(['Administrator', 'Sales representative', 'Vertrieb']);
  });
});
