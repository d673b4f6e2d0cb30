import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '../../core/auth/tokens';
import { oneTimePassword } from '../../core/auth/passwords';
import {
  createUser,
  newUserSchema,
  publicUser,
  teamIdByName,
  type UserRow,
} from '../../core/auth/users';
import { roleGrant } from '../../core/auth/roles';
import type { Actor } from '../../core/actor';
import { isoNow } from '../../core/clock';
import { newId } from '../../core/ids';
import { permissionsSchema } from '../../core/permissions/grants';
import { boolFromDb, boolToDb } from '../../db/column-types';
import type { Db, DialectName } from '../../db/database';
import { AppError, validationError, parseInput } from '../../core/errors';
import { isId } from '../../core/ids';
import { requireActor } from '../context';

const apiKeySchema = z.strictObject({ name: z.string().trim().min(1, 'is required').max(100) });

const roleSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  permissions: permissionsSchema,
});

const userPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  role_id: z.string().refine(isId, 'must be a role id').optional(),
  team: z.string().trim().min(1).max(200).nullable().optional(),
  manager_id: z.string().refine(isId, 'must be a user id').nullable().optional(),
  title: z.string().max(200).nullable().optional(),
  is_active: z.boolean().optional(),
  time_zone: newUserSchema.shape.time_zone.optional(),
  locale: newUserSchema.shape.locale.optional(),
});

function roleOut(r: { id: string; name: string; is_admin: unknown; permissions: string }) {
  const g = roleGrant(r);
  return { id: r.id, name: r.name, is_admin: g.isAdmin, permissions: g.permissions };
}

/** Users as the API shows them, with the name of their team (`team`) beside its id. */
async function withTeamNames(db: Db, rows: UserRow[]) {
  const teams = new Map(
    (
      (await db.selectFrom('teams').select(['id', 'name']).execute()) as {
        id: string;
        name: string;
      }[]
    ).map((t) => [t.id, t.name]),
  );
  return rows.map((u) => ({
    ...publicUser(u),
    team: u.team_id ? (teams.get(u.team_id) ?? null) : null,
  }));
}

/**
 * Refuses a change that would leave no active administrator: someone must always be able to
 * manage users, roles and the constructor. On PostgreSQL the administrator roles are locked
 * first, so two administrators demoting each other at the same moment cannot both succeed
 * (SQLite runs one write transaction at a time).
 */
async function assertAnotherAdmin(trx: Db, dialect: DialectName, userId: string, path: string) {
  const admin = boolToDb(dialect, true);
  let roles = trx.selectFrom('roles').select('id').where('is_admin', '=', admin);
  if (dialect === 'postgres') roles = roles.forUpdate();
  await roles.execute();
  const other = await trx
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select('users.id')
    .where('roles.is_admin', '=', admin)
    .where('users.is_active', '=', admin)
    .where('users.id', '<>', userId)
    .limit(1)
    .executeTakeFirst();
  if (!other)
    throw validationError([
      {
        path,
        message: 'is the last active administrator; make someone else an administrator first',
      },
    ]);
}

function requireAdmin(actor: Actor) {
  if (!actor.role.isAdmin)
    throw new AppError('forbidden', 'Only administrators may manage users and roles');
}

