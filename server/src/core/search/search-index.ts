import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, DialectName } from '../../db/database';
import { AppError } from '../errors';
import { fieldHandler } from '../metadata/field-types';
import { ftsTable } from '../metadata/schema';
import type { ObjectMeta } from '../metadata/types';

/**
 * Full-text search: FTS5 on SQLite, a tsvector column on PostgreSQL. Both index the same
 * folded text (lower case, accents removed), so "munster" finds "Münster" on either.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

function tokens(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function isSearchable(object: ObjectMeta): boolean {
  return object.fields.some((f) => f.searchable);
}

/** The text a record contributes to the index, from its searchable fields (API values). */
export function searchBody(object: ObjectMeta, record: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const f of object.fields) {
    if (!f.searchable) continue;
    const v = record[f.name];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    const text = fieldHandler(f.type).searchText?.(f, v);
    if (text) parts.push(text);
  }
  return tokens(parts.join(' ')).join(' ');
}

export async function indexRecord(
  db: Db,
  dialect: DialectName,
  object: ObjectMeta,
  id: string,
  body: string,
  isNew: boolean,
) {
  if (dialect === 'postgres') {
    await sql`update ${sql.table(object.table)} set search_vector = to_tsvector('simple', ${body})
              where id = ${id}`.execute(db);
    return;
  }
  const fts = sql.table(ftsTable(object.table));
  const rowid = sql`(select rowid from ${sql.table(object.table)} where id = ${id})`;
  if (!isNew) await sql`delete from ${fts} where rowid = ${rowid}`.execute(db);
  await sql`insert into ${fts} (rowid, body) values (${rowid}, ${body})`.execute(db);
}

/** Rebuilds the whole index of an object, after its searchable fields changed. */
export async function reindexObject(
  db: Db,
  dialect: DialectName,
  object: ObjectMeta,
  read: (row: Record<string, unknown>) => Record<string, unknown>,
) {
  if (dialect === 'sqlite') await sql`delete from ${sql.table(ftsTable(object.table))}`.execute(db);
  const batch = 2000;
  let last = '';
  for (;;) {
    const rows = (await db
      .selectFrom(object.table)
      .selectAll()
      .where('id', '>', last)
      .orderBy('id')
      .limit(batch)
      .execute()) as Record<string, unknown>[];
    if (rows.length === 0) break;
    for (const row of rows) {
      await indexRecord(db, dialect, object, String(row.id), searchBody(object, read(row)), true);
    }
    last = String(rows[rows.length - 1].id);
  }
}

const MAX_TERMS = 10;

/**
 * The condition matching records whose indexed text has every word of q (as prefixes).
 * Limitation: one index holds all searchable fields of a record, so a role that may not read
 * one of them can still find a record by that field's value (the field itself stays hidden).
 */
export function searchCondition(
  dialect: DialectName,
  object: ObjectMeta,
  q: string,
  alias?: string,
): Expression<SqlBool> {
  const terms = tokens(q).slice(0, MAX_TERMS);
  if (terms.length === 0) {
    throw new AppError('validation', 'Invalid search', [
      { path: 'q', message: 'must contain at least one letter or digit' },
    ]);
  }
  if (!isSearchable(object)) {
    throw new AppError('validation', 'Search is not available', [
      { path: 'q', message: `${object.name} has no searchable fields` },
    ]);
  }
  if (dialect === 'postgres') {
    const query = terms.map((t) => `'${t}':*`).join(' & ');
    const col = sql.ref(alias ? `${alias}.search_vector` : 'search_vector');
    return sql<SqlBool>`${col} @@ to_tsquery('simple', ${query})`;
  }
  const match = terms.map((t) => `"${t}"*`).join(' ');
  const rowid = sql.ref(alias ? `${alias}.rowid` : 'rowid');
  return sql<SqlBool>`${rowid} in (select rowid from ${sql.table(ftsTable(object.table))} where ${sql.table(ftsTable(object.table))} match ${match})`;
}
