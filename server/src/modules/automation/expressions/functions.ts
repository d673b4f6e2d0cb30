import { DateTime, IANAZone } from 'luxon';
import { isCurrencyCode } from '../../../core/metadata/money';
import { isDate, normaliseDatetime } from '../../../core/metadata/field-types';
import * as D from './decimal';
import { Dec, numberFromText } from './decimal';
import { ValueProblem } from './errors';
import {
  asDec,
  contains,
  describe,
  isEmpty,
  Money,
  needNumber,
  needText,
  plain,
  render,
  order,
  MAX_TEXT,
  type Value,
} from './values';

/** What a function may read besides its arguments: the scope's clock and time zone. */
export interface CallContext {
  /** The current instant, from scope.now. */
  now(): DateTime;
  zone: string;
  step(): void;
}

export interface FunctionDef {
  min: number;
  max: number;
  /** One line for the reference and for hints. */
  signature: string;
  run(args: Value[], ctx: CallContext): Value;
}

const UNLIMITED = 50;

function fn(
  signature: string,
  min: number,
  max: number,
  run: (args: Value[], ctx: CallContext) => Value,
): FunctionDef {
  return { signature, min, max, run };
}

function zoneOf(ctx: CallContext, arg: Value | undefined, name: string): string {
  if (arg === undefined) return ctx.zone;
  const zone = needText(arg, name);
  if (!IANAZone.isValidZone(zone)) throw new ValueProblem(`'${zone}' is not a time zone`);
  return zone;
}

type Moment = { kind: 'date'; date: string } | { kind: 'instant'; at: DateTime };

/** A date ('2026-03-31') or an instant ('2026-03-31T14:00:00Z') given to a function. */
function moment(v: Value, name: string): Moment {
  const text = plain(v);
  if (typeof text === 'string') {
    if (isDate(text)) return { kind: 'date', date: text };
    const iso = normaliseDatetime(text);
    if (iso) return { kind: 'instant', at: instant(iso) };
  }
  throw new ValueProblem(`${name} needs a date or a date and time, not ${describe(text)}`);
}

/** An ISO instant; parsed by Date, which is several times faster than luxon's ISO parser. */
export function instant(iso: string): DateTime {
  return DateTime.fromMillis(Date.parse(iso), { zone: 'utc' });
}

/** A date as midnight UTC, so that days between two dates are whole. */
function calendarDate(date: string): DateTime {
  return DateTime.utc(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  );
}

function dateIn(m: Moment, zone: string): DateTime {
  return m.kind === 'date'
    ? calendarDate(m.date)
    : m.at.setZone(zone).startOf('day').setZone('utc', { keepLocalTime: true });
}

function instantOf(m: Moment, zone: string): DateTime {
  return m.kind === 'date' ? DateTime.fromISO(m.date, { zone }) : m.at;
}

function isoInstant(d: DateTime): string {
  if (!d.isValid) throw new ValueProblem('the date is out of range');
  const iso = new Date(d.toMillis()).toISOString();
  if (!normaliseDatetime(iso)) throw new ValueProblem('the date is out of range');
  return iso;
}

function isoDate(d: DateTime): string {
  const text = d.toISODate();
  if (!text || !isDate(text)) throw new ValueProblem('the date is out of range');
  return text;
}

/** Adds calendar units: a date stays a date; a time moves by wall-clock days in the zone. */
function addCalendar(unit: 'days' | 'months', name: string) {
  return fn(`${name}(date, n)`, 2, 2, ([v, n], ctx) => {
    if (plain(v) === null) return null;
    const m = moment(v, name);
    const count = needNumber(n, name).toInt(`${name}'s count`);
    if (m.kind === 'date') return isoDate(calendarDate(m.date).plus({ [unit]: count }));
    return isoInstant(m.at.setZone(ctx.zone).plus({ [unit]: count }));
  });
}

