import type { ErrorDetail } from '../../core/errors';
import type { MetadataRegistry } from '../../core/metadata/registry';
import type { ObjectMeta } from '../../core/metadata/types';
import { definitionSchema, type Definition, type Step } from './definition';
import {
  checkPaths,
  ExpressionError,
  metadataChecker,
  parseExpression,
  parseTemplate,
  type PathChecker,
} from './expressions';
import type { AutomationAction } from './actions';

/** Names an expression may start with besides `record`. */
export const SCOPE_ROOTS = ['trigger', 'steps', 'now', 'today', 'item'];

/** Steps a run may pass through before it must wait: a loop without a wait would spin forever. */
export function nextIds(step: Step): string[] {
  const out: (string | undefined)[] = [];
  if ('next' in step) out.push(step.next);
  if (step.type === 'if') out.push(step.then, step.else);
  if (step.type === 'wait') out.push(step.on_timeout);
  return out.filter((x): x is string => !!x);
}

/**
 * Checks a definition as it is saved: its shape, its graph, the objects and fields it names and
 * every expression and template, so that nothing is first found wrong while a run is under way.
 * Returns every problem with its path (`definition.steps[2].condition`).
 */
export function validateDefinition(
  meta: MetadataRegistry,
  input: unknown,
  actions: Record<string, AutomationAction>,
): { definition?: Definition; errors: ErrorDetail[] } {
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      errors: parsed.error.issues.map((i) => ({
        path: ['definition', ...i.path.map(String)].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]'),
        message: i.message,
      })),
    };
  }
  const def = parsed.data;
  const errors: ErrorDetail[] = [];
  const err = (path: string, message: string) =>
    errors.push({ path: `definition.${path}`, message });

  // The trigger and the object the run's record belongs to.
  const t = def.trigger;
  let object: ObjectMeta | undefined;
  if ('object' in t && t.object) {
    object = meta.find(t.object);
    if (!object) err('trigger.object', `unknown object "${t.object}"`);
  }
  if (object) {
    const fieldsToCheck: string[] = [];
    if (t.type === 'record_updated') fieldsToCheck.push(...(t.fields ?? []));
    if (t.type === 'field_changed' || t.type === 'date_reached') fieldsToCheck.push(t.field);
    if (t.type === 'stage_entered' || t.type === 'stage_left') fieldsToCheck.push('stage_id');
    for (const f of fieldsToCheck) {
      if (!object.field(f)) err('trigger', `${object.name} has no field "${f}"`);
    }
    if (t.type === 'date_reached') {
      const f = object.field(t.field);
      if (f && f.type !== 'date' && f.type !== 'datetime')
        err('trigger.field', `"${t.field}" is not a date or date-time field`);
    }
  }
  if (t.type === 'task_completed') object = meta.find('tasks');

  const checker: PathChecker = metadataChecker(
    meta,
    object ? { record: object.name } : {},
    SCOPE_ROOTS,
  );
  const expr = (path: string, source: string | undefined, itemObject?: string) => {
    if (source === undefined) return;
    try {
      const e = parseExpression(source);
      const check = itemObject
        ? metadataChecker(
            meta,
            { ...(object ? { record: object.name } : {}), item: itemObject },
            SCOPE_ROOTS,
          )
        : checker;
      for (const problem of checkPaths(e, check)) err(path, describe(problem));
    } catch (e) {
      if (e instanceof ExpressionError) err(path, describe(e));
      else throw e;
    }
  };
  const template = (path: string, source: string | undefined) => {
    if (source === undefined) return;
    try {
      const tpl = parseTemplate(source);
      for (const problem of checkPaths(tpl, checker)) err(path, describe(problem));
    } catch (e) {
      if (e instanceof ExpressionError) err(path, describe(e));
      else throw e;
    }
  };
  const values = (path: string, targetName: string, vals: Record<string, string> | undefined) => {
    const target = meta.find(targetName);
    if (!target) return err(path, `unknown object "${targetName}"`);
    for (const [field, source] of Object.entries(vals ?? {})) {
      const f = target.field(field);
      if (!f) err(`${path}.${field}`, `${target.name} has no field "${field}"`);
      else if (f.readOnly || f.type === 'computed')
        err(`${path}.${field}`, `"${field}" is set by Kontor and cannot be written`);
      template(`${path}.${field}`, source);
    }
  };

  expr('condition', def.condition);

  // The graph: unique ids, existing targets, everything reachable, no loop without a wait.
  const byId = new Map<string, { step: Step; index: number }>();
  def.steps.forEach((step, index) => {
    if (byId.has(step.id)) err(`steps[${index}].id`, `step id "${step.id}" is used twice`);
    else byId.set(step.id, { step, index });
  });
  if (!byId.has(def.start)) err('start', `no step has the id "${def.start}"`);
  def.steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    for (const target of nextIds(step))
      if (!byId.has(target)) err(at, `goes on to "${target}", which is not a step of this process`);
    switch (step.type) {
      case 'create_record':
        values(`${at}.values`, step.object, step.values);
        break;
      case 'update_record': {
        let targetObject = object?.name;
        if (step.target !== 'record') {
          const src = byId.get(step.target)?.step;
          if (!src || src.type !== 'create_record')
            err(`${at}.target`, `"${step.target}" is neither "record" nor a create_record step`);
          targetObject = src?.type === 'create_record' ? src.object : undefined;
        } else if (!object) err(`${at}.target`, 'this trigger has no record to update');
        if (targetObject) values(`${at}.values`, targetObject, step.values);
        break;
      }
      case 'create_tasks':
        step.tasks.forEach((task, j) => {
          template(`${at}.tasks[${j}].title`, task.title);
          template(`${at}.tasks[${j}].description`, task.description);
          template(`${at}.tasks[${j}].assignee`, task.assignee);
          for (const d of task.depends_on ?? [])
            if (d >= step.tasks.length || d === j)
              err(`${at}.tasks[${j}].depends_on`, `task ${d} is not another task of this step`);
        });
        break;
      case 'assign': {
        if (!object) err(at, 'this trigger has no record to assign');
        else if (!object.field(step.field))
          err(`${at}.field`, `${object.name} has no field "${step.field}"`);
        else if (object.field(step.field)!.target !== 'users')
          err(`${at}.field`, `"${step.field}" does not hold a user`);
        break;
      }
      case 'move_stage':
        if (!object?.field('stage_id')) err(at, "the trigger's record has no stage");
        break;
      case 'send_email':
        template(`${at}.to`, step.to);
        template(`${at}.subject`, step.subject);
        template(`${at}.body`, step.body);
        break;
      case 'call_webhook':
        template(`${at}.body`, step.body);
        break;
      case 'wait': {
        const kinds = [step.for, step.until, step.condition].filter((x) => x !== undefined).length;
        if (kinds !== 1)
          err(at, 'a wait needs exactly one of: for (a duration), until (an instant), condition');
        expr(`${at}.until`, step.until);
        expr(`${at}.condition`, step.condition);
        if (step.condition && !object)
          err(`${at}.condition`, 'this trigger has no record whose changes could be watched');
        if ((step.timeout || step.on_timeout) && !step.condition)
          err(`${at}.timeout`, 'a time-out belongs to a wait for a condition');
        break;
      }
      case 'wait_for_tasks': {
        const src = byId.get(step.step)?.step;
        const makesTasks =
          src?.type === 'create_tasks' ||
          (src?.type === 'action' && actions[src.action]?.producesTasks);
        if (!makesTasks)
          err(`${at}.step`, `"${step.step}" is not a step of this process that creates tasks`);
        break;
      }
      case 'if':
        expr(`${at}.condition`, step.condition);
        break;
      case 'for_each': {
        const items = meta.find(step.object);
        if (!items) {
          err(`${at}.object`, `unknown object "${step.object}"`);
          break;
        }
        const via = items.field(step.via);
        if (!via || via.type !== 'relation' || via.target !== object?.name)
          err(
            `${at}.via`,
            `"${step.via}" is not a field of ${items.name} that points at the trigger's ${object?.name ?? 'record'}`,
          );
        expr(`${at}.where`, step.where, items.name);
        if (!step.update && !step.note) err(at, 'say what to do with each record: update or note');
        if (step.update) values(`${at}.update`, items.name, step.update);
        if (step.note) template(`${at}.note`, step.note);
        break;
      }
      case 'note':
        if (!object) err(at, 'this trigger has no record to add a note to');
        template(`${at}.text`, step.text);
        break;
      case 'action': {
        const action = actions[step.action];
        if (!action) err(`${at}.action`, `unknown action "${step.action}"`);
        else
          for (const p of action.validate(step.settings, { meta, object: object?.name }))
            err(`${at}.settings${p.path ? `.${p.path}` : ''}`, p.message);
        break;
      }
    }
  });

  if (byId.has(def.start)) {
    const seen = new Set<string>();
    const walk = (id: string) => {
      if (seen.has(id) || !byId.has(id)) return;
      seen.add(id);
      for (const n of nextIds(byId.get(id)!.step)) walk(n);
    };
    walk(def.start);
    def.steps.forEach((s, i) => {
      if (!seen.has(s.id)) err(`steps[${i}]`, `step "${s.id}" cannot be reached from the start`);
    });
    const cycle = cycleWithoutWait(def, byId);
    if (cycle)
      err('steps', `the steps ${cycle.join(' → ')} loop without waiting; put a wait in the loop`);
  }
  return errors.length ? { errors } : { definition: def, errors };
}

function describe(e: ExpressionError | Error): string {
  return e instanceof ExpressionError ? `${e.message}` : e.message;
}

/** A cycle of steps none of which waits, found by depth-first search; null when there is none. */
function cycleWithoutWait(def: Definition, byId: Map<string, { step: Step }>): string[] | null {
  const waits = (s: Step) => s.type === 'wait' || s.type === 'wait_for_tasks';
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    const node = byId.get(id);
    if (!node || waits(node.step)) return null;
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const n of nextIds(node.step)) {
      const found = visit(n);
      if (found) return found;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of def.steps) {
    const found = visit(s.id);
    if (found) return found;
  }
  return null;
}
