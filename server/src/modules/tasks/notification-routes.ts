import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { isoNow } from '../../core/clock';
import { AppError, notFound, parseInput, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import { requireActor } from '../../http/context';

interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  object: string | null;
  record_id: string | null;
  read_at: string | Date | null;
  created_at: string | Date;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

function out(r: NotificationRow) {
  return { ...r, read_at: iso(r.read_at), created_at: iso(r.created_at) };
}

/** Notifications belong to a user: a key or session without one (the system) has none. */
function userOf(request: FastifyRequest): string {
  const actor = requireActor(request);
  if (!actor.userId) throw new AppError('forbidden', 'Only a user has notifications');
  return actor.userId;
}

const listQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The id of the last notification of the previous page. */
  before: z.string().refine(isId, 'must be a notification id').optional(),
});

async function unreadCount(request: FastifyRequest, userId: string): Promise<number> {
  const row = await request.server.kontor.database.db
    .selectFrom('notifications')
    .select(sql<number>`count(*)`.as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A user's own notifications: newest first, the unread count, marking read. */
export async function notificationRoutes(app: FastifyInstance) {
  app.get('/api/v1/notifications', async (request) => {
    const userId = userOf(request);
    const q = parseInput(listQuery, request.query);
    const limit = q.limit ?? 50;
    let query = request.server.kontor.database.db
      .selectFrom('notifications')
      .select(['id', 'kind', 'title', 'body', 'object', 'record_id', 'read_at', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (q.unread === 'true') query = query.where('read_at', 'is', null);
    if (q.before) query = query.where('id', '<', q.before.toLowerCase());
    const rows = (await query.execute()) as NotificationRow[];
    const page = rows.slice(0, limit);
    return {
      data: page.map(out),
      next_before: rows.length > limit ? page[page.length - 1].id : null,
      unread_count: await unreadCount(request, userId),
    };
  });

  app.get('/api/v1/notifications/unread_count', async (request) => ({
    count: await unreadCount(request, userOf(request)),
  }));

  app.post<{ Params: { id: string } }>('/api/v1/notifications/:id/read', async (request) => {
    const userId = userOf(request);
    const id = request.params.id;
    if (!isId(id))
      throw validationError([{ path: 'id', message: 'must be a notification id (UUID)' }]);
    const db = request.server.kontor.database.db;
    // Someone else's notification is answered as absent, never as forbidden.
    const mine = () =>
      db
        .selectFrom('notifications')
        .select(['id', 'kind', 'title', 'body', 'object', 'record_id', 'read_at', 'created_at'])
        .where('id', '=', id.toLowerCase())
        .where('user_id', '=', userId)
        .executeTakeFirst() as Promise<NotificationRow | undefined>;
    if (!(await mine())) throw notFound(`Notification ${id}`);
    await db
      .updateTable('notifications')
      .set({ read_at: isoNow(request.server.kontor.clock) })
      .where('id', '=', id.toLowerCase())
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute();
    return out((await mine())!);
  });

  app.post('/api/v1/notifications/read-all', async (request) => {
    const userId = userOf(request);
    const res = await request.server.kontor.database.db
      .updateTable('notifications')
      .set({ read_at: isoNow(request.server.kontor.clock) })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return { marked: Number(res.numUpdatedRows) };
  });
}
