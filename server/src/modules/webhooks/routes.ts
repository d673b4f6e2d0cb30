import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, notFound, parseInput, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import { boolFromDb } from '../../db/column-types';
import { requireActor, writeTransaction } from '../../http/context';
import { replayDelivery, type DeliveryRow } from './delivery';
import {
  createSubscription,
  deleteSubscription,
  findSubscription,
  iso,
  newSubscriptionSchema,
  rotateSecret,
  subscriptionOut,
  subscriptionPatchSchema,
  updateSubscription,
  type SubscriptionRow,
} from './subscriptions';

export const DELIVERY_STATUSES = ['queued', 'delivered', 'failed', 'skipped'] as const;

/** Subscriptions send records outside the company: only administrators manage them. */
function requireAdmin(request: FastifyRequest) {
  const actor = requireActor(request);
  if (!actor.role.isAdmin || !actor.userId)
    throw new AppError('forbidden', 'Only administrators may manage webhooks');
  return actor;
}

function idParam(raw: string, what: string): string {
  if (!isId(raw)) throw validationError([{ path: 'id', message: `is not a ${what} id` }]);
  return raw.toLowerCase();
}

const deliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES, `must be one of ${DELIVERY_STATUSES.join(', ')}`).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number from 1 to 200')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 200, 'must be a whole number from 1 to 200')
    .optional(),
  cursor: z.string().refine(isId, 'must be the next_cursor of a previous page').optional(),
});

function deliveryOut(d: DeliveryRow, withBody = false) {
  return {
    id: d.id,
    subscription_id: d.subscription_id,
    event_id: d.event_id,
    event_type: d.event_type,
    object: d.object,
    record_id: d.record_id,
    status: d.status,
    attempts: Number(d.attempts),
    last_status_code: d.last_status_code === null ? null : Number(d.last_status_code),
    last_error: d.last_error,
    replay_of: d.replay_of,
    created_at: iso(d.created_at),
    delivered_at: d.delivered_at ? iso(d.delivered_at) : null,
    ...(withBody ? { body: JSON.parse(d.body) as unknown } : {}),
  };
}

interface AttemptRow {
  attempt: number;
  at: string;
  ok: unknown;
  status_code: number | null;
  duration_ms: number;
  response_body: string | null;
  error: string | null;
}

/** Webhook subscriptions and their delivery log, under /api/v1/webhooks. */
export async function webhookRoutes(app: FastifyInstance) {
  const k = app.kontor;
  const db = k.database.db;

  const subscriptionOr404 = async (raw: string) => {
    const row = await findSubscription(db, idParam(raw, 'subscription'));
    if (!row) throw notFound('Subscription');
    return row;
  };
  const deliveryOr404 = async (raw: string) => {
    const row = (await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', idParam(raw, 'delivery'))
      .executeTakeFirst()) as DeliveryRow | undefined;
    if (!row) throw notFound('Delivery');
    return row;
  };

  app.get('/api/v1/webhooks/subscriptions', async (request) => {
    requireAdmin(request);
    const rows = (await db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .execute()) as SubscriptionRow[];
    return { data: rows.map((r) => subscriptionOut(r)), next_cursor: null };
  });

  app.post('/api/v1/webhooks/subscriptions', async (request, reply) => {
    const actor = requireAdmin(request);
    const input = parseInput(newSubscriptionSchema, request.body);
    const row = await createSubscription(k, input, actor.userId!);
    return reply.status(201).send(subscriptionOut(row, true));
  });

  app.get<{ Params: { id: string } }>('/api/v1/webhooks/subscriptions/:id', async (request) => {
    requireAdmin(request);
    return subscriptionOut(await subscriptionOr404(request.params.id));
  });

  app.patch<{ Params: { id: string } }>('/api/v1/webhooks/subscriptions/:id', async (request) => {
    requireAdmin(request);
    const id = idParam(request.params.id, 'subscription');
    const patch = parseInput(subscriptionPatchSchema, request.body);
    const row = await updateSubscription(k, id, patch);
    if (!row) throw notFound('Subscription');
    return subscriptionOut(row);
  });

  app.delete<{ Params: { id: string } }>(
    '/api/v1/webhooks/subscriptions/:id',
    async (request, reply) => {
      requireAdmin(request);
      if (!(await deleteSubscription(k, idParam(request.params.id, 'subscription'))))
        throw notFound('Subscription');
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/webhooks/subscriptions/:id/rotate-secret',
    async (request) => {
      requireAdmin(request);
      const row = await rotateSecret(k, idParam(request.params.id, 'subscription'));
      if (!row) throw notFound('Subscription');
      return subscriptionOut(row, true);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/webhooks/subscriptions/:id/deliveries',
    async (request) => {
      requireAdmin(request);
      const sub = await subscriptionOr404(request.params.id);
      const q = parseInput(deliveriesQuery, request.query);
      const limit = q.limit ?? 50;
      // Newest first; ids are UUIDv7, so their order is the order they were queued.
      let query = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('subscription_id', '=', sub.id)
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (q.status) query = query.where('status', '=', q.status);
      if (q.cursor) query = query.where('id', '<', q.cursor.toLowerCase());
      const rows = (await query.execute()) as DeliveryRow[];
      const page = rows.slice(0, limit);
      return {
        data: page.map((d) => deliveryOut(d)),
        next_cursor: rows.length > limit ? page[page.length - 1]!.id : null,
      };
    },
  );

  app.get<{ Params: { id: string } }>('/api/v1/webhooks/deliveries/:id', async (request) => {
    requireAdmin(request);
    const d = await deliveryOr404(request.params.id);
    const attempts = (await db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', d.id)
      .orderBy('attempt')
      .orderBy('id')
      .execute()) as AttemptRow[];
    return {
      ...deliveryOut(d, true),
      attempt_log: attempts.map((a) => ({
        attempt: Number(a.attempt),
        at: iso(a.at),
        ok: boolFromDb(a.ok),
        status_code: a.status_code === null ? null : Number(a.status_code),
        duration_ms: Number(a.duration_ms),
        response_body: a.response_body,
        error: a.error,
      })),
    };
  });

  app.post<{ Params: { id: string } }>(
    '/api/v1/webhooks/deliveries/:id/replay',
    async (request, reply) => {
      requireAdmin(request);
      const original = await deliveryOr404(request.params.id);
      const id = await writeTransaction(request, (ctx) => replayDelivery(ctx, original));
      const row = (await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as DeliveryRow;
      return reply.status(202).send(deliveryOut(row));
    },
  );
}
