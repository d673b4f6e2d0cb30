import { sql } from 'kysely';
import { AppError } from '../../core/errors';
import { isoNow } from '../../core/clock';
import type { RecordContext } from '../../core/kontor';
import { queueMail } from '../../core/mail/mailer';
import { createRecord, updateRecord } from '../../core/records/write';
import type { Duration, Step } from './definition';
import {
  evaluate,
  isTruthy,
  loadScope,
  referencedPaths,
  renderTemplate,
  templateValue,
  type Scope,
} from './expressions';
import { automationActions, type StepEnv, type StepResult } from './actions';
import { expr, template } from './scope';

export function durationMs(d: Duration): number {
  const unit = d.unit === 'minutes' ? 60_000 : d.unit === 'hours' ? 3_600_000 : 86_400_000;
  return d.amount * unit;
}

function later(ctx: RecordContext, d: Duration): Date {
  return new Date(ctx.k.clock.now().getTime() + durationMs(d));
}

/** Field values from templates: a template that is one expression keeps its type. */
function valuesFrom(sources: Record<string, string>, scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, source] of Object.entries(sources)) {
    const v = templateValue(template(source), scope);
    out[field] = v === '' ? null : v;
  }
  return out;
}

/** An instant from an expression's value: a date is its start (UTC), a date-time itself. */
function instantOf(v: unknown, what: string): Date {
  if (typeof v === 'string') {
    const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new AppError(
    'validation',
    `${what} gave ${JSON.stringify(v)}, which is not a date or an instant`,
  );
}

function requireRecord(env: StepEnv, step: Step) {
  if (!env.record)
    throw new AppError(
      'validation',
      `step "${step.id}" needs the trigger's record, and this run has none`,
    );
  return env.record;
}

/** Runs one step; `previous` is what the step said when it went to wait (when it is woken). */
export async function runStep(
  ctx: RecordContext,
  step: Step,
  env: StepEnv,
  previous?: unknown,
): Promise<StepResult> {
  const scope = env.scope;
  switch (step.type) {
    case 'create_record': {
      const rec = await createRecord(ctx, step.object, valuesFrom(step.values, scope));
      return { status: 'done', output: { object: step.object, record_id: rec.id } };
    }
    case 'update_record': {
      let target = env.record;
      if (step.target !== 'record') {
        const made = env.steps[step.target] as { object: string; record_id: string } | undefined;
        if (!made)
          throw new AppError(
            'validation',
            `step "${step.target}" has not created a record in this run`,
          );
        target = { object: made.object, id: made.record_id };
      }
      if (!target) throw new AppError('validation', 'this run has no record to update');
      const rec = await updateRecord(ctx, target.object, target.id, valuesFrom(step.values, scope));
      return {
        status: 'done',
        output: { object: target.object, record_id: rec.id, version: rec.version },
      };
    }
    case 'create_tasks':
      return { status: 'done', output: { task_ids: await createTasks(ctx, step, env) } };
    case 'assign': {
      const record = requireRecord(env, step);
      const user = await pickUser(ctx, step, env);
      await updateRecord(ctx, record.object, record.id, { [step.field]: user });
      return { status: 'done', output: { field: step.field, user_id: user } };
    }
    case 'move_stage': {
      const record = requireRecord(env, step);
      await updateRecord(ctx, record.object, record.id, { stage_id: step.stage_id });
      return { status: 'done', output: { stage_id: step.stage_id } };
    }
    case 'send_email': {
      const to = renderTemplate(template(step.to), scope).trim();
      if (!/^[^\s@]+@[^\s@]+$/.test(to))
        throw new AppError(
          'validation',
          `the recipient "${to.slice(0, 200)}" is not an e-mail address`,
        );
      const id = await queueMail(ctx, {
        to,
        subject: renderTemplate(template(step.subject), scope),
        text: renderTemplate(template(step.body), scope),
        ...(env.record ? { related: env.record } : {}),
      });
      return { status: 'done', output: { mail_id: id, to } };
    }
    case 'call_webhook':
      throw new AppError(
        'validation',
        'calling a webhook from a process is not available in this version',
      );
    case 'wait':
      return waitStep(ctx, step, env, previous);
    case 'wait_for_tasks': {
      const made = env.steps[step.step] as { task_ids?: string[] } | undefined;
      const ids = made?.task_ids ?? [];
      const open = ids.length
        ? await ctx.db
            .selectFrom(ctx.k.meta.get('tasks').table)
            .select('id')
            .where('id', 'in', ids)
            .where('deleted_at', 'is', null)
            .where('status', 'not in', ['done', 'cancelled'])
            .execute()
        : [];
      if (open.length === 0) return { status: 'done', output: { task_ids: ids } };
      return {
        status: 'waiting',
        output: { task_ids: ids, open: open.length },
        watch: open.map((r) => ({ object: 'tasks', id: r.id as string })),
      };
    }
    case 'if': {
      const holds = isTruthy(evaluate(expr(step.condition), scope));
      return {
        status: 'done',
        output: { result: holds },
        next: (holds ? step.then : step.else) ?? null,
      };
    }
    case 'for_each':
      return { status: 'done', output: await forEach(ctx, step, env) };
    case 'note': {
      const record = requireRecord(env, step);
      const rec = await createRecord(ctx, 'activities', {
        kind: 'note',
        subject: env.processName || 'Process',
        body: renderTemplate(template(step.text), scope),
        related_object: record.object,
        related_id: record.id,
        occurred_at: isoNow(ctx.k.clock),
      });
      return { status: 'done', output: { activity_id: rec.id } };
    }
    case 'action': {
      const action = automationActions(ctx.k)[step.action];
      if (!action) throw new AppError('validation', `the action "${step.action}" is not available`);
      return action.run(ctx, step.settings, env);
    }
  }
}

async function waitStep(
  ctx: RecordContext,
  step: Extract<Step, { type: 'wait' }>,
  env: StepEnv,
  previous: unknown,
): Promise<StepResult> {
  const now = ctx.k.clock.now();
  if (step.for || step.until !== undefined) {
    if (env.resume === 'time') return { status: 'done', output: previous };
    const wake = step.for
      ? later(ctx, step.for)
      : instantOf(evaluate(expr(step.until!), env.scope), 'until');
    if (wake.getTime() <= now.getTime())
      return { status: 'done', output: { until: wake.toISOString() } };
    return { status: 'waiting', output: { until: wake.toISOString() }, wakeAt: wake };
  }
  if (env.resume === 'timeout')
    return {
      status: 'done',
      output: { timed_out: true },
      next: step.on_timeout ?? step.next ?? null,
    };
  if (isTruthy(evaluate(expr(step.condition!), env.scope)))
    return { status: 'done', output: { timed_out: false } };
  const record = requireRecord(env, step);
  return {
    status: 'waiting',
    output:
      previous ?? (step.timeout ? { timeout_at: later(ctx, step.timeout).toISOString() } : {}),
    watch: [record],
    ...(!env.resume && step.timeout ? { timeoutAt: later(ctx, step.timeout) } : {}),
  };
}

async function createTasks(
  ctx: RecordContext,
  step: Extract<Step, { type: 'create_tasks' }>,
  env: StepEnv,
): Promise<string[]> {
  const tasks = ctx.k.meta.get('tasks');
  const ids: string[] = [];
  for (const spec of step.tasks) {
    const values: Record<string, unknown> = {
      title: renderTemplate(template(spec.title), env.scope),
      priority: spec.priority ?? 'normal',
    };
    if (spec.description)
      values.description = renderTemplate(template(spec.description), env.scope);
    if (spec.assignee) {
      const who = templateValue(template(spec.assignee), env.scope);
      if (who) values.assignee_id = who;
    }
    if (spec.queue_id && tasks.field('queue_id')) values.queue_id = spec.queue_id;
    if (spec.due_in) values.due_at = later(ctx, spec.due_in).toISOString();
    if (env.record) {
      values.related_object = env.record.object;
      values.related_id = env.record.id;
    }
    ids.push((await createRecord(ctx, 'tasks', values)).id);
  }
  const deps = ctx.k.meta.find('task_dependencies');
  if (deps) {
    for (const [j, spec] of step.tasks.entries()) {
      for (const d of spec.depends_on ?? [])
        await createRecord(ctx, 'task_dependencies', { task_id: ids[j], depends_on_id: ids[d] });
    }
  }
  return ids;
}

/** The user a record goes to: the one given, the next in turn, or the one with fewest open tasks. */
async function pickUser(ctx: RecordContext, step: Extract<Step, { type: 'assign' }>, env: StepEnv) {
  if (step.strategy === 'fixed' || step.users.length === 1) return step.users[0]!;
  if (step.strategy === 'round_robin') {
    const key = `round_robin:${step.id}`;
    // One statement moves the turn on, so two runs at once never get the same user.
    const r = await sql<{ value: number }>`
      insert into automation_state (process_id, key, value) values (${env.processId}, ${key}, 0)
      on conflict (process_id, key) do update set value = automation_state.value + 1
      returning value`.execute(ctx.db);
    const turn = Number(r.rows[0]!.value);
    return step.users[turn % step.users.length]!;
  }
  const tasks = ctx.k.meta.get('tasks').table;
  const counts = await ctx.db
    .selectFrom(tasks)
    .select(['assignee_id', sql<number>`count(*)`.as('n')])
    .where('assignee_id', 'in', step.users)
    .where('deleted_at', 'is', null)
    .where('status', 'not in', ['done', 'cancelled'])
    .groupBy('assignee_id')
    .execute();
  const load = new Map(counts.map((c) => [c.assignee_id as string, Number(c.n)]));
  // Fewest open tasks; on a tie, the first in the list, so the choice is predictable.
  let best = step.users[0]!;
  for (const u of step.users) if ((load.get(u) ?? 0) < (load.get(best) ?? 0)) best = u;
  return best;
}

const FOR_EACH_LIMIT = 1000;

async function forEach(
  ctx: RecordContext,
  step: Extract<Step, { type: 'for_each' }>,
  env: StepEnv,
) {
  const record = requireRecord(env, step);
  const items = ctx.k.meta.get(step.object);
  const rows = await ctx.db
    .selectFrom(items.table)
    .select('id')
    .where(step.via, '=', record.id)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(FOR_EACH_LIMIT + 1)
    .execute();
  if (rows.length > FOR_EACH_LIMIT)
    throw new AppError(
      'validation',
      `more than ${FOR_EACH_LIMIT} ${items.name} records point at this record; for each handles at most ${FOR_EACH_LIMIT}`,
    );
  const paths = [
    ...(step.where ? referencedPaths(expr(step.where)) : []),
    ...Object.values(step.update ?? {}).flatMap((s) => referencedPaths(template(s))),
    ...(step.note ? referencedPaths(template(step.note)) : []),
  ].filter((p) => p[0] === 'item');
  let done = 0;
  for (const row of rows) {
    const id = row.id as string;
    const itemScope = {
      ...env.scope,
      ...(await loadScope(ctx, { item: { object: items.name, id } }, paths)),
    };
    if (step.where && !isTruthy(evaluate(expr(step.where), itemScope))) continue;
    if (step.update) await updateRecord(ctx, items.name, id, valuesFrom(step.update, itemScope));
    if (step.note)
      await createRecord(ctx, 'activities', {
        kind: 'note',
        subject: env.processName || 'Process',
        body: renderTemplate(template(step.note), itemScope),
        related_object: items.name,
        related_id: id,
        occurred_at: isoNow(ctx.k.clock),
      });
    done++;
  }
  return { matched: done, of: rows.length };
}
