import type { Actor } from '../../core/actor';
import { actorForUser } from '../../core/auth/users';
import { isoNow } from '../../core/clock';
import { AppError } from '../../core/errors';
import type { DomainEvent } from '../../core/events/outbox';
import { newId } from '../../core/ids';
import type { Kontor, RecordContext } from '../../core/kontor';
import { enqueueJob, type JobRow } from '../../core/jobs/queue';
import type { ExternalJob } from '../../core/jobs/worker';
import { canReadField } from '../../core/permissions/scope';
import { loadRecord } from '../../core/records/read';
import { boolFromDb, boolToDb } from '../../db/column-types';
import type { Db } from '../../db/database';
import { postDelivery, type AttemptResult } from './send';
import { signatureHeader } from './signing';
import { EVENT_KINDS, findSubscription, type SubscriptionRow } from './subscriptions';
import { assertTargetAllowed, TargetRefused } from './targets';

export const DELIVER_JOB = 'webhooks.deliver';
/** Attempts per delivery before it is parked: with the job backoff, about 20 minutes in all. */
export const MAX_ATTEMPTS = 8;

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  object: string;
  record_id: string;
  body: string;
  status: 'queued' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  replay_of: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** What a target receives. */
export interface WebhookBody {
  id: string;
  type: string;
  occurred_at: string;
  object: string;
  record: Record<string, unknown>;
  changes: Record<string, [unknown, unknown]>;
}

/**
 * The body for one subscription, as its creator may see it: the record read through the records
 * engine with the creator's role (scope and hidden fields), and only the changes to fields they
 * may read. When the creator may not see the record at all, the reason instead.
 */
// Limitation: the record is read when the event is dispatched, not as of the change (the outbox
// keeps changes, not whole records), so two quick updates may both carry the later state.

async function bodyFor(
  ctx: RecordContext,
  event: DomainEvent,
  actor: Actor | undefined,
): Promise<WebhookBody | string> {
  if (!actor) return "the subscription's creator is no longer an active user";
  const object = ctx.k.meta.find(event.object);
  if (!object) return `the object ${event.object} no longer exists`;
  let record: Record<string, unknown>;
  try {
    record = await loadRecord({ ...ctx, actor }, object, event.recordId, { includeDeleted: true });
  } catch (err) {
    if (err instanceof AppError) return "the subscription's creator may not read this record";
    throw err;
  }
  const changes: WebhookBody['changes'] = {};
  for (const [field, change] of Object.entries(event.changes))
    if (canReadField(actor, object, field)) changes[field] = change;
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.at,
    object: event.object,
    record,
    changes,
  };
}

/**
 * Matches committed record events to enabled subscriptions of their objects and queues one
 * delivery each, in the transaction that marks the events handled: a delivery exists exactly
 * once per event and subscription. One query per batch finds the subscriptions, by object.
 */
export async function matchEvents(ctx: RecordContext, events: DomainEvent[]): Promise<void> {
  const recordEvents = events.filter((e) =>
    (EVENT_KINDS as readonly string[]).some((kind) => e.type === `${e.object}.${kind}`),
  );
  if (recordEvents.length === 0) return;
  const objects = [...new Set(recordEvents.map((e) => e.object))];
  const subs = (await ctx.db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('object', 'in', objects)
    .where('enabled', '=', boolToDb(ctx.k.database.dialect, true))
    .orderBy('id')
    .execute()) as SubscriptionRow[];
  if (subs.length === 0) return;

  const byObject = new Map<string, { sub: SubscriptionRow; kinds: Set<string> }[]>();
  for (const sub of subs) {
    const list = byObject.get(sub.object) ?? [];
    list.push({ sub, kinds: new Set(JSON.parse(sub.events) as string[]) });
    byObject.set(sub.object, list);
  }
  const actors = new Map<string, Actor | undefined>();
  const actorOf = async (userId: string) => {
    if (!actors.has(userId)) actors.set(userId, await actorForUser(ctx.db, userId));
    return actors.get(userId);
  };

  for (const event of recordEvents) {
    const kind = event.type.slice(event.object.length + 1);
    // Subscriptions of one creator see the same body: read the record once for them.
    const bodies = new Map<string, WebhookBody | string>();
    for (const { sub, kinds } of byObject.get(event.object) ?? []) {
      if (!kinds.has(kind)) continue;
      let body = bodies.get(sub.created_by);
      if (body === undefined) {
        body = await bodyFor(ctx, event, await actorOf(sub.created_by));
        bodies.set(sub.created_by, body);
      }
      await addDelivery(ctx, sub, event, body);
    }
  }
}

