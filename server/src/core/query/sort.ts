import { sql, type Expression, type SqlBool } from 'kysely';
import type { DialectName } from '../../db/database';
import type { Actor } from '../actor';
import { AppError } from '../errors';
import { fieldHandler } from '../metadata/field-types';
import type { ObjectMeta } from '../metadata/types';
import { canReadField } from '../permissions/scope';
import { boolToDb } from '../../db/column-types';
import { isId } from '../ids';
import { isDate, normaliseDatetime } from '../metadata/field-types';
import type { FieldType } from '../metadata/types';

/**
 * Sorting and keyset pages. NULL counts as the smallest value on both databases (first when
 * ascending, last when descending), and `id` breaks ties in the direction of the first key,
 * so that a single-key sort walks one index in either direction.
 */
export interface SortKey {
  name: string;
  column: string;
  desc: boolean;
  /** What the column holds, to check cursor values: text, number, boolean, date or instant. */
  kind: 'text' | 'number' | 'boolean' | 'date' | 'instant' | 'id';
}

function kindOf(type: FieldType, sub?: string): SortKey['kind'] {
  if (sub === 'currency') return 'text';
  switch (type) {
    case 'integer':
    case 'decimal':
    case 'currency':
    case 'computed':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'instant';
    default:
      return 'text';
  }
}

const MAX_SORT_KEYS = 5;

export function parseSort(raw: unknown, object: ObjectMeta, actor: Actor): SortKey[] {
  const text = raw === undefined || raw === '' ? '-created_at' : raw;
  if (typeof text !== 'string') {
    throw new AppError('validation', 'Invalid sort', [
      { path: 'sort', message: 'must be a comma-separated list like -amount,name' },
    ]);
  }
  const keys: SortKey[] = [];
  for (const part of text.split(',')) {
    const desc = part.startsWith('-');
    const spec = desc ? part.slice(1) : part;
    const [name, sub] = spec.split('.');
    const field = object.field(name);
    const column = field ? fieldHandler(field.type).column(field, sub) : undefined;
    if (
      !field ||
      !column ||
      !canReadField(actor, object, name) ||
      sub === '' ||
      spec.split('.').length > 2
    ) {
      throw new AppError('validation', `Cannot sort by "${spec}"`, [
        { path: 'sort', message: `no field "${spec}" on ${object.name}` },
      ]);
    }
    if (field.type === 'multi_select' || field.type === 'long_text') {
      throw new AppError('validation', `Cannot sort by "${spec}"`, [
        { path: 'sort', message: `a ${field.type} field cannot be sorted` },
      ]);
    }
    if (name === 'id') continue;
    keys.push({ name: spec, column, desc, kind: kindOf(field.type, sub) });
  }
  if (keys.length > MAX_SORT_KEYS) {
    throw new AppError('validation', 'Too many sort keys', [
      { path: 'sort', message: `at most ${MAX_SORT_KEYS} fields` },
    ]);
  }
  const idDesc = keys.length ? keys[0].desc : text.startsWith('-');
  keys.push({ name: 'id', column: 'id', desc: idDesc, kind: 'id' });
  return keys;
}

export function orderBySql(keys: SortKey[], dialect: DialectName, alias?: string) {
  const parts = keys.map((k) => {
    const col = sql.ref(alias ? `${alias}.${k.column}` : k.column);
    if (dialect === 'postgres') {
      return k.desc ? sql`${col} desc nulls last` : sql`${col} asc nulls first`;
    }
    return k.desc ? sql`${col} desc` : sql`${col} asc`;
  });
  return sql.join(parts);
}

interface CursorData {
  s: string;
  v: unknown[];
}

function signature(keys: SortKey[]): string {
  return keys.map((k) => (k.desc ? `-${k.name}` : k.name)).join(',');
}

export function encodeCursor(keys: SortKey[], row: Record<string, unknown>): string {
  const data: CursorData = { s: signature(keys), v: keys.map((k) => row[k.column] ?? null) };
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

/** A cursor value checked against what its column holds, in the form the database compares. */
function cursorValue(v: unknown, key: SortKey, dialect: DialectName): unknown {
  if (v === null) return key.kind === 'id' ? undefined : null;
  switch (key.kind) {
    case 'id':
      return isId(v) ? v : undefined;
    case 'text':
      return typeof v === 'string' && !v.includes('\u0000') ? v : undefined;
    case 'number':
      return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
    case 'boolean':
      return v === true || v === false || v === 0 || v === 1
        ? boolToDb(dialect, v === true || v === 1)
        : undefined;
    case 'date':
      return typeof v === 'string' && isDate(v) ? v : undefined;
    case 'instant':
      return typeof v === 'string' ? (normaliseDatetime(v) ?? undefined) : undefined;
    default:
      return undefined;
  }
}

export function decodeCursor(raw: unknown, keys: SortKey[], dialect: DialectName): unknown[] {
  const bad = (message: string) =>
    new AppError('validation', 'Invalid cursor', [{ path: 'cursor', message }]);
  if (typeof raw !== 'string' || raw.length > 4000) throw bad('must be a next_cursor value');
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as CursorData;
  } catch {
    throw bad('must be a next_cursor value from an earlier page');
  }
  if (!data || !Array.isArray(data.v) || data.v.length !== keys.length) {
    throw bad('must be a next_cursor value from an earlier page');
  }
  if (data.s !== signature(keys)) throw bad('was made for another sort order');
  return keys.map((k, i) => {
    const v = cursorValue(data.v[i], k, dialect);
    if (v === undefined) throw bad('must be a next_cursor value from an earlier page');
    return v;
  });
}

/** Rows strictly after the cursor row in the sort order. */
export function afterCursorSql(
  keys: SortKey[],
  values: unknown[],
  alias?: string,
): Expression<SqlBool> {
  const ref = (k: SortKey) => sql.ref(alias ? `${alias}.${k.column}` : k.column);
  let cond: Expression<SqlBool> | null = null;
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i];
    const v = values[i];
    const col = ref(k);
    let after: Expression<SqlBool> | null;
    let equal: Expression<SqlBool>;
    if (v === null) {
      after = k.desc ? null : sql<SqlBool>`${col} is not null`;
      equal = sql<SqlBool>`${col} is null`;
    } else {
      after = k.desc
        ? sql<SqlBool>`(${col} < ${v} or ${col} is null)`
        : sql<SqlBool>`${col} > ${v}`;
      equal = sql<SqlBool>`${col} = ${v}`;
    }
    const tail: Expression<SqlBool> | null = cond ? sql<SqlBool>`(${equal} and ${cond})` : null;
    cond =
      after && tail ? sql<SqlBool>`(${after} or ${tail})` : (after ?? tail ?? sql<SqlBool>`1 = 0`);
  }
  // A plain range on the first key lets the database seek instead of scanning from the start.
  const first = keys[0];
  const v0 = values[0];
  if (keys.length > 1 && v0 !== null && !first.desc) {
    return sql<SqlBool>`(${ref(first)} >= ${v0} and ${cond})`;
  }
  return cond as Expression<SqlBool>;
}