/** People and their API keys. Everyone signed in sees the user list (owners, assignees). */
export async function userRoutes(app: FastifyInstance) {
  const k = app.kontor;
  const db = k.database.db;

  app.get('/api/v1/users', async (request) => {
    requireActor(request);
    const rows = (await db
      .selectFrom('users')
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .execute()) as UserRow[];
    return { data: await withTeamNames(db, rows), next_cursor: null };
  });

  app.post('/api/v1/users', async (request, reply) => {
    requireAdmin(requireActor(request));
    const body = (request.body ?? {}) as { password?: string };
    // Without a password the user gets a one-time one, shown only in this answer.
    const oneTime =
      body && typeof body === 'object' && body.password === undefined ? oneTimePassword() : null;
    const input = oneTime
      ? { ...(request.body as object), password: oneTime, must_change_password: true }
      : request.body;
    const user = await createUser(db, k.database.dialect, k.clock, input as never);
    return reply
      .status(201)
      .send({ ...publicUser(user), ...(oneTime ? { one_time_password: oneTime } : {}) });
  });

  app.patch<{ Params: { id: string } }>('/api/v1/users/:id', async (request) => {
    const actor = requireActor(request);
    const self = request.params.id === actor.userId;
    const body = parseInput(userPatchSchema, request.body);
    const adminOnly = ['role_id', 'team', 'manager_id', 'is_active', 'title'] as const;
    if (!self || adminOnly.some((f) => body[f] !== undefined)) requireAdmin(actor);
    if (!isId(request.params.id))
      throw validationError([{ path: 'id', message: 'is not a user id' }]);
    const id = request.params.id;
    if (self && body.is_active === false)
      throw validationError([{ path: 'is_active', message: 'you cannot deactivate yourself' }]);
    // One transaction, so the check that an administrator remains holds when it commits.
    const row = await db.transaction().execute(async (trx) => {
      const user = (await trx
        .selectFrom('users')
        .innerJoin('roles', 'roles.id', 'users.role_id')
        .select(['users.id', 'users.is_active', 'roles.is_admin'])
        .where('users.id', '=', id)
        .executeTakeFirst()) as { id: string; is_active: unknown; is_admin: unknown } | undefined;
      if (!user) throw new AppError('not_found', 'User not found');
      let newRoleIsAdmin: boolean | undefined;
      if (body.role_id) {
        const role = await trx
          .selectFrom('roles')
          .select('is_admin')
          .where('id', '=', body.role_id)
          .executeTakeFirst();
        if (!role) throw validationError([{ path: 'role_id', message: 'no such role' }]);
        newRoleIsAdmin = boolFromDb(role.is_admin);
      }
      if (
        body.manager_id &&
        !(await trx
          .selectFrom('users')
          .select('id')
          .where('id', '=', body.manager_id)
          .executeTakeFirst())
      ) {
        throw validationError([{ path: 'manager_id', message: 'no such user' }]);
      }
      if (boolFromDb(user.is_active) && boolFromDb(user.is_admin)) {
        const path =
          body.is_active === false ? 'is_active' : newRoleIsAdmin === false ? 'role_id' : null;
        if (path) await assertAnotherAdmin(trx, k.database.dialect, id, path);
      }
      const { team, is_active, ...rest } = body;
      await trx
        .updateTable('users')
        .set({
          ...rest,
          ...(team !== undefined
            ? { team_id: team === null ? null : await teamIdByName(trx, k.clock, team) }
            : {}),
          ...(is_active !== undefined
            ? { is_active: boolToDb(k.database.dialect, is_active) }
            : {}),
          updated_at: isoNow(k.clock),
        })
        .where('id', '=', id)
        .execute();
      if (is_active === false) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      return (await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as UserRow;
    });
    return (await withTeamNames(db, [row]))[0];
  });

  app.get('/api/v1/roles', async (request) => {
    requireActor(request);
    const rows = (await db.selectFrom('roles').selectAll().orderBy('name').execute()) as {
      id: string;
      name: string;
      is_admin: unknown;
      permissions: string;
    }[];
    return { data: rows.map(roleOut), next_cursor: null };
  });

  app.post('/api/v1/roles', async (request, reply) => {
    requireAdmin(requireActor(request));
    const body = parseInput(roleSchema, request.body);
    if (
      await db.selectFrom('roles').select('id').where('name', '=', body.name).executeTakeFirst()
    ) {
      throw new AppError('conflict', `A role named ${body.name} exists`, [
        { path: 'name', message: 'is taken' },
      ]);
    }
    const id = newId();
    const now = isoNow(k.clock);
    await db
      .insertInto('roles')
      .values({
        id,
        name: body.name,
        is_admin: boolToDb(k.database.dialect, false),
        permissions: JSON.stringify(body.permissions),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return reply
      .status(201)
      .send({ id, name: body.name, is_admin: false, permissions: body.permissions });
  });

  app.patch<{ Params: { id: string } }>('/api/v1/roles/:id', async (request) => {
    requireAdmin(requireActor(request));
    const body = parseInput(roleSchema.partial(), request.body);
    const role = (await db
      .selectFrom('roles')
      .selectAll()
      .where('id', '=', request.params.id)
      .executeTakeFirst()) as
      { id: string; name: string; is_admin: unknown; permissions: string } | undefined;
    if (!role) throw new AppError('not_found', 'Role not found');
    if (roleGrant(role).isAdmin && body.permissions)
      throw validationError([
        { path: 'permissions', message: 'the administrator role may always do everything' },
      ]);
    if (
      body.name &&
      body.name !== role.name &&
      (await db.selectFrom('roles').select('id').where('name', '=', body.name).executeTakeFirst())
    ) {
      throw new AppError('conflict', `A role named ${body.name} exists`, [
        { path: 'name', message: 'is taken' },
      ]);
    }
    await db
      .updateTable('roles')
      .set({
        ...(body.name ? { name: body.name } : {}),
        ...(body.permissions ? { permissions: JSON.stringify(body.permissions) } : {}),
        updated_at: isoNow(k.clock),
      })
      .where('id', '=', role.id)
      .execute();
    const row = (await db
      .selectFrom('roles')
      .selectAll()
      .where('id', '=', role.id)
      .executeTakeFirstOrThrow()) as typeof role;
    return roleOut(row);
  });

  app.get('/api/v1/api-keys', async (request) => {
    const actor = requireActor(request);
    let q = db
      .selectFrom('api_keys')
      .select(['id', 'name', 'prefix', 'user_id', 'created_at', 'last_used_at', 'revoked_at']);
    if (!actor.role.isAdmin) q = q.where('user_id', '=', actor.userId);
    return { data: await q.orderBy('created_at', 'desc').execute(), next_cursor: null };
  });

  app.post('/api/v1/api-keys', async (request, reply) => {
    const actor = requireActor(request);
    const parsed = { data: parseInput(apiKeySchema, request.body) };
    const { id, key, prefix } = await createApiKey(db, k.clock, parsed.data.name, actor.userId!);
    return reply.status(201).send({
      id,
      name: parsed.data.name,
      prefix,
      key,
      note: 'The key is shown only now; store it safely.',
    });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/api-keys/:id', async (request, reply) => {
    const actor = requireActor(request);
    if (!isId(request.params.id)) throw validationError([{ path: 'id', message: 'is not an id' }]);
    const row = await db
      .selectFrom('api_keys')
      .select('user_id')
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    if (!row || (!actor.role.isAdmin && row.user_id !== actor.userId))
      throw new AppError('not_found', 'API key not found');
    await revokeApiKey(db, k.clock, request.params.id);
    return reply.status(204).send();
  });
}
