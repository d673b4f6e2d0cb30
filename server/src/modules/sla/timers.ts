import { emitEvent } from '../../core/audit/audit-log';
import { isoNow } from '../../core/clock';
import type { DomainEvent } from '../../core/events/outbox';
import { newId } from '../../core/ids';
import { enqueueJob } from '../../core/jobs/queue';
import type { RecordContext } from '../../core/kontor';
import { boolFromDb } from '../../db/column-types';
import { CalendarCache } from './calendar-store';
import type { StopKind } from './objects';
import { addWorkingTime, CalendarError, workingMinutesBetween } from './working-time';

export type TimerStatus = 'running' | 'fulfilled' | 'breached' | 'cancelled';

export interface TimerRow {
  id: string;
  policy_id: string;
  object: string;
  record_id: string;
  calendar_id: string;
  target_minutes: number;
  status: TimerStatus;
  started_at: string;
  due_at: string;
  breached_at: string | null;
  stopped_at: string | null;
  working_minutes: number | null;
}

export interface PolicyRow {
  id: string;
  name: string;
  object: string;
  enabled: boolean;
  start_field: string | null;
  start_value: string | null;
  stop_kind: StopKind;
  stop_field: string | null;
  stop_value: string | null;
  target_minutes: number;
  calendar_id: string;
  notify_owner: boolean;
  reassign_to: string | null;
  deleted_at: string | null;
}

export const BREACH_JOB = 'sla.breach';

/** Policies by id, deleted ones included when asked (a timer outlives its policy's deletion). */
export async function loadPolicies(
  ctx: RecordContext,
  opts: { includeDeleted?: boolean } = {},
): Promise<PolicyRow[]> {
  let q = ctx.db
    .selectFrom(ctx.k.meta.get('sla_policies').table)
    .select([
      'id',
      'name',
      'object',
      'enabled',
      'start_field',
      'start_value',
      'stop_kind',
      'stop_field',
      'stop_value',
      'target_minutes',
      'calendar_id',
      'notify_owner',
      'reassign_to',
      'deleted_at',
    ]);
  if (!opts.includeDeleted) q = q.where('deleted_at', 'is', null);
  const rows = (await q.execute()) as (PolicyRow & { enabled: unknown; notify_owner: unknown })[];
  return rows.map((r) => ({
    ...r,
    enabled: boolFromDb(r.enabled),
    notify_owner: boolFromDb(r.notify_owner),
  }));
}

/** A field's value compared as text, the way a policy writes its start and stop values. */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function startsOn(p: PolicyRow, e: DomainEvent, created: boolean): boolean {
  if (!p.start_field) return created;
  const change = e.changes[p.start_field];
  if (!change) return false;
  return asText(change[1]) === p.start_value && (created || asText(change[0]) !== p.start_value);
}

function stopsOn(p: PolicyRow, e: DomainEvent): boolean {
  if (!p.stop_field) return false;
  const change = e.changes[p.stop_field];
  if (!change) return false;
  if (p.stop_kind === 'field_changes') return true;
  return p.stop_kind === 'field_becomes' && asText(change[1]) === p.stop_value;
}

async function openTimers(ctx: RecordContext, object: string, recordId: string) {
  return (await ctx.db
    .selectFrom('sla_timers')
    .selectAll()
    .where('object', '=', object)
    .where('record_id', '=', recordId)
    .where('status', 'in', ['running', 'breached'])
    .execute()) as TimerRow[];
}

async function startTimer(
  ctx: RecordContext,
  calendars: CalendarCache,
  p: PolicyRow,
  e: DomainEvent,
): Promise<void> {
  const startedAt = new Date(e.at);
  let due: Date;
  try {
    due = addWorkingTime(await calendars.get(p.calendar_id), startedAt, p.target_minutes);
  } catch (err) {
    // A broken calendar must not hold up every other event behind this one.
    if (!(err instanceof CalendarError)) throw err;
    ctx.k.log.warn(
      { policyId: p.id, object: e.object, recordId: e.recordId, err: err.message },
      'SLA timer not started: its calendar gives no working time',
    );
    return;
  }
  const id = newId();
  const now = isoNow(ctx.k.clock);
  await ctx.db
    .insertInto('sla_timers')
    .values({
      id,
      policy_id: p.id,
      object: e.object,
      record_id: e.recordId,
      calendar_id: p.calendar_id,
      target_minutes: p.target_minutes,
      status: 'running',
      started_at: startedAt.toISOString(),
      due_at: due.toISOString(),
      created_at: now,
      updated_at: now,
    })
    .execute();
  await scheduleBreach(ctx, id, due);
}

/**
 * The breach job for a timer's due time. The key names the due time too: when a calendar change
 * moves it, a job for the new time is added and the old one finds its time stale and does nothing.
 */
async function scheduleBreach(ctx: RecordContext, timerId: string, due: Date) {
  const dueAt = due.toISOString();
  await enqueueJob(
    ctx.db,
    ctx.k.clock,
    BREACH_JOB,
    { timer_id: timerId, due_at: dueAt },
    { runAt: due, uniqueKey: `${BREACH_JOB}:${timerId}:${dueAt}` },
  );
}

