/**
 * The table's filter as a tree of groups and conditions, and its conversions: to the object the
 * list endpoint takes as `filter` (what the server's qs parser makes of `filter[...]`
 * parameters), back from such an object, to query parameters, and to and from the address.
 *
 * The address keeps the API form of the filter (`?filter={"and":[...]}`), so that a link, a
 * reload and Back carry exactly what was sent to the server; old links with a flat `filters`
 * list of conditions still open.
 *
 * No DOM and no runtime import from the rest of the app: the unit tests load this file in Node.
 */

/** What these conversions read of a field's metadata (the API's FieldMeta has all of it). */
export interface FilterField {
  name: string;
  label: string;
  type: string;
  options?: { value: string; label: string }[];
  target?: string;
  /** A computed field: the type of its value (`currency` for money). */
  result_type?: string;
}

/** What these conversions read of an object's metadata. */
export interface FilterObject {
  fields: FilterField[];
}

/** An operator of the server's filter grammar, plus `on` (a whole day of a date-time field). */
export type FilterOp =
  'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'contains' | 'starts_with' | 'is_empty' | 'on';

export interface FilterCondition {
  kind: 'cond';
  /** The field's API name. */
  field: string;
  /** A part of a composite field: `currency` of a money field, `e164` of a phone. */
  sub?: string;
  op: FilterOp;
  /**
   * The value as a person enters it: text for most fields; a list for `in`; `true`/`false` for
   * `is_empty` (false: "is not empty"); an amount in major units (`1000.50`) for money; a day
   * `YYYY-MM-DD` for dates, and for date-times either a day (read in `zone`) or an ISO instant.
   */
  value: string | string[];
  /** Money compared by amount: the currency the amount is in; empty for any currency. */
  currency?: string;
  /** Date-time compared by day: the IANA time zone whose midnight starts the day. */
  zone?: string;
}

export type FilterMatch = 'all' | 'any';

export interface FilterGroup {
  kind: 'group';
  match: FilterMatch;
  children: FilterNode[];
}

export type FilterNode = FilterCondition | FilterGroup;

/** The top-level group: all (AND) or any (OR) of its conditions and nested groups. */
export type FilterTree = FilterGroup;

/** A plain JSON object, as the list endpoint takes it in `filter`. */
export type ApiFilter = { [key: string]: ApiFilterValue };
export type ApiFilterValue = string | ApiFilterValue[] | { [key: string]: ApiFilterValue };

export interface FilterError {
  /** Where in the filter, as a query parameter name (`filter[and][0][city]`). */
  path: string;
  message: string;
}

type Field = FilterField;

export const emptyTree = (): FilterTree => ({ kind: 'group', match: 'all', children: [] });

/** Groups may nest this deep below the top (the server's query parser reads 8 brackets deep). */
export const MAX_NESTING = 2;

// ---------------------------------------------------------------------------------------------
// Which operators apply to which field, as the server's field types allow them.

const ORDER: FilterOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'is_empty'];
const TEXT: FilterOp[] = [...ORDER, 'contains', 'starts_with'];

/** The operators the server accepts for a field (or a part of it). */
export function serverOps(field: Field, sub?: string): FilterOp[] {
  if (sub === 'currency') return ['eq', 'ne', 'in', 'is_empty'];
  switch (field.type) {
    case 'text':
    case 'long_text':
    case 'email':
    case 'phone':
    case 'url':
      return TEXT;
    case 'boolean':
      return ['eq', 'ne', 'is_empty'];
    case 'multi_select':
      return ['contains', 'is_empty'];
    case 'relation':
      return ['eq', 'ne', 'in', 'is_empty'];
    default:
      return ORDER;
  }
}

/** The parts a composite field may be filtered by. */
export function subFieldsOf(field: Field): string[] {
  if (isMoney(field)) return ['currency'];
  if (field.type === 'phone') return ['e164'];
  return [];
}

export function isMoney(field: Field): boolean {
  return (
    field.type === 'currency' || (field.type === 'computed' && field.result_type === 'currency')
  );
}

/**
 * The operators a person is offered for a field, in the order shown. `is_empty` stands for both
 * "is empty" and "is not empty" (its value says which).
 */
