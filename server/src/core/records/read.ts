import { sql, type Expression, type SqlBool } from 'kysely';
import type { DialectName } from '../../db/database';
import type { Actor } from '../actor';
import { AppError, notFound } from '../errors';
import { isId } from '../ids';
import type { RecordContext } from '../kontor';
import { fieldColumns, fieldHandler } from '../metadata/field-types';
import type { FieldMeta, ObjectMeta } from '../metadata/types';
import { assertCan, canReadField, scopeCondition, type RecordAction } from '../permissions/scope';
import { filterSql, parseFilter } from '../query/filter';
import { afterCursorSql, decodeCursor, encodeCursor, orderBySql, parseSort } from '../query/sort';
import { searchCondition } from '../search/search-index';
import type { ApiRecord } from './hooks';

/** Every column of the object's table that the API reads (not the search index). */
export function recordColumns(object: ObjectMeta, dialect: DialectName): string[] {
  const cols: string[] = [];
  for (const f of object.fields) for (const c of fieldColumns(f, dialect)) cols.push(c.name);
  return cols;
}

/** A database row in API form, with only the fields the actor may read (and `only`, if given). */
export function rowToRecord(
  object: ObjectMeta,
  row: Record<string, unknown>,
  actor?: Actor,
  only?: Set<string>,
): ApiRecord {
  const out: Record<string, unknown> = {};
  for (const f of object.fields) {
    if (only && !only.has(f.name)) continue;
    if (actor && !canReadField(actor, object, f.name)) continue;
    out[f.name] = fieldHandler(f.type).fromDb(f, row);
  }
  return out as ApiRecord;
}

function badId(id: string) {
  return new AppError('validation', 'Invalid id', [
    { path: 'id', message: `"${id.slice(0, 60)}" is not a record id (UUID)` },
  ]);
}

/** Loads one record the actor can reach with `action`; 404 when it is absent or out of reach. */
export async function loadRecord(
  ctx: RecordContext,
  object: ObjectMeta,
  id: string,
  opts: { action?: RecordAction; includeDeleted?: boolean; raw?: boolean } = {},
): Promise<ApiRecord> {
  const action = opts.action ?? 'read';
  assertCan(ctx.actor, object, action);
  if (!isId(id)) throw badId(id);
  id = id.toLowerCase();
  const conds: Expression<SqlBool>[] = [sql<SqlBool>`id = ${id}`];
  if (!opts.includeDeleted) conds.push(sql<SqlBool>`deleted_at is null`);
  const scope = scopeCondition(ctx.actor, object, action);
  if (scope) conds.push(scope);
  const row = (await ctx.db
    .selectFrom(object.table)
    .select(recordColumns(object, ctx.k.database.dialect))
    .where(sql<SqlBool>`${sql.join(conds, sql` and `)}`)
    .executeTakeFirst()) as Record<string, unknown> | undefined;
  if (!row) {
    if (action !== 'read') {
      // Reachable for reading but not for this action: say so rather than pretend it is gone.
      const readable = await loadRecord(ctx, object, id, {
        includeDeleted: opts.includeDeleted,
      }).catch(() => null);
      if (readable) {
        throw new AppError(
          'forbidden',
          `You may not ${action} this ${object.labelSingular.toLowerCase()}`,
        );
      }
    }
    throw notFound(`${object.labelSingular} ${id}`);
  }
  return rowToRecord(object, row, opts.raw ? undefined : ctx.actor);
}

export interface ListParams {
  filter?: unknown;
  sort?: unknown;
  limit?: unknown;
  cursor?: unknown;
  fields?: unknown;
  q?: unknown;
  count?: unknown;
  include_deleted?: unknown;
}

export interface ListResult {
  data: ApiRecord[];
  next_cursor: string | null;
  total?: number;
}

export const MAX_PAGE = 500;

function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return 50;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new AppError('validation', 'Invalid limit', [
      { path: 'limit', message: `must be a whole number from 1 to ${MAX_PAGE}` },
    ]);
  }
  return n;
}

