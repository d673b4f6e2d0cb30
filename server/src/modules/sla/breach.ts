import { emitEvent } from '../../core/audit/audit-log';
import { isoNow } from '../../core/clock';
import type { RecordContext } from '../../core/kontor';
import { queueMail } from '../../core/mail/mailer';
import { updateRecord } from '../../core/records/write';
import { boolFromDb } from '../../db/column-types';
import { loadPolicies, type TimerRow } from './timers';

async function activeUser(ctx: RecordContext, id: string | null) {
  if (!id) return undefined;
  const u = (await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst()) as
    { id: string; email: string; name: string; is_active: unknown } | undefined;
  return u && boolFromDb(u.is_active) ? u : undefined;
}

async function cancel(ctx: RecordContext, timerId: string) {
  const now = isoNow(ctx.k.clock);
  await ctx.db
    .updateTable('sla_timers')
    .set({ status: 'cancelled', stopped_at: now, updated_at: now })
    .where('id', '=', timerId)
    .execute();
}

/**
 * The `sla.breach` job, due at a timer's due time. A timer already stopped is left alone; a
 * running one is marked breached, its policy's escalation runs (an e-mail to the owner, the record
 * reassigned) and `sla_timers.breached` is emitted for processes to add their own steps.
 */
export async function breachTimer(ctx: RecordContext, payload: unknown): Promise<void> {
  const { timer_id: timerId, due_at: dueAt } = payload as { timer_id: string; due_at?: string };
  const t = (await ctx.db
    .selectFrom('sla_timers')
    .selectAll()
    .where('id', '=', timerId)
    .executeTakeFirst()) as TimerRow | undefined;
  if (!t || t.status !== 'running') return;
  // The calendar changed and the timer is now due at another time, with a job of its own.
  if (dueAt !== undefined && dueAt !== t.due_at) return;

  const policy = (await loadPolicies(ctx, { includeDeleted: true })).find(
    (p) => p.id === t.policy_id,
  );
  const object = ctx.k.meta.find(t.object);
  const record = object
    ? ((await ctx.db
        .selectFrom(object.table)
        .selectAll()
        .where('id', '=', t.record_id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()) as Record<string, unknown> | undefined)
    : undefined;
  // Nothing left to escalate about: the policy or the record is gone.
  if (!policy || policy.deleted_at || !object || !record) return cancel(ctx, t.id);

  const now = isoNow(ctx.k.clock);
  await ctx.db
    .updateTable('sla_timers')
    .set({ status: 'breached', breached_at: now, updated_at: now })
    .where('id', '=', t.id)
    .execute();

  const title = String(record[object.titleField] ?? t.record_id);
  const link = `${ctx.k.settings.publicUrl}/o/${object.name}/${t.record_id}`;
  const owner = await activeUser(ctx, (record.owner_id as string | null) ?? null);
  const assignee = await activeUser(ctx, policy.reassign_to);
  if (assignee && assignee.id !== owner?.id) {
    await updateRecord(
      ctx,
      object.name,
      t.record_id,
      { owner_id: assignee.id },
      { skipScope: true, options: { system: true } },
    );
    await queueMail(ctx, {
      to: assignee.email,
      subject: `SLA breached, now yours: ${policy.name}: ${title}`,
      text:
        `"${title}" (${object.labelSingular.toLowerCase()}) missed the SLA "${policy.name}", due ` +
        `${t.due_at}, and was reassigned to you.\n\n${link}\n`,
      related: { object: object.name, id: t.record_id },
    });
  }
  if (policy.notify_owner && owner) {
    await queueMail(ctx, {
      to: owner.email,
      subject: `SLA breached: ${policy.name}: ${title}`,
      text:
        `"${title}" (${object.labelSingular.toLowerCase()}) missed the SLA "${policy.name}": it ` +
        `was due ${t.due_at}.` +
        (assignee && assignee.id !== owner.id ? ` It was reassigned to ${assignee.name}.` : '') +
        `\n\n${link}\n`,
      related: { object: object.name, id: t.record_id },
    });
  }
  await emitEvent(ctx, {
    type: 'sla_timers.breached',
    object: t.object,
    recordId: t.record_id,
    payload: { changes: {}, data: { policy_id: t.policy_id, timer_id: t.id, due_at: t.due_at } },
  });
}
