import type { MetadataRegistry } from '../../../core/metadata/registry';
import type { FieldMeta, ObjectMeta } from '../../../core/metadata/types';
import { closest, ExpressionError } from './errors';
import { arityMessage } from './evaluate';
import { functionArity, functionNames } from './functions';
import { parseExpression, type Expr, type Node } from './syntax';
import { parseTemplate, type Template } from './template';

/** A problem with a path; `segment` says which name (0 = the root) it is about. */
export type PathProblem = string | { message: string; segment: number; hint?: string };

/** Decides whether a field path may be used: null when it may, otherwise what is wrong. */
export interface PathChecker {
  (path: string[]): PathProblem | null;
}

function nodesOf(e: Expr | Template): Node[] {
  if (e.kind === 'expression') return [e.root];
  return e.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.node]));
}

function walk(n: Node, visit: (n: Node) => void) {
  visit(n);
  switch (n.k) {
    case 'list':
      n.items.forEach((i) => walk(i, visit));
      break;
    case 'index':
      walk(n.target, visit);
      walk(n.index, visit);
      break;
    case 'not':
    case 'negate':
      walk(n.arg, visit);
      break;
    case 'logic':
    case 'binary':
      walk(n.left, visit);
      walk(n.right, visit);
      break;
    case 'conditional':
      walk(n.test, visit);
      walk(n.then, visit);
      walk(n.otherwise, visit);
      break;
    case 'call':
      n.args.forEach((a) => walk(a, visit));
      break;
    default:
      break;
  }
}

/** Every field path the expression or template reads, as written, each once. */
export function referencedPaths(e: Expr | Template): string[][] {
  const seen = new Map<string, string[]>();
  for (const root of nodesOf(e))
    walk(root, (n) => {
      if (n.k === 'path') {
        const path = n.segments.map((s) => s.name);
        seen.set(path.join('.'), path);
      }
    });
  return [...seen.values()];
}

/** Unknown or misspelt paths, unknown functions and wrong argument counts, in source order. */
export function checkPaths(e: Expr | Template, check: PathChecker): ExpressionError[] {
  const errors: ExpressionError[] = [];
  for (const root of nodesOf(e))
    walk(root, (n) => {
      if (n.k === 'path') {
        const problem = check(n.segments.map((s) => s.name));
        if (problem === null) return;
        if (typeof problem === 'string') errors.push(new ExpressionError(problem, n.pos));
        else {
          const seg = n.segments[Math.min(problem.segment, n.segments.length - 1)];
          errors.push(new ExpressionError(problem.message, seg.pos, problem.hint));
        }
      } else if (n.k === 'call') {
        const arity = functionArity(n.name);
        if (!arity) {
          const near = closest(n.name, functionNames());
          errors.push(
            new ExpressionError(
              `unknown function '${n.name}'`,
              n.pos,
              near ? `did you mean ${near}?` : undefined,
            ),
          );
        } else if (n.args.length < arity.min || n.args.length > arity.max)
          errors.push(
            new ExpressionError(
              arityMessage(n.name, n.args.length, arity.min, arity.max),
              n.pos,
              arity.signature,
            ),
          );
      }
    });
  return errors.sort((a, b) => a.position - b.position);
}

/**
 * The fields of a user a path may read (users are not a record object; people picking owners
 * and assignees see them all).
 */
export const USER_FIELDS = ['id', 'name', 'email', 'title', 'phone', 'time_zone', 'locale'];

const MONEY_PARTS = new Set(['amount', 'currency', 'amount_minor']);

/** What one name in a path means on an object. */
export type Step =
  | { kind: 'field'; field: FieldMeta }
  /** Follows the relation `field` to `target` (an object name or `users`), stored under `key`. */
  | { kind: 'follow'; field: FieldMeta; target: string; key: string }
  | { kind: 'user_field' }
  | { kind: 'money_part' }
  | { kind: 'error'; message: string; hint?: string };

/**
 * The path rule: a field's own name gives its value; `stage` follows the relation `stage_id`
 * (the `_id` dropped), and a relation whose name has no `_id` (a custom `manager`) is followed by
 * its own name when more names come after it. A currency field has `amount`, `currency` and
 * `amount_minor`.
 */