export function uiOps(field: Field, sub?: string): FilterOp[] {
  if (sub) return serverOps(field, sub);
  switch (field.type) {
    case 'text':
    case 'long_text':
    case 'email':
    case 'phone':
    case 'url':
      return ['contains', 'eq', 'ne', 'starts_with', 'in', 'is_empty'];
    case 'boolean':
      return ['eq', 'ne', 'is_empty'];
    case 'select':
    case 'relation':
      return ['eq', 'ne', 'in', 'is_empty'];
    case 'multi_select':
      return ['contains', 'is_empty'];
    case 'datetime':
      return ['on', 'lt', 'gte', 'is_empty'];
    case 'date':
      return ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'is_empty'];
    default:
      // numbers and money
      return ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'is_empty'];
  }
}

// ---------------------------------------------------------------------------------------------
// Money: major units as typed, minor units as stored, converted as text so no float rounds.

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, BHD 3), as the server counts them. */
export function minorDigits(currency: string | undefined): number {
  if (!currency) return 2;
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** `1 000,5` or `1000.50` in a currency with 2 places → `100050`; null when it is no amount. */
export function majorToMinor(text: string, digits: number): string | null {
  const m = /^(-)?(\d+)(?:[.,](\d*))?$/.exec(text.replace(/[\s\u00a0\u202f']/g, ''));
  if (!m) return null;
  const [, minus, whole, frac = ''] = m;
  if (frac.length > digits) return null;
  const n = (whole + frac.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  return n === '0' ? '0' : `${minus ?? ''}${n}`;
}

/** `100050` with 2 places → `1000.50`; null when it is not a whole number. */
export function minorToMajor(text: string, digits: number): string | null {
  const m = /^(-)?(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [, minus, raw] = m;
  const n = raw.replace(/^0+(?=\d)/, '').padStart(digits + 1, '0');
  const major = digits ? `${n.slice(0, -digits)}.${n.slice(-digits)}` : n;
  return (minus && /[1-9]/.test(n) ? '-' : '') + major;
}

// ---------------------------------------------------------------------------------------------
// Days in a time zone, for date-time fields, without any Date arithmetic in local time.

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a day starts in a time zone, as the API writes instants. */
export function startOfDay(day: string, zone: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  let t = guess - zoneOffsetMs(guess, zone);
  t = guess - zoneOffsetMs(t, zone);
  return new Date(t).toISOString();
}

/** The day after `YYYY-MM-DD`. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The day an instant falls on in a time zone. */
export function dayOf(instant: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function validZone(zone: string | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function sameInstant(a: string, b: string): boolean {
  const x = Date.parse(a);
  return !Number.isNaN(x) && x === Date.parse(b);
}

// ---------------------------------------------------------------------------------------------
// Tree → API filter.

/** Whether a condition has what it needs to be sent (a draft in the builder may not yet). */
export function isComplete(c: FilterCondition): boolean {
  if (c.op === 'is_empty') return c.value === 'true' || c.value === 'false';
  if (Array.isArray(c.value)) return c.value.length > 0 && c.value.every((v) => v !== '');
  return c.value.trim() !== '';
}

/** What is wrong with a complete condition's value, before the server is asked; null if nothing. */
export function conditionProblem(c: FilterCondition, field: Field | undefined): string | null {
  if (!field) return 'unknown field';
  if (!isComplete(c) || c.op === 'is_empty' || c.sub) return null;
  const v = Array.isArray(c.value) ? c.value : [c.value];
  if (isMoney(field)) {
    const digits = minorDigits(c.currency);
    if (v.some((x) => majorToMinor(x, digits) === null))
      return `must be an amount with at most ${digits} decimal places`;
    if (c.currency && !/^[A-Z]{3}$/.test(c.currency)) return 'must be a currency code like EUR';
  } else if (field.type === 'integer' || (field.type === 'computed' && !field.result_type)) {
    if (v.some((x) => !/^-?\d+$/.test(x.trim()))) return 'must be a whole number';
  } else if (field.type === 'decimal' || field.type === 'computed') {
    if (v.some((x) => !/^-?\d+(?:[.,]\d+)?$/.test(x.trim()))) return 'must be a number';
  } else if (field.type === 'date' || (field.type === 'datetime' && c.zone)) {
    if (v.some((x) => !DAY.test(x))) return 'must be a date';
  }
  return null;
}

function opValue(c: FilterCondition): ApiFilterValue {
  if (c.op === 'is_empty') return c.value === 'false' ? 'false' : 'true';
  const money = c.currency !== undefined && !c.sub;
  const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) =>
    money ? (majorToMinor(v, minorDigits(c.currency)) ?? v) : v,
  );
  if (c.op !== 'in') return values[0];
  // A list without commas travels as `a,b`, one bracket shallower than `[0]=a&[1]=b`.
  return values.some((v) => v.includes(',')) ? values : values.join(',');
}

/**
 * One condition as an API group: `{"country":{"eq":"Germany"}}`; money in a currency adds
 * `"amount.currency":{"eq":"EUR"}`, a date-time day becomes its bounds in the zone.
 */
function conditionToApi(c: FilterCondition): ApiFilter {
  const key = c.sub ? `${c.field}.${c.sub}` : c.field;
  if (c.zone && c.op !== 'is_empty' && typeof c.value === 'string' && DAY.test(c.value)) {
    const start = startOfDay(c.value, c.zone);
    const end = startOfDay(nextDay(c.value), c.zone);
    if (c.op === 'on') return { [key]: { gte: start, lt: end } };
    return { [key]: { [c.op]: start } };
  }
  const out: ApiFilter = { [key]: { [c.op === 'on' ? 'eq' : c.op]: opValue(c) } };
  if (c.currency && !c.sub && c.op !== 'is_empty') out[`${c.field}.currency`] = { eq: c.currency };
  return out;
}

function nodeToApi(node: FilterNode): ApiFilter | null {
  if (node.kind === 'cond') return isComplete(node) ? conditionToApi(node) : null;
  const parts = node.children.map(nodeToApi).filter((x): x is ApiFilter => x !== null);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0];
  return { [node.match === 'all' ? 'and' : 'or']: parts };
}

/**
 * The `filter` the list endpoint takes for a tree: `{"and":[...]}` or `{"or":[...]}`, each
 * element one condition or a nested group; undefined when nothing filters. Conditions still being
 * filled in (no value yet) and empty groups are left out. A money condition (one with a
 * `currency`, empty for any) has its amount turned into minor units.
 */
export function toApiFilter(tree: FilterTree): ApiFilter | undefined {
  const parts = tree.children.map(nodeToApi).filter((x): x is ApiFilter => x !== null);
  if (parts.length === 0) return undefined;
  return { [tree.match === 'all' ? 'and' : 'or']: parts };
}

/** `filter[and][0][country][eq]=Germany` parameters for an API filter, in order. */
export function filterParams(filter: ApiFilter | undefined, prefix = 'filter'): [string, string][] {
  const out: [string, string][] = [];
  const walk = (v: ApiFilterValue, key: string) => {
    if (typeof v === 'string') out.push([key, v]);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}[${i}]`));
    else for (const [k, x] of Object.entries(v)) walk(x, `${key}[${k}]`);
  };
  if (filter) walk(filter, prefix);
  return out;
}

// ---------------------------------------------------------------------------------------------
// API filter → tree.

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function groupList(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (isPlainObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k)))
    return Object.keys(v)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => v[k]);
  return null;
}

const KNOWN_OPS = new Set<string>([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'contains',
  'starts_with',
  'is_empty',
]);

interface ParseState {
  fields: Map<string, Field>;
  zone?: string;
  errors: FilterError[];
  /** Where each condition read stands in the filter, for messages about it. */
  paths: Map<FilterCondition, string>;
}

/** The conditions and groups of one API group (they all hold together). */
function parseGroupObject(raw: unknown, path: string, s: ParseState): FilterNode[] {
  if (!isPlainObject(raw)) {
    s.errors.push({ path, message: 'is not a group of conditions' });
    return [];
  }
  const nodes: FilterNode[] = [];
  const conds: FilterCondition[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const here = `${path}[${key}]`;
    if (key === 'and' || key === 'or') {
      const list = groupList(value);
      if (!list) {
        s.errors.push({ path: here, message: 'is not a list of numbered groups' });
        continue;
      }
      const children: FilterNode[] = [];
      list.forEach((g, i) => {
        const inner = parseGroupObject(g, `${here}[${i}]`, s);
        if (inner.length === 0) {
          if (isPlainObject(g) && Object.keys(g).length === 0)
            s.errors.push({ path: `${here}[${i}]`, message: 'is an empty group' });
          return;
        }
        children.push(
          inner.length === 1 ? inner[0] : { kind: 'group', match: 'all', children: inner },
        );
      });
      if (children.length === 0) continue;
      if (key === 'and') {
        // All of these, within a group where all hold anyway: the same as side by side.
        nodes.push(
          ...children.flatMap((c) => (c.kind === 'group' && c.match === 'all' ? c.children : [c])),
        );
      } else if (children.length === 1) {
        nodes.push(children[0]);
      } else {
        // Any of (any of a, b), c is any of a, b, c.
        nodes.push({
          kind: 'group',
          match: 'any',
          children: children.flatMap((c) =>
            c.kind === 'group' && c.match === 'any' ? c.children : [c],
          ),
        });
      }
      continue;
    }
    conds.push(...parseField(key, value, here, s));
  }
  return [...mergeConditions(conds, s), ...nodes];
}

function parseField(key: string, value: unknown, path: string, s: ParseState): FilterCondition[] {
  const [name, sub, ...rest] = key.split('.');
  const field = s.fields.get(name);
  if (
    !field ||
    rest.length ||
    sub === '' ||
    (sub !== undefined && !subFieldsOf(field).includes(sub))
  ) {
    s.errors.push({ path, message: `no field "${key}"` });
    return [];
  }
  const pairs: [string, unknown, string][] = [];
  if (typeof value === 'string') pairs.push(['eq', value, path]);
  else if (isPlainObject(value))
    for (const [op, v] of Object.entries(value)) pairs.push([op, v, `${path}[${op}]`]);
  else {
    s.errors.push({ path, message: 'is not a value or an operator like [gt]' });
    return [];
  }
  const out: FilterCondition[] = [];
  for (const [op, v, here] of pairs) {
    if (!KNOWN_OPS.has(op) || !serverOps(field, sub).includes(op as FilterOp)) {
      s.errors.push({ path: here, message: `operator "${op}" does not apply to ${field.label}` });
      continue;
    }
    const cond: FilterCondition = { kind: 'cond', field: name, op: op as FilterOp, value: '' };
    if (sub) cond.sub = sub;
    if (op === 'is_empty') {
      if (v !== 'true' && v !== 'false') {
        s.errors.push({ path: here, message: 'must be true or false' });
        continue;
      }
      cond.value = v;
    } else if (op === 'in') {
      const list = Array.isArray(v)
        ? v
        : (groupList(v) ?? (typeof v === 'string' ? v.split(',') : null));
      if (!list || list.length === 0 || list.some((x) => typeof x !== 'string' || x === '')) {
        s.errors.push({ path: here, message: 'is not a list of values' });
        continue;
      }
      cond.value = list as string[];
    } else if (typeof v === 'string') {
      cond.value = v;
    } else {
      s.errors.push({ path: here, message: 'must be a single value' });
      continue;
    }
    s.paths.set(cond, here);
    out.push(cond);
  }
  return out;
}

/**
 * Puts back together what one condition became in `toApiFilter`: a money amount with the
 * currency beside it (and minor units back into major ones), a date-time day as its two bounds.
 */
function mergeConditions(conds: FilterCondition[], s: ParseState): FilterCondition[] {
  const used = new Set<FilterCondition>();
  const out: FilterCondition[] = [];
  for (const c of conds) {
    if (used.has(c)) continue;
    const field = s.fields.get(c.field)!;
    if (isMoney(field) && !c.sub && c.op !== 'is_empty') {
      const currency = conds.find(
        (x) =>
          x.field === c.field &&
          x.sub === 'currency' &&
          x.op === 'eq' &&
          /^[A-Z]{3}$/.test(String(x.value)),
      );
      const code = currency ? String(currency.value) : '';
      const digits = minorDigits(code);
      const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) =>
        minorToMajor(v, digits),
      );
      if (values.some((v) => v === null)) {
        s.errors.push({
          path: s.paths.get(c) ?? 'filter',
          message: 'is not an amount in minor units',
        });
        continue;
      }
      if (currency) used.add(currency);
      out.push({
        ...c,
        value: Array.isArray(c.value) ? (values as string[]) : (values[0] as string),
        currency: code,
      });
      continue;
    }
    if (field.type === 'datetime' && !c.sub && typeof c.value === 'string' && c.op !== 'is_empty') {
      const day = dayFor(c.value, s.zone);
      if (day && c.op === 'gte') {
        const end = conds.find(
          (x) =>
            !used.has(x) &&
            x.field === c.field &&
            !x.sub &&
            x.op === 'lt' &&
            typeof x.value === 'string' &&
            sameInstant(x.value, startOfDay(nextDay(day.day), day.zone)),
        );
        if (end) {
          used.add(end);
          out.push({ kind: 'cond', field: c.field, op: 'on', value: day.day, zone: day.zone });
          continue;
        }
      }
      if (day && (c.op === 'gte' || c.op === 'lt')) {
        out.push({ kind: 'cond', field: c.field, op: c.op, value: day.day, zone: day.zone });
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/** The day an instant starts in the given zone (or UTC, or a bare day read as UTC midnight). */
function dayFor(value: string, zone: string | undefined): { day: string; zone: string } | null {
  if (DAY.test(value)) return { day: value, zone: 'UTC' };
  if (Number.isNaN(Date.parse(value))) return null;
  for (const z of [zone, 'UTC']) {
    if (!validZone(z)) continue;
    const day = dayOf(value, z);
    if (sameInstant(value, startOfDay(day, z))) return { day, zone: z };
  }
  return null;
}

function depthOf(node: FilterNode): number {
  return node.kind === 'cond' ? 0 : 1 + Math.max(0, ...node.children.map(depthOf));
}

/**
 * A tree for a `filter` object as the list endpoint takes it. What it cannot show (an unknown
 * field or operator, a malformed value, groups nested too deep) is left out of the tree and
 * listed in `errors`, never dropped without a word. Pass `timeZone` to read date-time bounds
 * as days in it.
 */
export function fromApiFilter(
  obj: unknown,
  object: FilterObject,
  options: { timeZone?: string } = {},
): { tree: FilterTree; errors: FilterError[] } {
  const s: ParseState = {
    fields: new Map(object.fields.map((f) => [f.name, f as Field])),
    zone: options.timeZone,
    errors: [],
    paths: new Map(),
  };
  if (obj === undefined || obj === null || obj === '') return { tree: emptyTree(), errors: [] };
  const nodes = parseGroupObject(obj, 'filter', s);
  const tree: FilterTree =
    nodes.length === 1 && nodes[0].kind === 'group'
      ? nodes[0]
      : { kind: 'group', match: 'all', children: nodes };
  tree.children = tree.children.filter((child) => {
    if (depthOf(child) <= MAX_NESTING) return true;
    s.errors.push({ path: 'filter', message: `groups nest more than ${MAX_NESTING} deep` });
    return false;
  });
  return { tree, errors: s.errors };
}

// ---------------------------------------------------------------------------------------------
// The address.

/** A condition of the flat list older links carry (`filters=[{field,op,value}]`). */
export interface LegacyCondition {
  field: string;
  op: string;
  value: string;
}

function isLegacy(c: unknown): c is LegacyCondition {
  return isPlainObject(c) && ['field', 'op', 'value'].every((k) => typeof c[k] === 'string');
}

function isApiFilterValue(v: unknown, depth: number): v is ApiFilterValue {
  if (typeof v === 'string') return true;
  if (depth > 12) return false;
  if (Array.isArray(v)) return v.every((x) => isApiFilterValue(x, depth + 1));
  return isPlainObject(v) && Object.values(v).every((x) => isApiFilterValue(x, depth + 1));
}

/**
 * The filter an address carries: its `filter` (the API form, as JSON the router has parsed),
 * or an older link's flat `filters` list, sent then as `filter[and][i][field][op]=value`.
 */
export function filterFromSearch(raw: Record<string, unknown>): ApiFilter | undefined {
  let f = raw.filter;
  if (typeof f === 'string') {
    try {
      f = JSON.parse(f);
    } catch {
      f = undefined;
    }
  }
  if (isPlainObject(f) && Object.keys(f).length && isApiFilterValue(f, 0)) return f as ApiFilter;
  if (Array.isArray(raw.filters)) {
    const list = raw.filters.filter(isLegacy);
    if (list.length)
      return {
        and: list.map((c) => ({ [c.field]: { [c.op]: c.op === 'is_empty' ? 'true' : c.value } })),
      };
  }
  return undefined;
}

/** The address's part for a tree: the API form of its complete conditions, or nothing. */
export function filterToSearch(tree: FilterTree): ApiFilter | undefined {
  return toApiFilter(tree);
}
