import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectName } from '../../db/database';
import type { Actor } from '../actor';
import { AppError, type ErrorDetail } from '../errors';
import { FILTER_OPS, fieldHandler, type FilterOp } from '../metadata/field-types';
import { toE164 } from '../metadata/phone';
import type { FieldMeta, ObjectMeta } from '../metadata/types';
import { canReadField } from '../permissions/scope';

/**
 * The filter grammar, as query parameters:
 *   filter[field]=v                       field equals v
 *   filter[field][op]=v                   op is eq ne lt lte gt gte in contains starts_with is_empty
 *   filter[field][in]=a,b  or  filter[field][in][]=a&filter[field][in][]=b
 *   filter[amount.currency]=EUR           a part of a composite field
 *   filter[or][0][field][op]=v            any of the numbered groups holds
 *   filter[and][0][...]                   all of them hold (groups nest)
 * Conditions side by side hold together (AND).
 */
export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'cond'; field: FieldMeta; sub?: string; op: FilterOp; value: unknown; path: string };

const MAX_CONDITIONS = 50;
const MAX_IN_VALUES = 500;

interface ParseState {
  object: ObjectMeta;
  actor: Actor;
  dialect: DialectName;
  phoneRegion?: string;
  errors: ErrorDetail[];
  count: number;
}

export function parseFilter(
  raw: unknown,
  object: ObjectMeta,
  actor: Actor,
  dialect: DialectName,
  phoneRegion?: string,
): FilterNode | null {
  if (raw === undefined || raw === '') return null;
  const state: ParseState = { object, actor, dialect, phoneRegion, errors: [], count: 0 };
  const node = parseGroup(raw, 'filter', 'and', state);
  if (state.errors.length) throw new AppError('validation', 'Invalid filter', state.errors);
  return node;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function groupList(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (isPlainObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k))) return Object.values(v);
  return null;
}

function parseGroup(raw: unknown, path: string, kind: 'and' | 'or', s: ParseState): FilterNode {
  if (!isPlainObject(raw)) {
    s.errors.push({ path, message: 'must be a group of conditions like filter[name]=value' });
    return { kind, children: [] };
  }
  const children: FilterNode[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const here = `${path}[${key}]`;
    if (key === 'or' || key === 'and') {
      const groups = groupList(value);
      if (!groups) {
        s.errors.push({
          path: here,
          message: `must be numbered groups like ${here}[0][field]=value`,
        });
        continue;
      }
      const parsed = groups.map((g, i) => parseGroup(g, `${here}[${i}]`, 'and', s));
      children.push({ kind: key, children: parsed });
      continue;
    }
    children.push(...parseField(key, value, here, s));
  }
  return { kind, children };
}

function parseField(key: string, value: unknown, path: string, s: ParseState): FilterNode[] {
  const [name, sub, ...rest] = key.split('.');
  const field = s.object.field(name);
  if (!field || !canReadField(s.actor, s.object, name) || rest.length || sub === '') {
    s.errors.push({ path, message: `no field "${key}" on ${s.object.name}` });
    return [];
  }
  const handler = fieldHandler(field.type);
  if (!handler.column(field, sub)) {
    s.errors.push({ path, message: `no field "${key}" on ${s.object.name}` });
    return [];
  }
  const conditions: [FilterOp, unknown, string][] = [];
  if (typeof value === 'string' || Array.isArray(value)) {
    conditions.push(['eq', value, path]);
  } else if (isPlainObject(value)) {
    for (const [op, v] of Object.entries(value))
      conditions.push([op as FilterOp, v, `${path}[${op}]`]);
  } else {
    s.errors.push({ path, message: 'must be a value or an operator like [gt]' });
    return [];
  }

  const out: FilterNode[] = [];
  for (const [op, v, here] of conditions) {
    if (++s.count > MAX_CONDITIONS) {
      s.errors.push({
        path: here,
        message: `a filter may have at most ${MAX_CONDITIONS} conditions`,
      });
      return out;
    }
    if (!FILTER_OPS.includes(op)) {
      s.errors.push({
        path: here,
        message: `unknown operator "${op}"; use one of ${FILTER_OPS.join(', ')}`,
      });
      continue;
    }
    const ops = sub === 'currency' ? ['eq', 'ne', 'in', 'is_empty'] : handler.ops;
    if (!ops.includes(op)) {
      s.errors.push({
        path: here,
        message: `operator "${op}" does not apply to a ${field.type} field`,
      });
      continue;
    }
    const parsed = parseValue(field, sub, op, v, here, s);
    if (parsed !== undefined) out.push({ kind: 'cond', field, sub, op, value: parsed, path: here });
  }
  return out;
}