function addDuration(ms: number, name: string) {
  return fn(`${name}(datetime, n)`, 2, 2, ([v, n]) => {
    if (plain(v) === null) return null;
    const m = moment(v, name);
    if (m.kind === 'date')
      throw new ValueProblem(`${name} needs a date and time, not the date ${m.date}`);
    const amount = D.mul(needNumber(n, name), Dec.of(ms));
    return isoInstant(m.at.plus(amount.withScale(0).toInt(`${name}'s count`)));
  });
}

function between(unitMs: number, name: string) {
  return fn(`${name}(from, to)`, 2, 2, ([a, b], ctx) => {
    if (plain(a) === null || plain(b) === null) return null;
    const from = instantOf(moment(a, name), ctx.zone);
    const to = instantOf(moment(b, name), ctx.zone);
    return D.div(Dec.of(to.toMillis() - from.toMillis()), Dec.of(unitMs));
  });
}

function datePart(name: string, part: (d: DateTime) => number) {
  return fn(`${name}(date)`, 1, 2, ([v, zone], ctx) => {
    if (plain(v) === null) return null;
    return Dec.of(part(dateIn(moment(v, name), zoneOf(ctx, zone, name))));
  });
}

function textFn(name: string, f: (s: string) => string) {
  return fn(`${name}(text)`, 1, 1, ([v]) => {
    const p = plain(v);
    return p === null ? null : f(needText(p, name));
  });
}

function numberFn(name: string, f: (d: Dec, args: Value[]) => Dec) {
  return fn(`${name}(number)`, 1, 1, ([v], _ctx) => {
    const p = plain(v);
    if (p === null) return null;
    if (p instanceof Money) return Money.fromAmount(f(p.amount, []), p.currency);
    return f(needNumber(p, name), []);
  });
}

function extreme(name: string, sign: number) {
  return fn(`${name}(a, b, ...)`, 1, UNLIMITED, (args, ctx) => {
    let best: Value = null;
    for (const a of args.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      ctx.step();
      if (plain(a) === null) continue;
      if (best === null || (order(a, best) ?? 0) * sign > 0) best = a;
    }
    return best;
  });
}

