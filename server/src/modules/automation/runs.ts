import { sql } from 'kysely';
import { SYSTEM_ACTOR } from '../../core/actor';
import { AppError, notFound } from '../../core/errors';
import { isoNow } from '../../core/clock';
import type { DomainEvent } from '../../core/events/outbox';
import { newId } from '../../core/ids';
import { enqueueJob } from '../../core/jobs/queue';
import type { JobRow } from '../../core/jobs/queue';
import { inTransaction, type Kontor, type RecordContext } from '../../core/kontor';
import type { Step } from './definition';
import { loadDefinition } from './store';
import { runStep } from './steps';
import type { StepEnv, StepResult } from './actions';
import { buildScope } from './scope';
import { ExpressionError } from './expressions';

export type RunStatus = 'running' | 'waiting' | 'done' | 'failed' | 'stopped';

export interface RunRow {
  id: string;
  process_id: string;
  version: number;
  status: RunStatus;
  object: string | null;
  record_id: string | null;
  event_id: string | null;
  event_type: string | null;
  chain: string;
  data: string;
  current_step: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
}

export interface RunData {
  trigger: {
    type: string | null;
    changes: Record<string, unknown>;
    /** Each changed field's value before and after the change that started the run. */
    old: Record<string, unknown>;
    new: Record<string, unknown>;
    data: Record<string, unknown>;
  };
  steps: Record<string, unknown>;
}

/** A step job: run a step of a run (the nth time it is reached), or wake it from a wait. */
export interface StepJob {
  runId: string;
  stepId: string;
  visit: number;
  resume?: 'time' | 'check' | 'timeout';
}

export const STEP_JOB = 'automation.step';
/** How often one step may run within one run (a loop through a wait). */
const MAX_VISITS = 100;
/** How many times a process may be started by changes its own runs made, one after another. */
export const MAX_SELF_STARTS = 2;
/** How long a causal chain of runs (across processes) may grow. */
export const MAX_CHAIN = 10;

function stepJobKey(j: StepJob) {
  return `automation:${j.runId}:${j.stepId}:${j.visit}${j.resume ? `:${j.resume}` : ''}`;
}

/** Plans a step job (a step to run, or a waiting step to wake) in the caller's transaction. */
export async function enqueueStep(ctx: RecordContext, job: StepJob, runAt?: Date) {
  await enqueueJob(ctx.db, ctx.k.clock, STEP_JOB, job, {
    uniqueKey: stepJobKey(job),
    maxAttempts: 5,
    ...(runAt ? { runAt } : {}),
  });
}

/**
 * Starts a run of a process's current version, in the caller's transaction: the run row and its
 * first step's job commit together. A start that its own chain of runs caused too often (a step
 * that retriggers its own process) becomes a failed run with the reason, and runs nothing.
 */
export async function startRun(
  ctx: RecordContext,
  process: { id: string; version: number; name: string },
  start: {
    record: { object: string; id: string } | null;
    event: DomainEvent | null;
  },
  /** A reason the run cannot start (its condition failed): it is recorded as failed. */
  failure?: string,
): Promise<string> {
  const def = await loadDefinition(ctx.db, process.id, process.version);
  const id = newId();
  const now = isoNow(ctx.k.clock);
  const before = start.event?.cause?.chain ?? [];
  let error: string | null = failure ?? null;
  if (error) {
    // Recorded as it is.
  } else if (before.length >= MAX_CHAIN) {
    error = `Stopped: ${before.length} runs in a row were each started by the changes of the one before (runs ${before.join(' → ')}); processes are triggering each other in a loop.`;
  } else if (before.length) {
    const own = await ctx.db
      .selectFrom('automation_runs')
      .select(sql<number>`count(*)`.as('n'))
      .where('id', 'in', before)
      .where('process_id', '=', process.id)
      .executeTakeFirstOrThrow();
    if (Number(own.n) >= MAX_SELF_STARTS) {
      error = `Stopped: "${process.name}" was started by changes its own runs made ${Number(own.n)} times in a row (runs ${before.join(' → ')}); a step retriggers the process's own trigger. Add a condition that is false once the step has done its work.`;
    }
  }
  const data: RunData = {
    trigger: triggerData(start.event),
    steps: {},
  };
  await ctx.db
    .insertInto('automation_runs')
    .values({
      id,
      process_id: process.id,
      version: process.version,
      status: error ? 'failed' : 'running',
      object: start.record?.object ?? null,
      record_id: start.record?.id ?? null,
      event_id: start.event?.id ?? null,
      event_type: start.event?.type ?? null,
      chain: JSON.stringify([...before, id]),
      data: JSON.stringify(data),
      current_step: error ? null : def.start,
      error,
      started_at: now,
      finished_at: error ? now : null,
      updated_at: now,
    })
    .execute();
  if (!error) await enqueueStep(ctx, { runId: id, stepId: def.start, visit: 1 });
  return id;
}

