import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createApiKey, revokeApiKey } from '../../core/auth/tokens';
import { createUser, publicUser, type UserRow } from '../../core/auth/users';
import { AppError, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import { requireActor } from '../context';

const apiKeySchema = z.strictObject({ name: z.string().trim().min(1, 'is required').max(100) });

/** People and their API keys. Everyone signed in sees the user list (owners, assignees). */
export async function userRoutes(app: FastifyInstance) {
  const k = app.kontor;
  const db = k.database.db;

  app.get('/api/v1/users', async (request) => {
    requireActor(request);
    const rows = (await db.selectFrom('users').selectAll().orderBy('name').orderBy('id').execute()) as UserRow[];
    return { data: rows.map(publicUser), next_cursor: null };
  });

  app.post('/api/v1/users', async (request, reply) => {
    const actor = requireActor(request);
    if (!actor.role.isAdmin) throw new AppError('forbidden', 'Only administrators may add users');
    const user = await createUser(db, k.database.dialect, k.clock, request.body as never);
    return reply.status(201).send(publicUser(user));
  });

  app.get('/api/v1/api-keys', async (request) => {
    const actor = requireActor(request);
    let q = db.selectFrom('api_keys').select(['id', 'name', 'prefix', 'user_id', 'created_at', 'last_used_at', 'revoked_at']);
    if (!actor.role.isAdmin) q = q.where('user_id', '=', actor.userId);
    return { data: await q.orderBy('created_at', 'desc').execute(), next_cursor: null };
  });

  app.post('/api/v1/api-keys', async (request, reply) => {
    const actor = requireActor(request);
    const parsed = apiKeySchema.safeParse(request.body ?? {});
    if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })));
    const { id, key, prefix } = await createApiKey(db, k.clock, parsed.data.name, actor.userId!);
    return reply.status(201).send({ id, name: parsed.data.name, prefix, key, note: 'The key is shown only now; store it safely.' });
  });

  app.delete<{ Params: { id: string } }>('/api/v1/api-keys/:id', async (request, reply) => {
    const actor = requireActor(request);
    if (!isId(request.params.id)) throw validationError([{ path: 'id', message: 'is not an id' }]);
    const row = await db.selectFrom('api_keys').select('user_id').where('id', '=', request.params.id).executeTakeFirst();
    if (!row || (!actor.role.isAdmin && row.user_id !== actor.userId)) throw new AppError('not_found', 'API key not found');
    await revokeApiKey(db, k.clock, request.params.id);
    return reply.status(204).send();
  });
}
