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
import { boolToDb } from '../../db/column-types';
import { AppError, validationError } from '../../core/errors';
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

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success)
    throw validationError(
      r.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })),
    );
  return r.data;
}

function roleOut(r: { id: string; name: string; is_admin: unknown; permissions: string }) {
  const g = roleGrant(r);
  return { id: r.id, name: r.name, is_admin: g.isAdmin, permissions: g.permissions };
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
    return { data: rows.map(publicUser), next_cursor: null };
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
    const body = parseBody(userPatchSchema, request.body);
    const adminOnly = ['role_id', 'team', 'manager_id', 'is_active', 'title'] as const;
    if (!self || adminOnly.some((f) => body[f] !== undefined)) requireAdmin(actor);
    if (!isId(request.params.id))
      throw validationError([{ path: 'id', message: 'is not a user id' }]);
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', request.params.id)
      .executeTakeFirst();
    if (!user) throw new AppError('not_found', 'User not found');
    if (self && body.is_active === false)
      throw validationError([{ path: 'is_active', message: 'you cannot deactivate yourself' }]);
    if (
      body.role_id &&
      !(await db.selectFrom('roles').select('id').where('id', '=', body.role_id).executeTakeFirst())
    ) {
      throw validationError([{ path: 'role_id', message: 'no such role' }]);
    }
    if (
      body.manager_id &&
      !(await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', body.manager_id)
        .executeTakeFirst())
    ) {
      throw validationError([{ path: 'manager_id', message: 'no such user' }]);
    }
    const { team, is_active, ...rest } = body;
    await db
      .updateTable('users')
      .set({
        ...rest,
        ...(team !== undefined
          ? { team_id: team === null ? null : await teamIdByName(db, k.clock, team) }
          : {}),
        ...(is_active !== undefined ? { is_active: boolToDb(k.database.dialect, is_active) } : {}),
        updated_at: isoNow(k.clock),
      })
      .where('id', '=', request.params.id)
      .execute();
    if (is_active === false)
      await db.deleteFrom('sessions').where('user_id', '=', request.params.id).execute();
    const row = (await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', request.params.id)
      .executeTakeFirstOrThrow()) as UserRow;
    return publicUser(row);
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
    const body = parseBody(roleSchema, request.body);
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
    const body = parseBody(roleSchema.partial(), request.body);
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
    const parsed = apiKeySchema.safeParse(request.body ?? {});
    if (!parsed.success)
      throw validationError(
        parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })),
      );
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
