import { DateTime, IANAZone } from 'luxon';
import { normaliseDatetime } from '../../../core/metadata/field-types';
import { ExpressionError, ValueProblem } from './errors';
import { FUNCTIONS, instant, type CallContext } from './functions';
import type { Expr, Node } from './syntax';
import {
  arithmetic,
  contains,
  equal,
  fromData,
  Group,
  kindOf,
  needNumber,
  Money,
  negate,
  order,
  toData,
  truthy,
  type ArithmeticOp,
  type Value,
} from './values';

/**
 * Plain data an expression reads: `{ record: {...}, trigger: {...}, now: '2026-...Z' }`.
 * `now` is the one clock (an ISO instant) that now() and today() read, and `time_zone` (an IANA
 * name, UTC when absent) is where today() and date() count days.
 */
export type Scope = Record<string, unknown>;

/** The most nodes and list items one evaluation may visit. */
export const MAX_STEPS = 10_000;

class Run implements CallContext {
  steps = 0;
  readonly zone: string;
  private clock: DateTime | undefined;

  constructor(private readonly scope: Scope) {
    const zone = Object.hasOwn(scope, 'time_zone') ? scope.time_zone : undefined;
    if (zone !== undefined && (typeof zone !== 'string' || !IANAZone.isValidZone(zone)))
      throw new ExpressionError(`the scope's time zone '${String(zone)}' is not a time zone`, 0);
    this.zone = (zone as string | undefined) ?? 'UTC';
  }

  step = () => {
    this.steps += 1;
    if (this.steps > MAX_STEPS)
      throw new ValueProblem(`the expression takes more than ${MAX_STEPS} steps`);
  };

  now(): DateTime {
    if (!this.clock) {
      const raw = Object.hasOwn(this.scope, 'now') ? this.scope.now : undefined;
      const text = raw instanceof Date && !Number.isNaN(raw.getTime()) ? raw.toISOString() : raw;
      const iso = typeof text === 'string' ? normaliseDatetime(text) : null;
      if (!iso) throw new ValueProblem('the current time is not known here');
      this.clock = instant(iso);
    }
    return this.clock;
  }

  root(name: string): Value {
    return fromData(Object.hasOwn(this.scope, name) ? this.scope[name] : undefined);
  }

  eval(n: Node): Value {
    try {
      this.step();
      return this.evalNode(n);
    } catch (e) {
      if (e instanceof ValueProblem) throw new ExpressionError(e.message, n.pos, e.hint);
      throw e;
    }
  }

  private evalNode(n: Node): Value {
    switch (n.k) {
      case 'literal':
        return n.value;
      case 'number':
        return n.value;
      case 'path': {
        let v = this.root(n.segments[0].name);
        for (let i = 1; i < n.segments.length && v !== null; i++) v = member(v, n.segments[i].name);
        return v;
      }
      case 'list':
        return n.items.map((item) => this.eval(item));
      case 'index':
        return item(this.eval(n.target), this.eval(n.index));
      case 'not':
        return !truthy(this.eval(n.arg));
      case 'negate':
        return negate(this.eval(n.arg));
      case 'logic': {
        const left = truthy(this.eval(n.left));
        if (n.op === 'and' ? !left : left) return left;
        return truthy(this.eval(n.right));
      }
      case 'conditional':
        return truthy(this.eval(n.test)) ? this.eval(n.then) : this.eval(n.otherwise);
      case 'binary': {
        const a = this.eval(n.left);
        const b = this.eval(n.right);
        switch (n.op) {
          case '==':
            return equal(a, b);
          case '!=':
            return !equal(a, b);
          case '<':
            return (order(a, b) ?? 0) < 0;
          case '<=': {
            const o = order(a, b);
            return o !== null && o <= 0;
          }
          case '>':
            return (order(a, b) ?? 0) > 0;
          case '>=': {
            const o = order(a, b);
            return o !== null && o >= 0;
          }
          case 'in':
            return contains(b, a, this.step);
          default:
            return arithmetic(n.op as ArithmeticOp, a, b);
        }
      }
      case 'call': {
        if (n.name === 'if') {
          checkArity(n, 3, 3);
          return truthy(this.eval(n.args[0])) ? this.eval(n.args[1]) : this.eval(n.args[2]);
        }
        const def = Object.hasOwn(FUNCTIONS, n.name) ? FUNCTIONS[n.name] : undefined;
        if (!def) throw new ExpressionError(`unknown function '${n.name}'`, n.pos);
        checkArity(n, def.min, def.max);
        const args = n.args.map((a) => this.eval(a));
        return def.run(args, this);
      }
    }
  }
}

function checkArity(n: Node & { k: 'call' }, min: number, max: number) {
  if (n.args.length < min || n.args.length > max)
    throw new ExpressionError(arityMessage(n.name, n.args.length, min, max), n.pos);
}

export function arityMessage(name: string, given: number, min: number, max: number): string {
  const wanted = min === max ? `${min}` : max >= 50 ? `at least ${min}` : `${min} to ${max}`;
  return `${name} takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${given}`;
}

/** An item of a list by a whole number from 0; negative counts from the end. */
function item(list: Value, index: Value): Value {
  if (list === null) return null;
  if (!Array.isArray(list)) throw new ValueProblem(`only lists have items, not ${kindOf(list)}`);
  const i = needNumber(index, 'a list index').toInt('a list index');
  return list.at(i) ?? null;
}

/** A field of a group, or of money (amount, currency, amount_minor); anything else is empty. */
function member(v: Value, name: string): Value {
  if (v instanceof Group) return fromData(v.get(name));
  if (v instanceof Money) {
    if (name === 'amount') return v.amount;
    if (name === 'currency') return v.currency;
    if (name === 'amount_minor') return fromData(Number(v.minor));
  }
  return null;
}

/** Evaluates an expression against plain data. Problems throw ExpressionError at their node. */
export function evaluate(e: Expr, scope: Scope): unknown {
  return toData(evaluateValue(e.root, scope));
}

export function evaluateValue(n: Node, scope: Scope, run = new Run(scope)): Value {
  return run.eval(n);
}

export function newRun(scope: Scope): Run {
  return new Run(scope);
}

/** Whether a value counts as true: not empty, not false, not zero, not an empty text or list. */
export function isTruthy(v: unknown): boolean {
  return truthy(fromData(v));
}
