import { sql } from 'kysely';
import { isoNow } from '../clock';
import type { Kontor, RecordContext } from '../kontor';
import { inTransaction } from '../kontor';
import { SYSTEM_ACTOR } from '../actor';
import type { Changes } from '../audit/audit-log';

/**
 * What caused a change: the automation run (and the chain of runs before it) whose step wrote
 * it. Carried on events so that a process retriggering itself is noticed and stopped.
 */
export interface EventCause {
  /** The run whose step made the change. */
  runId: string;
  /** The process of that run. */
  processId: string;
  /** Runs in the causal chain, oldest first, this one included. */
  chain: string[];
}

/** A committed change as consumers see it (`deals.updated` with its field-by-field changes). */
export interface DomainEvent {
  id: string;
  at: string;
  /** `{object}.{created|updated|deleted|restored}`, or a module's own kind (`forms.submitted`). */
  type: string;
  object: string;
  recordId: string;
  changes: Changes;
  /** Other data a module's event carries (a form's submitted values). */
  data?: Record<string, unknown>;
  cause?: EventCause;
}

/**
 * Reacts to committed events, inside the transaction that marks them handled: whatever it writes
 * (a run, a delivery job) commits exactly once with that mark. It must not call the outside world;
 * it enqueues jobs for that.
 */
export type EventConsumer = (ctx: RecordContext, events: DomainEvent[]) => Promise<void>;

interface OutboxRow {
  id: string;
  at: string;
  type: string;
  object: string;
  record_id: string;
  payload: string | Record<string, unknown>;
}

function toEvent(row: OutboxRow): DomainEvent {
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as {
    changes?: Changes;
    data?: Record<string, unknown>;
    cause?: EventCause;
  } | null;
  return {
    id: row.id,
    at: typeof row.at === 'string' ? row.at : new Date(row.at as unknown as Date).toISOString(),
    type: row.type,
    object: row.object,
    recordId: row.record_id,
    changes: payload?.changes ?? {},
    ...(payload?.data ? { data: payload.data } : {}),
    ...(payload?.cause ? { cause: payload.cause } : {}),
  };
}

/** Every module's and flow's event consumers. */
export function eventConsumers(k: Kontor): EventConsumer[] {
  return [...k.modules, ...k.flows].flatMap((m) => (m.onEvents ? [m.onEvents] : []));
}

/**
 * Hands committed, unhandled events to the consumers, oldest first, a batch per transaction, and
 * marks them handled in that transaction. On PostgreSQL, SKIP LOCKED lets several workers share
 * the outbox without handling an event twice. Returns how many events were handled.
 */
export async function dispatchEvents(
  k: Kontor,
  consumers: EventConsumer[] = eventConsumers(k),
  batch = 200,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(k, SYSTEM_ACTOR, async (ctx) => {
      const lock = k.database.dialect === 'postgres' ? sql` for update skip locked` : sql``;
      const rows = await sql<OutboxRow>`
        select id, at, type, object, record_id, payload from outbox_events
        where processed_at is null order by id limit ${batch}${lock}`.execute(ctx.db);
      if (rows.rows.length === 0) return 0;
      const events = rows.rows.map(toEvent);
      for (const consume of consumers) await consume(ctx, events);
      await ctx.db
        .updateTable('outbox_events')
        .set({ processed_at: isoNow(k.clock) })
        .where(
          'id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      return events.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