async function addDelivery(
  ctx: RecordContext,
  sub: SubscriptionRow,
  event: Pick<DomainEvent, 'id' | 'type' | 'object' | 'recordId'>,
  body: WebhookBody | string,
  replayOf: string | null = null,
): Promise<string> {
  const id = newId();
  const skipped = typeof body === 'string';
  await ctx.db
    .insertInto('webhook_deliveries')
    .values({
      id,
      subscription_id: sub.id,
      event_id: event.id,
      event_type: event.type,
      object: event.object,
      record_id: event.recordId,
      body: skipped ? 'null' : JSON.stringify(body),
      status: skipped ? 'skipped' : 'queued',
      attempts: 0,
      last_status_code: null,
      last_error: skipped ? body : null,
      replay_of: replayOf,
      created_at: isoNow(ctx.k.clock),
      delivered_at: null,
    })
    .execute();
  if (!skipped)
    await enqueueJob(
      ctx.db,
      ctx.k.clock,
      DELIVER_JOB,
      { deliveryId: id },
      { maxAttempts: MAX_ATTEMPTS },
    );
  return id;
}

/** Queues the same event again (same event id and body) as a new delivery of the log. */
export async function replayDelivery(ctx: RecordContext, original: DeliveryRow): Promise<string> {
  const sub = await findSubscription(ctx.db, original.subscription_id);
  if (!sub) throw new AppError('not_found', 'Subscription not found');
  if (original.status === 'skipped')
    throw new AppError('validation', 'A skipped delivery has no body to send', [
      { path: 'id', message: 'was skipped (see its error); there is nothing to replay' },
    ]);
  if (!boolFromDb(sub.enabled))
    throw new AppError('validation', 'The subscription is disabled', [
      { path: 'subscription', message: 'is disabled; enable it to replay its deliveries' },
    ]);
  return addDelivery(
    ctx,
    sub,
    {
      id: original.event_id,
      type: original.event_type,
      object: original.object,
      recordId: original.record_id,
    },
    JSON.parse(original.body) as WebhookBody,
    original.id,
  );
}

async function logAttempt(
  db: Db,
  k: Kontor,
  deliveryId: string,
  attempt: number,
  r: AttemptResult,
) {
  await db
    .insertInto('webhook_attempts')
    .values({
      id: newId(),
      delivery_id: deliveryId,
      attempt,
      at: isoNow(k.clock),
      ok: boolToDb(k.database.dialect, r.ok),
      status_code: r.statusCode,
      duration_ms: r.durationMs,
      response_body: r.responseBody,
      error: r.error ? r.error.slice(0, 2000) : null,
    })
    .execute();
}

/**
 * Sends one delivery. A refused target or a disabled subscription parks it at once: trying again
 * would not change the answer. A failed call is logged and thrown, so the job is retried with
 * backoff and parked after its last attempt.
 */
const deliver: ExternalJob = {
  async outside(k: Kontor, payload: unknown, job: JobRow): Promise<void> {
    const { deliveryId } = payload as { deliveryId: string };
    const db = k.database.db;
    const d = (await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirst()) as DeliveryRow | undefined;
    if (!d || d.status !== 'queued') return;
    const park = async (error: string, attempts = d.attempts) => {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', last_error: error, attempts })
        .where('id', '=', d.id)
        .execute();
    };

    const sub = await findSubscription(db, d.subscription_id);
    if (!sub) return park('the subscription was deleted');
    if (!boolFromDb(sub.enabled)) return park('the subscription is disabled');
    const attempt = d.attempts + 1;
    try {
      await assertTargetAllowed(sub.target_url, k.settings.allowPrivateTargets);
    } catch (err) {
      if (!(err instanceof TargetRefused)) throw err;
      await logAttempt(db, k, d.id, attempt, {
        ok: false,
        statusCode: null,
        durationMs: 0,
        responseBody: null,
        error: `refused: ${err.message}`,
      });
      return park(`refused: ${err.message}`, attempt);
    }

    const timestamp = Math.floor(k.clock.now().getTime() / 1000);
    const result = await postDelivery(
      sub.target_url,
      {
        'content-type': 'application/json',
        'user-agent': 'Kontor-Webhooks/1',
        'kontor-event-id': d.event_id,
        'kontor-delivery-id': d.id,
        'kontor-timestamp': String(timestamp),
        'kontor-signature': signatureHeader(sub.secret, timestamp, d.body),
      },
      d.body,
      k.settings.allowPrivateTargets,
    );
    await logAttempt(db, k, d.id, attempt, result);
    if (result.ok) {
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: 'delivered',
          attempts: attempt,
          last_status_code: result.statusCode,
          last_error: null,
          delivered_at: isoNow(k.clock),
        })
        .where('id', '=', d.id)
        .execute();
      return;
    }
    const error = result.error ?? 'failed';
    await db
      .updateTable('webhook_deliveries')
      .set({
        attempts: attempt,
        last_status_code: result.statusCode,
        last_error: error,
        // The job is parked after this attempt: the log says so too.
        ...(job.attempts >= job.max_attempts ? { status: 'failed' } : {}),
      })
      .where('id', '=', d.id)
      .execute();
    throw new Error(`webhook delivery ${d.id} to ${sub.target_url}: ${error}`);
  },
};

export const WEBHOOK_JOBS = { [DELIVER_JOB]: deliver };