/** What expressions see of the event that started a run (`trigger.new.stage_id`). */
export function triggerData(e: DomainEvent | null): RunData['trigger'] {
  const changes = e?.changes ?? {};
  const old: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const [field, pair] of Object.entries(changes)) {
    const [a, b] = pair as [unknown, unknown];
    old[field] = a;
    now[field] = b;
  }
  return { type: e?.type ?? null, changes, old, new: now, data: e?.data ?? {} };
}

export async function getRun(db: RecordContext['db'], id: string): Promise<RunRow> {
  const row = await db
    .selectFrom('automation_runs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`Run ${id}`);
  return row as unknown as RunRow;
}

/**
 * The step job. The step and what it leads to (the next step's job, the run's state) commit in
 * one transaction; a step found done already (the job ran again after a crash) does nothing.
 * A failure is recorded on the step, retried with backoff, and at the last attempt parks the run
 * as failed; an error in what the process asks for (a field that does not take the value) parks it
 * at once, since trying again cannot help.
 */
export const stepJob = {
  async outside(k: Kontor, payload: unknown, job: JobRow): Promise<void> {
    const p = payload as StepJob;
    try {
      await inTransaction(k, SYSTEM_ACTOR, (ctx) => executeStep(ctx, p), `run:${p.runId}`);
    } catch (err) {
      // What the process asks that cannot be done (a value a field refuses, an expression that
      // cannot be worked out) parks the run at once: trying again would fail the same way.
      const permanent =
        (err instanceof AppError && err.code !== 'version_mismatch') ||
        err instanceof ExpressionError;
      const final = permanent || job.attempts >= job.max_attempts;
      await inTransaction(k, SYSTEM_ACTOR, (ctx) =>
        recordFailure(ctx, p, err as Error, job.attempts, final),
      );
      if (!final) throw err;
    }
  },
};

async function lockRun(ctx: RecordContext, id: string): Promise<RunRow | undefined> {
  const lock = ctx.k.database.dialect === 'postgres' ? sql` for update` : sql``;
  const r = await sql<RunRow>`select * from automation_runs where id = ${id}${lock}`.execute(
    ctx.db,
  );
  return r.rows[0];
}

async function stepRow(ctx: RecordContext, p: StepJob) {
  return ctx.db
    .selectFrom('automation_run_steps')
    .selectAll()
    .where('run_id', '=', p.runId)
    .where('step_id', '=', p.stepId)
    .where('visit', '=', p.visit)
    .executeTakeFirst() as Promise<
    { id: string; status: string; attempts: number; output: string | null } | undefined
  >;
}

async function executeStep(ctx: RecordContext, p: StepJob): Promise<void> {
  const run = await lockRun(ctx, p.runId);
  if (!run || run.status === 'done' || run.status === 'failed' || run.status === 'stopped') return;
  const def = await loadDefinition(ctx.db, run.process_id, run.version);
  const step = def.steps.find((s) => s.id === p.stepId);
  if (!step) throw new Error(`step "${p.stepId}" is not in version ${run.version} of the process`);
  const row = await stepRow(ctx, p);
  if (row?.status === 'done') return;
  // A wake-up for a step that is not waiting (any more) is stale.
  if (p.resume && row?.status !== 'waiting') return;
  if (!p.resume && row?.status === 'waiting') return;

  const data = JSON.parse(run.data) as RunData;
  const chain = JSON.parse(run.chain) as string[];
  ctx.cause = { runId: run.id, processId: run.process_id, chain };
  const process = await ctx.db
    .selectFrom('automation_processes')
    .select('name')
    .where('id', '=', run.process_id)
    .executeTakeFirst();
  const record = run.object && run.record_id ? { object: run.object, id: run.record_id } : null;
  const env: StepEnv = {
    runId: run.id,
    stepId: step.id,
    processId: run.process_id,
    processName: String(process?.name ?? ''),
    visit: p.visit,
    record,
    steps: data.steps,
    scope: {},
    ...(p.resume ? { resume: p.resume } : {}),
    ...(row?.output ? { previous: JSON.parse(row.output) as unknown } : {}),
  };
  env.scope = await buildScope(ctx, step, env, data);
  const result: StepResult = await runStep(
    ctx,
    step,
    env,
    row?.output ? JSON.parse(row.output) : undefined,
  );
  await recordStep(ctx, run, step, p, row, result, data);
}

async function recordStep(
  ctx: RecordContext,
  run: RunRow,
  step: Step,
  p: StepJob,
  row: { id: string; attempts: number } | undefined,
  result: StepResult,
  data: RunData,
) {
  const now = isoNow(ctx.k.clock);
  const output = result.output === undefined ? null : JSON.stringify(result.output);
  if (row) {
    await ctx.db
      .updateTable('automation_run_steps')
      .set({
        status: result.status,
        output,
        error: null,
        attempts: row.attempts + (p.resume ? 0 : 1),
        finished_at: result.status === 'done' ? now : null,
      })
      .where('id', '=', row.id)
      .execute();
  } else {
    await ctx.db
      .insertInto('automation_run_steps')
      .values({
        id: newId(),
        run_id: run.id,
        step_id: step.id,
        step_type: step.type === 'action' ? `action:${step.action}` : step.type,
        visit: p.visit,
        status: result.status,
        input: null,
        output,
        error: null,
        attempts: 1,
        started_at: now,
        finished_at: result.status === 'done' ? now : null,
      })
      .execute();
  }

  const runUpdate: Record<string, unknown> = { updated_at: now };
  if (result.status === 'waiting') {
    Object.assign(runUpdate, { status: 'waiting', current_step: step.id });
    // Watches are replaced, not added to, each time the step goes back to waiting.
    await ctx.db.deleteFrom('automation_waits').where('run_id', '=', run.id).execute();
    if (result.watch?.length) {
      await ctx.db
        .insertInto('automation_waits')
        .values(
          result.watch.map((w) => ({
            run_id: run.id,
            step_id: step.id,
            visit: p.visit,
            object: w.object,
            record_id: w.id,
          })),
        )
        .execute();
    }
    const base = { runId: run.id, stepId: step.id, visit: p.visit };
    if (result.wakeAt) await enqueueStep(ctx, { ...base, resume: 'time' }, result.wakeAt);
    if (result.timeoutAt) await enqueueStep(ctx, { ...base, resume: 'timeout' }, result.timeoutAt);
  } else {
    await ctx.db.deleteFrom('automation_waits').where('run_id', '=', run.id).execute();
    data.steps[step.id] = result.output ?? null;
    runUpdate.data = JSON.stringify(data);
    const next = result.next === undefined ? ('next' in step ? step.next : undefined) : result.next;
    if (next) {
      const prev = await ctx.db
        .selectFrom('automation_run_steps')
        .select(sql<number>`max(visit)`.as('v'))
        .where('run_id', '=', run.id)
        .where('step_id', '=', next)
        .executeTakeFirst();
      const visit = Number(prev?.v ?? 0) + 1;
      if (visit > MAX_VISITS) {
        Object.assign(runUpdate, {
          status: 'failed',
          error: `Stopped: step "${next}" was reached ${MAX_VISITS} times in this run`,
          finished_at: now,
          current_step: next,
        });
      } else {
        Object.assign(runUpdate, { status: 'running', current_step: next });
        await enqueueStep(ctx, { runId: run.id, stepId: next, visit });
      }
    } else {
      Object.assign(runUpdate, { status: 'done', current_step: null, finished_at: now });
    }
  }
  await ctx.db.updateTable('automation_runs').set(runUpdate).where('id', '=', run.id).execute();
}

async function recordFailure(
  ctx: RecordContext,
  p: StepJob,
  err: Error,
  attempts: number,
  final: boolean,
) {
  const run = await lockRun(ctx, p.runId);
  if (!run) return;
  const now = isoNow(ctx.k.clock);
  const def = await loadDefinition(ctx.db, run.process_id, run.version);
  const step = def.steps.find((s) => s.id === p.stepId);
  const message = (err.message || String(err)).slice(0, 4000);
  const row = await stepRow(ctx, p);
  if (row) {
    await ctx.db
      .updateTable('automation_run_steps')
      .set({
        status: final ? 'failed' : row.status === 'waiting' ? 'waiting' : 'running',
        error: message,
        attempts,
      })
      .where('id', '=', row.id)
      .execute();
  } else {
    await ctx.db
      .insertInto('automation_run_steps')
      .values({
        id: newId(),
        run_id: run.id,
        step_id: p.stepId,
        step_type: step
          ? step.type === 'action'
            ? `action:${step.action}`
            : step.type
          : 'unknown',
        visit: p.visit,
        status: final ? 'failed' : 'running',
        input: null,
        output: null,
        error: message,
        attempts,
        started_at: now,
        finished_at: final ? now : null,
      })
      .execute();
  }
  if (final && run.status !== 'stopped' && run.status !== 'done') {
    await ctx.db
      .updateTable('automation_runs')
      .set({
        status: 'failed',
        finished_at: now,
        error: `Step "${p.stepId}" failed: ${message}`,
        current_step: p.stepId,
        updated_at: now,
      })
      .where('id', '=', run.id)
      .execute();
  }
}

/** A failed run goes on from its failed step, which runs again. */
export async function retryRun(ctx: RecordContext, id: string): Promise<RunRow> {
  const run = await lockRun(ctx, id);
  if (!run) throw notFound(`Run ${id}`);
  if (run.status !== 'failed')
    throw new AppError('conflict', `Only a failed run can be retried; this one is ${run.status}`);
  const owner = await ctx.db
    .selectFrom('automation_processes')
    .select('deleted_at')
    .where('id', '=', run.process_id)
    .executeTakeFirst();
  if (owner?.deleted_at)
    throw new AppError(
      'conflict',
      'The process of this run was deleted; its runs cannot be retried',
    );
  const failed = await ctx.db
    .selectFrom('automation_run_steps')
    .select(['step_id', 'visit'])
    .where('run_id', '=', id)
    .where('status', '=', 'failed')
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  if (!failed)
    throw new AppError(
      'conflict',
      'This run was stopped before any step ran (see its error); it cannot be retried',
    );
  await ctx.db
    .updateTable('automation_run_steps')
    .set({ status: 'running', error: null })
    .where('run_id', '=', id)
    .where('step_id', '=', failed.step_id as string)
    .where('visit', '=', failed.visit as number)
    .execute();
  await ctx.db
    .updateTable('automation_runs')
    .set({ status: 'running', error: null, finished_at: null, updated_at: isoNow(ctx.k.clock) })
    .where('id', '=', id)
    .execute();
  // A key of its own: the failed attempt's job may still be finishing (marked done just after
  // the failure was recorded), and a shared key would skip this one, leaving the run with no job.
  // The step row keeps the step from running twice.
  const job: StepJob = {
    runId: id,
    stepId: failed.step_id as string,
    visit: failed.visit as number,
  };
  await enqueueJob(ctx.db, ctx.k.clock, STEP_JOB, job, {
    uniqueKey: `${stepJobKey(job)}:retry:${newId()}`,
    maxAttempts: 5,
  });
  return getRun(ctx.db, id);
}

/** Stops a running or waiting run: no further step runs. */
export async function stopRun(ctx: RecordContext, id: string): Promise<RunRow> {
  const run = await lockRun(ctx, id);
  if (!run) throw notFound(`Run ${id}`);
  if (run.status !== 'running' && run.status !== 'waiting')
    throw new AppError('conflict', `This run is ${run.status} already`);
  const now = isoNow(ctx.k.clock);
  await ctx.db
    .updateTable('automation_runs')
    .set({
      status: 'stopped',
      finished_at: now,
      updated_at: now,
      error: `Stopped by a person at ${now}`,
    })
    .where('id', '=', id)
    .execute();
  await ctx.db.deleteFrom('automation_waits').where('run_id', '=', id).execute();
  return getRun(ctx.db, id);
}