export function resolveStep(
  meta: MetadataRegistry,
  on: ObjectMeta | 'users' | 'money',
  name: string,
  last: boolean,
): Step {
  if (on === 'money') {
    if (MONEY_PARTS.has(name) && last) return { kind: 'money_part' };
    return {
      kind: 'error',
      message: `money has no field '${name}'`,
      hint: 'use amount, currency or amount_minor',
    };
  }
  if (on === 'users') {
    if (USER_FIELDS.includes(name) && last) return { kind: 'user_field' };
    const near = closest(name, USER_FIELDS);
    return {
      kind: 'error',
      message: USER_FIELDS.includes(name)
        ? `'${name}' of a user has no fields`
        : `unknown field '${name}' on users`,
      hint: near && !USER_FIELDS.includes(name) ? `did you mean ${near}?` : undefined,
    };
  }
  const own = on.field(name);
  if (own) {
    if (last) return { kind: 'field', field: own };
    if (own.type === 'relation' && own.target && !name.endsWith('_id'))
      return followable(meta, own, name);
    if (own.type === 'relation')
      return {
        kind: 'error',
        message: `'${name}' on ${on.name} is an id`,
        hint: `write ${name.slice(0, -3)}.<field> to read the related record`,
      };
    if (own.type === 'currency' || (own.type === 'computed' && own.resultType === 'currency'))
      return { kind: 'field', field: own };
    return { kind: 'error', message: `'${name}' on ${on.name} is a ${own.type} and has no fields` };
  }
  const relation = on.field(`${name}_id`);
  if (relation?.type === 'relation' && relation.target) return followable(meta, relation, name);
  const names = on.fields.flatMap((f) =>
    f.type === 'relation' && f.name.endsWith('_id') ? [f.name, f.name.slice(0, -3)] : [f.name],
  );
  const near = closest(name, names);
  return {
    kind: 'error',
    message: `unknown field '${name}' on ${on.name}`,
    hint: near ? `did you mean ${near}?` : undefined,
  };
}

function followable(meta: MetadataRegistry, field: FieldMeta, key: string): Step {
  const target = field.target!;
  if (target !== 'users' && !meta.find(target))
    return { kind: 'error', message: `'${key}' points to '${target}', which does not exist` };
  return { kind: 'follow', field, target, key };
}

/** Where a step leads: the next object, users, money, or nowhere further. */
export function nextOn(
  meta: MetadataRegistry,
  step: Step,
): ObjectMeta | 'users' | 'money' | undefined {
  if (step.kind === 'follow') return step.target === 'users' ? 'users' : meta.find(step.target);
  if (step.kind === 'field') {
    const f = step.field;
    if (f.type === 'currency' || (f.type === 'computed' && f.resultType === 'currency'))
      return 'money';
  }
  return undefined;
}

/**
 * Checks paths against metadata: `roots` names what each root is (`{ record: 'deals' }`);
 * `extraRoots` (`trigger`) are allowed with any path after them, unless `roots` names them too.
 */
export function metadataChecker(
  meta: MetadataRegistry,
  roots: Record<string, string>,
  extraRoots: string[] = [],
): PathChecker {
  return (path) => {
    const [root] = path;
    if (!Object.hasOwn(roots, root)) {
      if (extraRoots.includes(root)) return null;
      if (functionArity(root))
        return { message: `'${root}' is a function`, segment: 0, hint: `write ${root}()` };
      const near = closest(root, [...Object.keys(roots), ...extraRoots]);
      return {
        message: `unknown name '${root}'`,
        segment: 0,
        hint: near ? `did you mean ${near}?` : undefined,
      };
    }
    let on: ObjectMeta | 'users' | 'money' | undefined =
      roots[root] === 'users' ? 'users' : meta.find(roots[root]);
    if (!on) return { message: `'${root}' is an unknown object '${roots[root]}'`, segment: 0 };
    for (let i = 1; i < path.length; i++) {
      if (!on) return { message: `'${path[i - 1]}' has no fields`, segment: i - 1 };
      const step = resolveStep(meta, on, path[i], i === path.length - 1);
      if (step.kind === 'error') return { message: step.message, segment: i, hint: step.hint };
      on = nextOn(meta, step);
    }
    return null;
  };
}

/**
 * Everything wrong with an expression or template as a process is saved: the syntax error, or
 * else every path, function and argument count the checker refuses. `parsed` is null when the
 * text does not parse.
 */
export function checkSource(
  source: string,
  kind: 'expression' | 'template',
  check: PathChecker,
): { parsed: Expr | Template | null; errors: ExpressionError[] } {
  let parsed: Expr | Template;
  try {
    parsed = kind === 'expression' ? parseExpression(source) : parseTemplate(source);
  } catch (e) {
    if (e instanceof ExpressionError) return { parsed: null, errors: [e] };
    throw e;
  }
  return { parsed, errors: checkPaths(parsed, check) };
}