/** The calendars whose working time an event changes: their hours, zone or holidays. */
async function changedCalendars(ctx: RecordContext, events: DomainEvent[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.object === 'calendars' && e.type === 'calendars.updated') {
      if (e.changes.working_hours || e.changes.time_zone) ids.add(e.recordId);
    } else if (e.object === 'calendar_holidays' && e.type.startsWith('calendar_holidays.')) {
      // A holiday moved to another calendar changes both.
      const moved = e.changes.calendar_id;
      if (moved?.[0]) ids.add(String(moved[0]));
      const row = (await ctx.db
        .selectFrom(ctx.k.meta.get('calendar_holidays').table)
        .select('calendar_id')
        .where('id', '=', e.recordId)
        .executeTakeFirst()) as { calendar_id: string | null } | undefined;
      if (row?.calendar_id) ids.add(row.calendar_id);
    }
  }
  return ids;
}

/**
 * Running timers on a changed calendar get their due time computed again from their start, so a
 * holiday added today moves tomorrow's deadlines; a breach already recorded stays.
 */
async function rescheduleRunning(ctx: RecordContext, calendarIds: Set<string>) {
  if (calendarIds.size === 0) return;
  const running = (await ctx.db
    .selectFrom('sla_timers')
    .selectAll()
    .where('status', '=', 'running')
    .where('calendar_id', 'in', [...calendarIds])
    .execute()) as TimerRow[];
  const calendars = new CalendarCache(ctx);
  for (const t of running) {
    let due: Date;
    try {
      const cal = await calendars.get(t.calendar_id);
      due = addWorkingTime(cal, new Date(t.started_at), Number(t.target_minutes));
    } catch (err) {
      if (!(err instanceof CalendarError)) throw err;
      continue;
    }
    if (due.toISOString() === t.due_at) continue;
    await ctx.db
      .updateTable('sla_timers')
      .set({ due_at: due.toISOString(), updated_at: isoNow(ctx.k.clock) })
      .where('id', '=', t.id)
      .execute();
    await scheduleBreach(ctx, t.id, due);
  }
}

/** Stops a timer whose condition was met at `at`: fulfilled, late when past its due time. */
async function fulfil(ctx: RecordContext, calendars: CalendarCache, t: TimerRow, at: string) {
  let minutes: number | null = null;
  try {
    minutes = Math.round(
      workingMinutesBetween(
        await calendars.get(t.calendar_id),
        new Date(t.started_at),
        new Date(at),
      ),
    );
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
  }
  await ctx.db
    .updateTable('sla_timers')
    .set({
      status: 'fulfilled',
      stopped_at: at,
      working_minutes: minutes,
      updated_at: isoNow(ctx.k.clock),
    })
    .where('id', '=', t.id)
    .execute();
  await emitEvent(ctx, {
    type: 'sla_timers.fulfilled',
    object: t.object,
    recordId: t.record_id,
    payload: {
      changes: {},
      data: {
        policy_id: t.policy_id,
        timer_id: t.id,
        due_at: t.due_at,
        stopped_at: at,
        late: Date.parse(at) > Date.parse(t.due_at),
        working_minutes: minutes,
      },
    },
  });
}

/**
 * Starts and stops SLA timers from committed record events: a record created (or changed to a
 * policy's start value) starts one, its stop condition fulfils it, deleting it cancels it.
 */
export async function slaOnEvents(ctx: RecordContext, events: DomainEvent[]): Promise<void> {
  const relevant = events.filter(
    (e) => e.type.startsWith(`${e.object}.`) || e.object === 'activities',
  );
  if (relevant.length === 0) return;
  await rescheduleRunning(ctx, await changedCalendars(ctx, relevant));
  const policies = await loadPolicies(ctx);
  if (policies.length === 0) return;
  const byId = new Map(policies.map((p) => [p.id, p]));
  const timed = new Set(policies.map((p) => p.object));
  const stopOnActivity = new Set(
    policies.filter((p) => p.stop_kind === 'activity_created').map((p) => p.object),
  );
  const calendars = new CalendarCache(ctx);

  for (const e of relevant) {
    const kind = e.type.slice(e.object.length + 1);
    if (e.type === 'activities.created') {
      const object = asText(e.changes.related_object?.[1]);
      const recordId = asText(e.changes.related_id?.[1]);
      if (object && recordId && stopOnActivity.has(object)) {
        for (const t of await openTimers(ctx, object, recordId)) {
          if (byId.get(t.policy_id)?.stop_kind === 'activity_created')
            await fulfil(ctx, calendars, t, e.at);
        }
      }
    }
    if (!timed.has(e.object) || e.type !== `${e.object}.${kind}`) continue;

    if (kind === 'deleted') {
      await ctx.db
        .updateTable('sla_timers')
        .set({ status: 'cancelled', stopped_at: e.at, updated_at: isoNow(ctx.k.clock) })
        .where('object', '=', e.object)
        .where('record_id', '=', e.recordId)
        .where('status', '=', 'running')
        .execute();
      continue;
    }
    if (kind !== 'created' && kind !== 'updated') continue;

    const open = kind === 'updated' ? await openTimers(ctx, e.object, e.recordId) : [];
    const stillOpen = new Set<string>();
    for (const t of open) {
      const p = byId.get(t.policy_id);
      if (p && stopsOn(p, e)) await fulfil(ctx, calendars, t, e.at);
      else stillOpen.add(t.policy_id);
    }
    for (const p of policies) {
      if (p.object !== e.object || !p.enabled || stillOpen.has(p.id)) continue;
      if (startsOn(p, e, kind === 'created')) await startTimer(ctx, calendars, p, e);
    }
  }
}
