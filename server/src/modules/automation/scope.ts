import { AppError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { Step } from './definition';
import {
  loadScope,
  parseExpression,
  parseTemplate,
  referencedPaths,
  type Expr,
  type Scope,
  type Template,
} from './expressions';
import type { StepEnv } from './actions';
import type { RunData } from './runs';

// Expressions were checked when the process was saved; parsing them again per step is cheap,
// and a process's sources repeat, so the trees are kept (a bounded number of them).
const exprs = new Map<string, Expr>();
const templates = new Map<string, Template>();
const LIMIT = 5000;

export function expr(source: string): Expr {
  let e = exprs.get(source);
  if (!e) {
    e = parseExpression(source);
    if (exprs.size >= LIMIT) exprs.clear();
    exprs.set(source, e);
  }
  return e;
}

export function template(source: string): Template {
  let t = templates.get(source);
  if (!t) {
    t = parseTemplate(source);
    if (templates.size >= LIMIT) templates.clear();
    templates.set(source, t);
  }
  return t;
}

/** The expression and template sources a step reads. */
export function sourcesOf(step: Step): { exprs: string[]; templates: string[] } {
  const e: (string | undefined)[] = [];
  const t: (string | undefined)[] = [];
  switch (step.type) {
    case 'create_record':
    case 'update_record':
      t.push(...Object.values(step.values));
      break;
    case 'create_tasks':
      for (const task of step.tasks) t.push(task.title, task.description, task.assignee);
      break;
    case 'send_email':
      t.push(step.to, step.subject, step.body);
      break;
    case 'call_webhook':
      t.push(step.body);
      break;
    case 'wait':
      e.push(step.until, step.condition);
      break;
    case 'if':
      e.push(step.condition);
      break;
    case 'for_each':
      t.push(...Object.values(step.update ?? {}), step.note);
      break;
    case 'note':
      t.push(step.text);
      break;
    case 'action':
      for (const v of Object.values(step.settings))
        if (typeof v === 'string' && v.includes('{{')) t.push(v);
      break;
  }
  const defined = (xs: (string | undefined)[]) => xs.filter((x): x is string => x !== undefined);
  return { exprs: defined(e), templates: defined(t) };
}

/** What a step's expressions see: the record as it is now, the trigger, earlier steps, the time. */
export async function buildScope(
  ctx: RecordContext,
  step: Step | null,
  env: Pick<StepEnv, 'record'>,
  data: RunData,
  extra: { condition?: string } = {},
): Promise<Scope> {
  const paths: string[][] = [];
  if (step) {
    const src = sourcesOf(step);
    for (const s of src.exprs) paths.push(...referencedPaths(expr(s)));
    for (const s of src.templates) paths.push(...referencedPaths(template(s)));
  }
  if (extra.condition) paths.push(...referencedPaths(expr(extra.condition)));
  const now = ctx.k.clock.now();
  let loaded: Scope = {};
  if (env.record) {
    try {
      loaded = await loadScope(
        ctx,
        { record: env.record },
        paths.filter((p) => p[0] === 'record'),
      );
    } catch (err) {
      // The record was deleted since: expressions see it as empty.
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      loaded = { record: null };
    }
  }
  return {
    ...loaded,
    trigger: data.trigger,
    steps: data.steps,
    now: now.toISOString(),
    today: now.toISOString().slice(0, 10),
  };
}
