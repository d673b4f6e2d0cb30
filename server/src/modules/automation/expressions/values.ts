import { isCurrencyCode, minorDigits } from '../../../core/metadata/money';
import * as D from './decimal';
import { Dec, numberFromText } from './decimal';
import { ValueProblem } from './errors';

/** An amount of money: integer minor units of one currency, as the records engine keeps it. */
export class Money {
  constructor(
    readonly minor: bigint,
    readonly currency: string,
  ) {
    // The records engine keeps amounts a JavaScript number counts exactly; so do results.
    if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER))
      throw new ValueProblem('the amount is too large');
  }

  get amount(): Dec {
    return new Dec(this.minor, minorDigits(this.currency));
  }

  /** The amount rounded to the currency's minor unit, half to even (as documents round). */
  static fromAmount(amount: Dec, currency: string): Money {
    return new Money(amount.withScale(minorDigits(currency)).m, currency);
  }

  toText(): string {
    return `${this.amount.toText()} ${this.currency}`;
  }
}

/** A group of fields from the scope (a record, the trigger's data), read only by its own keys. */
export class Group {
  constructor(readonly data: Record<string, unknown>) {}

  get id(): string | null {
    const id = this.get('id');
    return typeof id === 'string' ? id : null;
  }

  get(key: string): unknown {
    return ownValue(this.data, key);
  }
}

/** An own data property; accessors are never called and nothing is inherited. */
function ownValue(o: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(o, key);
  return d && 'value' in d ? d.value : undefined;
}

/** What the evaluator works with. */
export type Value = null | boolean | string | Dec | Money | Group | Value[];

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A currency value in API form: `{amount_minor, currency, amount}` (or part of it). */
function moneyFrom(o: Record<string, unknown>): Money | null {
  if (!Object.keys(o).every((k) => k === 'currency' || k === 'amount' || k === 'amount_minor'))
    return null;
  const currency = ownValue(o, 'currency');
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) return null;
  const minor = ownValue(o, 'amount_minor');
  if (typeof minor === 'number' && Number.isSafeInteger(minor))
    return new Money(BigInt(minor), currency);
  const raw = ownValue(o, 'amount');
  const amount =
    typeof raw === 'string' ? numberFromText(raw) : typeof raw === 'number' ? Dec.of(raw) : null;
  return amount ? Money.fromAmount(amount, currency) : null;
}

/** Turns plain data from the scope into a value; anything but plain data is empty. */
export function fromData(v: unknown): Value {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? Dec.of(v) : null;
    case 'bigint':
      return Dec.of(v);
    case 'object':
      if (v instanceof Dec || v instanceof Money || v instanceof Group) return v;
      if (Array.isArray(v)) return v.map(fromData);
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      if (!isPlainObject(v)) return null;
      return moneyFrom(v) ?? new Group(v);
    default:
      return null;
  }
}

/**
 * Back to plain data: numbers as numbers when exact; money as `{amount: '12.50', currency}`,
 * the form the records engine takes as input, so a step can write it into a currency field.
 */
export function toData(v: Value): unknown {
  if (v instanceof Dec) return v.toPlain();
  if (v instanceof Money) return { amount: v.amount.toText(), currency: v.currency };
  if (v instanceof Group) return v.id ?? v.data;
  if (Array.isArray(v)) return v.map(toData);
  return v;
}

/** What a value is called in messages. */
export function kindOf(v: Value): string {
  if (v === null) return 'empty';
  if (typeof v === 'boolean') return 'true/false';
  if (typeof v === 'string') return 'text';
  if (v instanceof Dec) return 'number';
  if (v instanceof Money) return 'money';
  if (v instanceof Group) return 'group of fields';
  return 'list';
}

/** A related record stands for its id wherever a plain value is needed. */
export function plain(v: Value): Value {
  if (v instanceof Group) {
    const id = v.id;
    if (id === null)
      throw new ValueProblem('a group of fields is not a value; name one of its fields');
    return id;
  }
  return v;
}

/** The number a value holds: a number, or a text written as a decimal ("12.50"). */
function asDec(v: Value): Dec | null {
  if (v instanceof Dec) return v;
  if (typeof v === 'string') return numberFromText(v);
  return null;
}

function isNumeric(v: Value): boolean {
  return v instanceof Money || asDec(v) !== null;
}

export function truthy(v: Value): boolean {
  if (v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof Dec) return !v.isZero;
  if (v instanceof Money) return v.minor !== 0n;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** Empty: nothing, blank text or an empty list (a group of fields is never empty). */
export function isEmpty(v: Value): boolean {
  return (
    v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)
  );
}

/** How a value reads in a template: empty as nothing, money as amount and code. */
export function render(v: Value): string {
  v = plain(v);
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (v instanceof Dec) return v.toText();
  if (v instanceof Money) return v.toText();
  return (v as Value[]).map(render).join(', ');
}

