import { SYSTEM_ACTOR } from '../../core/actor';
import type { DomainEvent } from '../../core/events/outbox';
import { enqueueJob } from '../../core/jobs/queue';
import type { RecordContext } from '../../core/kontor';
import { inTransaction, type Kontor } from '../../core/kontor';
import type { Definition, Trigger } from './definition';
import { evaluate, ExpressionError, isTruthy } from './expressions';
import { buildScope, expr } from './scope';
import { candidateProcesses, getProcess, loadDefinition } from './store';
import { startRun, STEP_JOB, triggerData, type RunData } from './runs';
import { durationMs } from './steps';

/** Kinds of module events a form trigger listens to. */
const FORM_EVENTS = ['forms.link_submitted', 'forms.web_submitted'];
export const WEBHOOK_EVENT = 'automation.webhook';

function kind(e: DomainEvent): string {
  const dot = e.type.lastIndexOf('.');
  return e.object === e.type.slice(0, dot) ? e.type.slice(dot + 1) : e.type;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Whether an event is what a trigger waits for (before the process's condition is checked). */
export function matches(t: Trigger, e: DomainEvent, processId: string): boolean {
  const k = kind(e);
  const changed = (f: string) => Object.prototype.hasOwnProperty.call(e.changes, f);
  switch (t.type) {
    case 'record_created':
      return e.object === t.object && k === 'created';
    case 'record_updated':
      return (
        e.object === t.object && k === 'updated' && (!t.fields?.length || t.fields.some(changed))
      );
    case 'field_changed': {
      if (e.object !== t.object || (k !== 'updated' && k !== 'created') || !changed(t.field))
        return false;
      const [from, to] = e.changes[t.field] as [unknown, unknown];
      return (t.from === undefined || same(from, t.from)) && (t.to === undefined || same(to, t.to));
    }
    case 'stage_entered':
    case 'stage_left': {
      if (e.object !== t.object || (k !== 'updated' && k !== 'created') || !changed('stage_id'))
        return false;
      const [from, to] = e.changes.stage_id as [unknown, unknown];
      return t.type === 'stage_entered' ? to === t.stage_id : from === t.stage_id;
    }
    case 'task_completed':
      return (
        e.object === 'tasks' &&
        k === 'updated' &&
        changed('status') &&
        (e.changes.status as unknown[])[1] === 'done'
      );
    case 'form_submitted':
      return FORM_EVENTS.includes(e.type) && (!t.form_id || e.data?.form_id === t.form_id);
    case 'event':
      return e.type === t.event && (!t.object || e.object === t.object);
    case 'webhook':
      return e.type === WEBHOOK_EVENT && e.recordId === processId;
    case 'date_reached':
    case 'schedule':
      return false;
  }
}

/**
 * The automation module's event consumer: wakes runs waiting on the changed records, plans date
 * triggers, and starts the runs whose trigger an event matches and whose condition holds, all in
 * the transaction that marks the events handled.
 */
export async function onAutomationEvents(ctx: RecordContext, events: DomainEvent[]): Promise<void> {
  await wakeWaiting(ctx, events);
  const objects = [...new Set(events.map((e) => e.object))];
  const candidates = await candidateProcesses(ctx.db, objects, ctx.k.database.dialect);
  if (candidates.length === 0) return;
  const defs = new Map<string, Definition>();
  for (const p of candidates) defs.set(p.id, await loadDefinition(ctx.db, p.id, p.version));
  for (const e of events) {
    for (const p of candidates) {
      const def = defs.get(p.id)!;
      const t = def.trigger;
      if (t.type === 'date_reached') {
        if (e.object === t.object && Object.prototype.hasOwnProperty.call(e.changes, t.field))
          await planDate(ctx, p.id, t, e);
        continue;
      }
      // A process reacts to changes made after it was saved or enabled, not to older ones still
      // in the outbox (an import's thousands of records when a process is installed after it).
      if (e.at < p.updated_at) continue;
      if (!matches(t, e, p.id)) continue;
      const record = e.type === WEBHOOK_EVENT ? null : { object: e.object, id: e.recordId };
      let holds = true;
      if (def.condition) {
        try {
          holds = await conditionHolds(ctx, def.condition, record, e);
        } catch (err) {
          // A condition that cannot be worked out for this event (a text where a number was
          // meant) is that process's failure, recorded on a run; it must not hold up the events
          // of every other process, nor be tried again forever.
          if (!(err instanceof ExpressionError)) throw err;
          await startRun(
            ctx,
            p,
            { record, event: e },
            `The condition could not be evaluated: ${err.message}`,
          );
          continue;
        }
      }
      if (!holds) continue;
      await startRun(ctx, p, { record, event: e });
    }
  }
}

async function conditionHolds(
  ctx: RecordContext,
  condition: string,
  record: { object: string; id: string } | null,
  e: DomainEvent | null,
): Promise<boolean> {
  const data: RunData = {
    trigger: triggerData(e),
    steps: {},
  };
  const scope = await buildScope(ctx, null, { record }, data, { condition });
  return isTruthy(evaluate(expr(condition), scope));
}

/** Runs waiting on a changed record (a condition, a task) get a job to check again. */
async function wakeWaiting(ctx: RecordContext, events: DomainEvent[]) {
  const ids = [...new Set(events.map((e) => e.recordId))];
  if (ids.length === 0) return;
  const waits = await ctx.db
    .selectFrom('automation_waits')
    .select(['run_id', 'step_id', 'visit', 'object', 'record_id'])
    .where('record_id', 'in', ids)
    .execute();
  const byRecord = new Map<string, string>();
  for (const e of events) byRecord.set(`${e.object}:${e.recordId}`, e.id);
  const woken = new Set<string>();
  for (const w of waits) {
    const eventId = byRecord.get(`${w.object}:${w.record_id}`);
    if (!eventId) continue;
    const job = {
      runId: w.run_id as string,
      stepId: w.step_id as string,
      visit: Number(w.visit),
      resume: 'check' as const,
    };
    // Keyed by the change, not only by the wait: a check already running may have read the
    // record before this change, so each change gets a check of its own.
    const key = `automation:${job.runId}:${job.stepId}:${job.visit}:check:${eventId}`;
    if (woken.has(key)) continue;
    woken.add(key);
    await enqueueJob(ctx.db, ctx.k.clock, STEP_JOB, job, { uniqueKey: key, maxAttempts: 5 });
  }
}

export const DATE_JOB = 'automation.date';

/** The instant a date trigger fires for a field's value, or null when the field is empty. */
export function dateTriggerAt(
  t: Extract<Trigger, { type: 'date_reached' }>,
  value: unknown,
): Date | null {
  if (typeof value !== 'string' || !value) return null;
  const base = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(base.getTime())) return null;
  const shift = t.offset ? durationMs(t.offset) * (t.offset.direction === 'before' ? -1 : 1) : 0;
  return new Date(base.getTime() + shift);
}

async function planDate(
  ctx: RecordContext,
  processId: string,
  t: Extract<Trigger, { type: 'date_reached' }>,
  e: DomainEvent,
) {
  const [, value] = e.changes[t.field] as [unknown, unknown];
  const at = dateTriggerAt(t, value);
  if (!at || at.getTime() < ctx.k.clock.now().getTime()) return;
  // A job per process, record and instant: a date moved plans a new one, and the old one, when
  // its time comes, finds the record no longer has that date and does nothing.
  await enqueueJob(
    ctx.db,
    ctx.k.clock,
    DATE_JOB,
    { processId, object: e.object, recordId: e.recordId, at: at.toISOString() },
    {
      runAt: at,
      uniqueKey: `automation:date:${processId}:${e.recordId}:${at.toISOString()}`,
      maxAttempts: 5,
    },
  );
}

/** A date trigger's time has come: start the run if the record still has that date. */
export async function dateJob(ctx: RecordContext, payload: unknown) {
  const p = payload as { processId: string; object: string; recordId: string; at: string };
  const process = await getProcess(ctx.db, p.processId).catch(() => null);
  if (!process?.enabled) return;
  const def = await loadDefinition(ctx.db, process.id, process.version);
  const t = def.trigger;
  if (t.type !== 'date_reached' || t.object !== p.object) return;
  const object = ctx.k.meta.get(p.object);
  const row = await ctx.db
    .selectFrom(object.table)
    .select(t.field)
    .where('id', '=', p.recordId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return;
  const raw = (row as Record<string, unknown>)[t.field];
  const value = raw instanceof Date ? raw.toISOString() : raw;
  const at = dateTriggerAt(t, value);
  if (!at || at.toISOString() !== p.at) return;
  const record = { object: p.object, id: p.recordId };
  try {
    if (def.condition && !(await conditionHolds(ctx, def.condition, record, null))) return;
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    await startRun(
      ctx,
      process,
      { record, event: null },
      `The condition could not be evaluated: ${err.message}`,
    );
    return;
  }
  await startRun(ctx, process, { record, event: null });
}

export const SCHEDULE_JOB = 'automation.schedule';

/** Plans a scheduled process's next run; `epoch` ties the chain of jobs to one saved state. */
export async function planSchedule(ctx: RecordContext, processId: string, from?: Date) {
  const process = await getProcess(ctx.db, processId);
  if (!process.enabled) return;
  const def = await loadDefinition(ctx.db, process.id, process.version);
  const t = def.trigger;
  if (t.type !== 'schedule') return;
  const now = ctx.k.clock.now();
  let at = from ?? (t.starting ? new Date(t.starting) : now);
  const every = Math.max(60_000, durationMs(t.every));
  // A first instant in the past: the next one after now on its rhythm.
  if (at.getTime() < now.getTime())
    at = new Date(at.getTime() + Math.ceil((now.getTime() - at.getTime()) / every) * every);
  await enqueueJob(
    ctx.db,
    ctx.k.clock,
    SCHEDULE_JOB,
    { processId, epoch: process.updated_at, at: at.toISOString() },
    {
      runAt: at,
      uniqueKey: `automation:schedule:${processId}:${process.updated_at}:${at.toISOString()}`,
      maxAttempts: 5,
    },
  );
}

export async function scheduleJob(ctx: RecordContext, payload: unknown) {
  const p = payload as { processId: string; epoch: string; at: string };
  const process = await getProcess(ctx.db, p.processId).catch(() => null);
  // Saved, enabled or disabled since: that change planned its own chain (or none).
  if (!process?.enabled || process.updated_at !== p.epoch) return;
  const def = await loadDefinition(ctx.db, process.id, process.version);
  if (def.trigger.type !== 'schedule') return;
  await startRun(ctx, process, { record: null, event: null });
  await planSchedule(
    ctx,
    process.id,
    new Date(new Date(p.at).getTime() + Math.max(60_000, durationMs(def.trigger.every))),
  );
}

export async function inSystem<T>(k: Kontor, fn: (ctx: RecordContext) => Promise<T>) {
  return inTransaction(k, SYSTEM_ACTOR, fn);
}