function parseBool(raw: unknown, path: string): boolean {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new AppError('validation', `Invalid ${path}`, [{ path, message: 'must be true or false' }]);
}

export function parseFields(
  raw: unknown,
  object: ObjectMeta,
  actor: Actor,
): Set<string> | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') {
    throw new AppError('validation', 'Invalid fields', [
      { path: 'fields', message: 'must be a comma-separated list of field names' },
    ]);
  }
  const names = new Set(['id', 'version']);
  for (const name of raw.split(',')) {
    if (!object.field(name) || !canReadField(actor, object, name)) {
      throw new AppError('validation', `Unknown field "${name}"`, [
        { path: 'fields', message: `no field "${name}" on ${object.name}` },
      ]);
    }
    names.add(name);
  }
  return names;
}

/**
 * The conditions of a list: not deleted, in the actor's read scope, matching the filter and
 * search. Shared by lists, counts, exports and related lists.
 */
export function listConditions(
  ctx: RecordContext,
  object: ObjectMeta,
  params: Pick<ListParams, 'filter' | 'q' | 'include_deleted'>,
  extra: Expression<SqlBool>[] = [],
): Expression<SqlBool>[] {
  const dialect = ctx.k.database.dialect;
  assertCan(ctx.actor, object, 'read');
  const conds: Expression<SqlBool>[] = [...extra];
  if (!parseBool(params.include_deleted, 'include_deleted'))
    conds.push(sql<SqlBool>`deleted_at is null`);
  const scope = scopeCondition(ctx.actor, object, 'read');
  if (scope) conds.push(scope);
  const filter = parseFilter(params.filter, object, ctx.actor, dialect, ctx.k.settings.phoneRegion);
  if (filter) conds.push(filterSql(filter, dialect, undefined, ctx.k.settings.phoneRegion));
  if (params.q !== undefined && params.q !== '') {
    if (typeof params.q !== 'string' || params.q.length > 200) {
      throw new AppError('validation', 'Invalid search', [
        { path: 'q', message: 'must be a text of at most 200 characters' },
      ]);
    }
    conds.push(searchCondition(dialect, object, params.q));
  }
  return conds;
}

export async function listRecords(
  ctx: RecordContext,
  object: ObjectMeta,
  params: ListParams,
  extra: Expression<SqlBool>[] = [],
): Promise<ListResult> {
  const dialect = ctx.k.database.dialect;
  const limit = parseLimit(params.limit);
  const keys = parseSort(params.sort, object, ctx.actor);
  const only = parseFields(params.fields, object, ctx.actor);
  const wantCount = parseBool(params.count, 'count');
  const conds = listConditions(ctx, object, params, extra);

  const pageConds = [...conds];
  if (params.cursor !== undefined && params.cursor !== '') {
    pageConds.push(afterCursorSql(keys, decodeCursor(params.cursor, keys, dialect)));
  }
  const where = (list: Expression<SqlBool>[]) =>
    list.length ? sql<SqlBool>`${sql.join(list, sql` and `)}` : sql<SqlBool>`1 = 1`;

  const rows = (await ctx.db
    .selectFrom(object.table)
    .select(recordColumns(object, dialect))
    .where(where(pageConds))
    .orderBy(orderBySql(keys, dialect))
    .limit(limit + 1)
    .execute()) as Record<string, unknown>[];

  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const result: ListResult = {
    data: page.map((r) => rowToRecord(object, r, ctx.actor, only)),
    next_cursor: more ? encodeCursor(keys, page[page.length - 1]) : null,
  };
  if (wantCount) {
    const c = await ctx.db
      .selectFrom(object.table)
      .select(sql<number>`count(*)`.as('n'))
      .where(where(conds))
      .executeTakeFirstOrThrow();
    result.total = Number(c.n);
  }
  return result;
}

export function fieldOrThrow(object: ObjectMeta, name: string): FieldMeta {
  const f = object.field(name);
  if (!f)
    throw new AppError('validation', `Unknown field "${name}"`, [
      { path: name, message: 'unknown field' },
    ]);
  return f;
}