function parseValue(
  field: FieldMeta,
  sub: string | undefined,
  op: FilterOp,
  v: unknown,
  path: string,
  s: ParseState,
): unknown {
  const handler = fieldHandler(field.type);
  const ctx = { dialect: s.dialect, phoneRegion: s.phoneRegion };
  const one = (text: unknown, where: string) => {
    if (typeof text !== 'string') {
      s.errors.push({ path: where, message: 'must be a single value' });
      return undefined;
    }
    if (text.includes('\u0000')) {
      s.errors.push({ path: where, message: 'must not contain a NUL character' });
      return undefined;
    }
    try {
      return handler.filterValue(field, text, ctx, sub);
    } catch (err) {
      s.errors.push({ path: where, message: (err as Error).message });
      return undefined;
    }
  };
  if (op === 'is_empty') {
    if (v !== 'true' && v !== 'false') {
      s.errors.push({ path, message: 'must be true or false' });
      return undefined;
    }
    return v === 'true';
  }
  if (op === 'contains' || op === 'starts_with') {
    if (typeof v !== 'string' || v === '' || v.includes('\u0000')) {
      s.errors.push({ path, message: 'must be a non-empty text without NUL characters' });
      return undefined;
    }
    return field.type === 'multi_select' ? one(v, path) : v.normalize('NFC');
  }
  if (op === 'in') {
    const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : null;
    if (!list || list.length === 0 || list.length > MAX_IN_VALUES) {
      s.errors.push({ path, message: `must list 1 to ${MAX_IN_VALUES} values` });
      return undefined;
    }
    if (list.some((x) => x === '')) {
      s.errors.push({ path, message: 'must not list an empty value; use is_empty for that' });
      return undefined;
    }
    const values = list.map((x, i) => one(x, `${path}[${i}]`));
    return values.some((x) => x === undefined) ? undefined : values;
  }
  return one(v, path);
}

function likePattern(text: string, prefixOnly: boolean): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return prefixOnly ? `${escaped}%` : `%${escaped}%`;
}

/** The SQL condition for a parsed filter. */
export function filterSql(
  node: FilterNode,
  dialect: DialectName,
  alias?: string,
  phoneRegion?: string,
): Expression<SqlBool> {
  if (node.kind !== 'cond') {
    if (node.children.length === 0) return sql<SqlBool>`1 = 1`;
    const parts = node.children.map((c) => filterSql(c, dialect, alias, phoneRegion));
    return sql<SqlBool>`(${sql.join(parts, node.kind === 'and' ? sql` and ` : sql` or `)})`;
  }
  const { field, sub, op, value } = node;
  const name = fieldHandler(field.type).column(field, sub) as string;
  const col = sql.ref(alias ? `${alias}.${name}` : name);
  const isEmail = field.type === 'email';
  const lhs: RawBuilder<unknown> = isEmail ? sql`lower(${col})` : sql`${col}`;
  // E-mails compare through the database's lower() on both sides, like the index on them.
  const rhs = (v: unknown) => (isEmail ? sql`lower(${v})` : sql`${v}`);
  const like = dialect === 'postgres' ? sql`ilike` : sql`like`;

  if (field.type === 'phone' && !sub && (op === 'eq' || op === 'ne' || op === 'in')) {
    return phoneCondition(node, alias, phoneRegion);
  }
  switch (op) {
    case 'eq':
      return sql<SqlBool>`${lhs} = ${rhs(value)}`;
    case 'ne':
      return sql<SqlBool>`(${lhs} <> ${rhs(value)} or ${col} is null)`;
    case 'lt':
      return sql<SqlBool>`${lhs} < ${rhs(value)}`;
    case 'lte':
      return sql<SqlBool>`${lhs} <= ${rhs(value)}`;
    case 'gt':
      return sql<SqlBool>`${lhs} > ${rhs(value)}`;
    case 'gte':
      return sql<SqlBool>`${lhs} >= ${rhs(value)}`;
    case 'in':
      return sql<SqlBool>`${lhs} in (${sql.join((value as unknown[]).map(rhs))})`;
    case 'contains':
      if (field.type === 'multi_select') {
        return sql<SqlBool>`${col} like ${likePattern(String(value), false)} escape '\\'`;
      }
      return sql<SqlBool>`${col} ${like} ${likePattern(String(value), false)} escape '\\'`;
    case 'starts_with':
      return sql<SqlBool>`${col} ${like} ${likePattern(String(value), true)} escape '\\'`;
    case 'is_empty':
      return value ? sql<SqlBool>`${col} is null` : sql<SqlBool>`${col} is not null`;
    default: {
      const never: never = op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

/** Phones compare by their E.164 form when the value can be read as a number. */
function phoneCondition(
  node: Extract<FilterNode, { kind: 'cond' }>,
  alias: string | undefined,
  phoneRegion?: string,
): Expression<SqlBool> {
  const raw = sql.ref(alias ? `${alias}.${node.field.column}` : node.field.column);
  const e164 = sql.ref(alias ? `${alias}.${node.field.column}_e164` : `${node.field.column}_e164`);
  const match = (v: unknown) => {
    const n = toE164(String(v), phoneRegion);
    return n ? sql<SqlBool>`(${e164} = ${n} or ${raw} = ${v})` : sql<SqlBool>`${raw} = ${v}`;
  };
  if (node.op === 'in') {
    return sql<SqlBool>`(${sql.join((node.value as unknown[]).map(match), sql` or `)})`;
  }
  const eq = match(node.value);
  // "Not equal" also matches an empty phone, as it does for other fields.
  return node.op === 'eq' ? eq : sql<SqlBool>`not coalesce(${eq}, false)`;
}