/** The functions expressions may call; nothing else is callable. */
export const FUNCTIONS: Record<string, FunctionDef> = Object.assign(Object.create(null), {
  is_empty: fn('is_empty(value)', 1, 1, ([v]) => isEmpty(v)),
  coalesce: fn('coalesce(a, b, ...)', 1, UNLIMITED, (args) => {
    for (const a of args) if (!isEmpty(a)) return a;
    return null;
  }),
  lower: textFn('lower', (s) => s.toLowerCase()),
  upper: textFn('upper', (s) => s.toUpperCase()),
  trim: textFn('trim', (s) => s.trim()),
  len: fn('len(text or list)', 1, 1, ([v]) => {
    const p = plain(v);
    if (p === null) return Dec.of(0);
    if (Array.isArray(p)) return Dec.of(p.length);
    return Dec.of([...needText(p, 'len')].length);
  }),
  contains: fn('contains(text or list, value)', 2, 2, ([h, n], ctx) => contains(h, n, ctx.step)),
  starts_with: fn('starts_with(text, start)', 2, 2, ([h, n]) => {
    const p = plain(h);
    return p === null ? false : needText(p, 'starts_with').startsWith(render(n));
  }),
  ends_with: fn('ends_with(text, end)', 2, 2, ([h, n]) => {
    const p = plain(h);
    return p === null ? false : needText(p, 'ends_with').endsWith(render(n));
  }),
  concat: fn('concat(a, b, ...)', 1, UNLIMITED, (args) => {
    const text = args.map(render).join('');
    if (text.length > MAX_TEXT)
      throw new ValueProblem(`the text would be longer than ${MAX_TEXT} characters`);
    return text;
  }),
  text: fn('text(value)', 1, 1, ([v]) => render(v)),
  number: fn('number(text)', 1, 1, ([v]) => {
    const p = plain(v);
    if (p === null) return null;
    if (p instanceof Money) return p.amount;
    const d = typeof p === 'string' ? numberFromText(p.trim()) : asDec(p);
    if (!d) throw new ValueProblem(`${describe(p)} is not a number`);
    return d;
  }),
  round: fn('round(number, places)', 1, 2, ([v, places]) => {
    const p = plain(v);
    if (p === null) return null;
    const n = places === undefined ? 0 : needNumber(places, 'round').toInt('round places');
    if (n < 0 || n > D.MAX_SCALE)
      throw new ValueProblem(`round places must be 0 to ${D.MAX_SCALE}`);
    if (p instanceof Money) return Money.fromAmount(D.roundHalfUp(p.amount, n), p.currency);
    return D.roundHalfUp(needNumber(p, 'round'), n);
  }),
  floor: numberFn('floor', (d) => D.floor(d)),
  ceil: numberFn('ceil', (d) => D.ceil(d)),
  abs: numberFn('abs', (d) => D.abs(d)),
  min: extreme('min', -1),
  max: extreme('max', 1),
  money: fn('money(amount, currency)', 2, 2, ([a, c]) => {
    const code = needText(c, 'money');
    if (!isCurrencyCode(code)) throw new ValueProblem(`'${code}' is not a currency code`);
    const p = plain(a);
    if (p === null) return null;
    return Money.fromAmount(needNumber(p, 'money'), code);
  }),
  amount: fn('amount(money)', 1, 1, ([v]) => {
    const p = plain(v);
    if (p === null) return null;
    if (!(p instanceof Money)) throw new ValueProblem(`amount needs money, not ${describe(p)}`);
    return p.amount;
  }),
  currency: fn('currency(money)', 1, 1, ([v]) => {
    const p = plain(v);
    if (p === null) return null;
    if (!(p instanceof Money)) throw new ValueProblem(`currency needs money, not ${describe(p)}`);
    return p.currency;
  }),
  now: fn('now()', 0, 0, (_args, ctx) => isoInstant(ctx.now())),
  today: fn('today(zone)', 0, 1, ([zone], ctx) =>
    isoDate(ctx.now().setZone(zoneOf(ctx, zone, 'today'))),
  ),
  date: fn('date(datetime, zone)', 1, 2, ([v, zone], ctx) => {
    if (plain(v) === null) return null;
    return isoDate(dateIn(moment(v, 'date'), zoneOf(ctx, zone, 'date')));
  }),
  add_days: addCalendar('days', 'add_days'),
  add_months: addCalendar('months', 'add_months'),
  add_hours: addDuration(3_600_000, 'add_hours'),
  add_minutes: addDuration(60_000, 'add_minutes'),
  days_between: fn('days_between(from, to)', 2, 2, ([a, b], ctx) => {
    if (plain(a) === null || plain(b) === null) return null;
    const from = dateIn(moment(a, 'days_between'), ctx.zone);
    const to = dateIn(moment(b, 'days_between'), ctx.zone);
    return Dec.of(Math.round((to.toMillis() - from.toMillis()) / 86_400_000));
  }),
  hours_between: between(3_600_000, 'hours_between'),
  minutes_between: between(60_000, 'minutes_between'),
  weekday: datePart('weekday', (d) => d.weekday),
  year: datePart('year', (d) => d.year),
  month: datePart('month', (d) => d.month),
  day: datePart('day', (d) => d.day),
}) as Record<string, FunctionDef>;

/** `if` is evaluated lazily by the evaluator; it is listed for checks and hints. */
export const LAZY_FUNCTIONS: Record<string, { min: number; max: number; signature: string }> = {
  if: { min: 3, max: 3, signature: 'if(condition, then, otherwise)' },
};

export function functionArity(
  name: string,
): { min: number; max: number; signature: string } | null {
  if (Object.hasOwn(LAZY_FUNCTIONS, name)) return LAZY_FUNCTIONS[name];
  if (Object.hasOwn(FUNCTIONS, name)) return FUNCTIONS[name];
  return null;
}

export function functionNames(): string[] {
  return [...Object.keys(FUNCTIONS), ...Object.keys(LAZY_FUNCTIONS)];
}