export function equal(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  a = plain(a);
  b = plain(b);
  if (a instanceof Money && b instanceof Money)
    return a.currency === b.currency && a.minor === b.minor;
  if (isNumeric(a) && isNumeric(b)) return D.cmp(numberOf(a), numberOf(b)) === 0;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

function numberOf(v: Value): Dec {
  if (v instanceof Money) return v.amount;
  return asDec(v)!;
}

function sameCurrency(a: Money, b: Money, doing: string) {
  if (a.currency !== b.currency)
    throw new ValueProblem(`cannot ${doing} ${a.currency} and ${b.currency}`);
}

/** -1, 0 or 1; null when either side is empty (an ordering with nothing is false). */
export function order(a: Value, b: Value): number | null {
  a = plain(a);
  b = plain(b);
  if (a === null || b === null) return null;
  if (a instanceof Money && b instanceof Money) {
    sameCurrency(a, b, 'compare');
    return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
  }
  if (isNumeric(a) && isNumeric(b)) return D.cmp(numberOf(a), numberOf(b));
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ValueProblem(`cannot compare ${describe(a)} with ${describe(b)}`);
}

function describe(v: Value): string {
  if (typeof v === 'string') return `text '${v.length > 30 ? `${v.slice(0, 30)}…` : v}'`;
  if (v instanceof Dec) return `number ${v.toText()}`;
  if (v instanceof Money) return `money ${v.toText()}`;
  return kindOf(v);
}

export function contains(haystack: Value, needle: Value, countStep: () => void): boolean {
  haystack = plain(haystack);
  if (haystack === null) return false;
  if (Array.isArray(haystack))
    return haystack.some((item) => {
      countStep();
      return equal(item, needle);
    });
  if (typeof haystack === 'string') {
    const n = plain(needle);
    if (n === null) return false;
    if (Array.isArray(n) || n instanceof Group)
      throw new ValueProblem(`cannot look for ${kindOf(n)} in a text`);
    return haystack.includes(render(n));
  }
  throw new ValueProblem(`cannot look inside ${describe(haystack)}; use a list or a text`);
}

/** Longest text an expression may build. */
export const MAX_TEXT = 100_000;

function joined(a: Value, b: Value): string {
  const text = render(a) + render(b);
  if (text.length > MAX_TEXT)
    throw new ValueProblem(`the text would be longer than ${MAX_TEXT} characters`);
  return text;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/**
 * Arithmetic on exact decimals and money. `+` joins texts when either side is a text that is not
 * written as a number. Money keeps its currency; a result in money is rounded to the currency's
 * minor unit, half to even.
 */
export function arithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  a = plain(a);
  b = plain(b);
  const numeric = isNumeric(a) && isNumeric(b);
  if (op === '+' && !numeric && (typeof a === 'string' || typeof b === 'string'))
    return joined(a, b);
  if (a === null || b === null) {
    const other = a === null ? b : a;
    if (other === null || isNumeric(other)) return null;
  }
  if (!numeric)
    throw new ValueProblem(
      `cannot ${verbs[op]} ${describe(a)} and ${describe(b)}`,
      op === '+' ? undefined : 'arithmetic works on numbers and money',
    );
  if (a instanceof Money || b instanceof Money) return moneyArithmetic(op, a, b);
  const x = numberOf(a);
  const y = numberOf(b);
  switch (op) {
    case '+':
      return D.add(x, y);
    case '-':
      return D.sub(x, y);
    case '*':
      return D.mul(x, y);
    case '/':
      return D.div(x, y);
    case '%':
      return D.mod(x, y);
  }
}

const verbs: Record<ArithmeticOp, string> = {
  '+': 'add',
  '-': 'subtract',
  '*': 'multiply',
  '/': 'divide',
  '%': 'take the remainder of',
};

function moneyArithmetic(op: ArithmeticOp, a: Value, b: Value): Value {
  if (a instanceof Money && b instanceof Money) {
    sameCurrency(a, b, verbs[op]);
    if (op === '+') return new Money(a.minor + b.minor, a.currency);
    if (op === '-') return new Money(a.minor - b.minor, a.currency);
    if (op === '/') return D.div(a.amount, b.amount);
    throw new ValueProblem(`cannot ${verbs[op]} two amounts of money`);
  }
  const money = (a instanceof Money ? a : b) as Money;
  const x = numberOf(a);
  const y = numberOf(b);
  switch (op) {
    case '+':
      return Money.fromAmount(D.add(x, y), money.currency);
    case '-':
      return Money.fromAmount(D.sub(x, y), money.currency);
    case '*':
      return Money.fromAmount(D.mul(x, y), money.currency);
    case '/':
      if (b instanceof Money) throw new ValueProblem('cannot divide a number by money');
      return Money.fromAmount(D.div(x, y), money.currency);
    case '%':
      throw new ValueProblem('cannot take the remainder of money');
  }
}

export function negate(v: Value): Value {
  v = plain(v);
  if (v === null) return null;
  if (v instanceof Money) return new Money(-v.minor, v.currency);
  const d = asDec(v);
  if (!d) throw new ValueProblem(`cannot negate ${describe(v)}`);
  return D.neg(d);
}

/** A number argument of a function, or a problem naming the function. */
export function needNumber(v: Value, what: string): Dec {
  v = plain(v);
  const d = asDec(v);
  if (!d) throw new ValueProblem(`${what} needs a number, not ${describe(v)}`);
  return d;
}

export function needText(v: Value, what: string): string {
  v = plain(v);
  if (typeof v !== 'string') throw new ValueProblem(`${what} needs a text, not ${describe(v)}`);
  return v;
}

export { describe, asDec };
