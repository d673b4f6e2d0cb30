import { actorId } from '../actor';
import { isoNow } from '../clock';
import { newId } from '../ids';
import type { RecordContext } from '../kontor';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'merge' | 'convert';

/** Field by field, what a change did: `{field: [before, after]}`. */
export type Changes = Record<string, [unknown, unknown]>;

/** Writes one audit entry in the caller's transaction, so a change and its record commit together. */
export async function writeAudit(
  ctx: RecordContext,
  entry: { object: string; recordId: string; action: AuditAction; changes: Changes },
) {
  const row = {
    id: newId(),
    at: isoNow(ctx.k.clock),
    actor_type: ctx.actor.kind,
    actor_id: actorId(ctx.actor),
    request_id: ctx.requestId ?? null,
    object: entry.object,
    record_id: entry.recordId,
    action: entry.action,
    changes: JSON.stringify(entry.changes),
  };
  if (ctx.pending.bulk) ctx.pending.bulk.audit.push(row);
  else await ctx.db.insertInto('audit_log').values(row).execute();
}

/** Records a domain event in the outbox, in the same transaction as the change it reports. */
export async function emitEvent(
  ctx: RecordContext,
  event: { type: string; object: string; recordId: string; payload: unknown },
) {
  const row = {
    id: newId(),
    at: isoNow(ctx.k.clock),
    type: event.type,
    object: event.object,
    record_id: event.recordId,
    payload: JSON.stringify(
      ctx.cause ? { ...(event.payload as object), cause: ctx.cause } : event.payload,
    ),
    processed_at: null,
  };
  if (ctx.pending.bulk) ctx.pending.bulk.outbox.push(row);
  else await ctx.db.insertInto('outbox_events').values(row).execute();
}

export function diff(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  fields: string[],
): Changes {
  const out: Changes = {};
  for (const f of fields) {
    const a = before ? (before[f] ?? null) : null;
    const b = after[f] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = [a, b];
  }
  return out;
}
