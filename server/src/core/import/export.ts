import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { sql, type SqlBool } from 'kysely';
import { AppError } from '../errors';
import type { RecordContext } from '../kontor';
import type { FieldMeta, ObjectMeta } from '../metadata/types';
import { assertCan, canReadField, scopeCondition } from '../permissions/scope';
import { minorDigits } from '../metadata/money';
import { listConditions, recordColumns, rowToRecord, type ListParams } from '../records/read';
import { afterCursorSql, orderBySql, parseSort } from '../query/sort';

export const MAX_EXPORT_ROWS = 1_000_000;
const PAGE = 2000;

/** The columns of an export: the requested fields (or all readable ones), by label. */
function exportFields(ctx: RecordContext, object: ObjectMeta, fields: unknown): FieldMeta[] {
  const readable = object.fields.filter(
    (f) =>
      canReadField(ctx.actor, object, f.name) &&
      !['deleted_at', 'version', 'created_by', 'updated_by'].includes(f.name),
  );
  if (fields === undefined || fields === '') return readable;
  if (typeof fields !== 'string')
    throw new AppError('validation', 'Invalid fields', [
      { path: 'fields', message: 'must be a comma-separated list' },
    ]);
  return fields.split(',').map((name) => {
    const f = readable.find((x) => x.name === name);
    if (!f)
      throw new AppError('validation', `Unknown field "${name}"`, [
        { path: 'fields', message: `no field "${name}" on ${object.name}` },
      ]);
    return f;
  });
}

/** A cell as a person reads it; the importer reads the same text back. */
function cell(
  f: FieldMeta,
  v: unknown,
  titles: Map<string, string>,
): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  switch (f.type) {
    case 'currency':
    case 'computed':
      if (typeof v === 'object') {
        const m = v as { amount: string; currency: string };
        return `${m.amount} ${m.currency}`;
      }
      return v as number;
    case 'multi_select':
      return (v as string[]).join('; ');
    case 'relation':
      return titles.get(String(v)) ?? String(v);
    case 'boolean':
      return v ? 'yes' : 'no';
    default:
      return v as string | number;
  }
}

/** Names of the records that relation fields point at, for one page of rows. */
async function relationTitles(
  ctx: RecordContext,
  fields: FieldMeta[],
  rows: Record<string, unknown>[],
) {
  const titles = new Map<string, string>();
  for (const f of fields) {
    if (f.type !== 'relation') continue;
    const ids = [
      ...new Set(rows.map((r) => r[f.name]).filter((x): x is string => typeof x === 'string')),
    ];
    if (!ids.length) continue;
    if (f.target === 'users') {
      const users = await ctx.db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('id', 'in', ids)
        .execute();
      for (const u of users) titles.set(u.id as string, u.email as string);
      continue;
    }
    const target = ctx.k.meta.find(f.target ?? '');
    const title = target?.field(target.titleField);
    if (!target || !title || !canReadField(ctx.actor, target, title.name)) continue;
    // Only names of records the reader may see; others stay as their id, as in the list.
    const scope = scopeCondition(ctx.actor, target, 'read');
    const found = await ctx.db
      .selectFrom(target.table)
      .select(['id', sql.ref(title.column).as('t')])
      .where('id', 'in', ids)
      .where(scope ?? sql<SqlBool>`1 = 1`)
      .execute();
    for (const r of found) if (r.t) titles.set(r.id as string, String(r.t));
  }
  return titles;
}

/**
 * Every record of a list (same filters, search, sort and permissions as the list) as rows,
 * read page by page so a large export never holds the table in memory twice.
 */
async function* exportRows(
  ctx: RecordContext,
  object: ObjectMeta,
  params: ListParams,
  fields: FieldMeta[],
) {
  assertCan(ctx.actor, object, 'export');
  const keys = parseSort(params.sort, object, ctx.actor);
  const conds = listConditions(ctx, object, params);
  const dialect = ctx.k.database.dialect;
  let after: unknown[] | null = null;
  let total = 0;
  for (;;) {
    const pageConds = after ? [...conds, afterCursorSql(keys, after)] : conds;
    const rows = (await ctx.db
      .selectFrom(object.table)
      .select(recordColumns(object, dialect))
      .where(
        pageConds.length ? sql<SqlBool>`${sql.join(pageConds, sql` and `)}` : sql<SqlBool>`1 = 1`,
      )
      .orderBy(orderBySql(keys, dialect))
      .limit(PAGE)
      .execute()) as Record<string, unknown>[];
    if (rows.length === 0) return;
    total += rows.length;
    if (total > MAX_EXPORT_ROWS)
      throw new AppError(
        'validation',
        `An export holds at most ${MAX_EXPORT_ROWS} rows; add a filter`,
        [{ path: 'filter', message: 'matches too many records' }],
      );
    const records = rows.map((r) => rowToRecord(object, r, ctx.actor));
    const titles = await relationTitles(ctx, fields, records);
    for (const rec of records)
      yield { cells: fields.map((f) => cell(f, rec[f.name], titles)), rec };
    after = keys.map((k) => rows[rows.length - 1][k.column] ?? null);
    if (rows.length < PAGE) return;
  }
}

/**
 * A spreadsheet program runs a CSV cell that starts with = + - @ as a formula; such text gets a
 * leading apostrophe (the importer takes it off again), unless it is only a number or a phone.
 */
export function csvSafe(v: string | number | boolean | null): string | number | boolean | null {
  if (typeof v !== 'string' || !/^[=+\-@\t\r]/.test(v)) return v;
  // A phone number or a signed number is data, not a formula.
  if (/^[+-][\d\s().\-/]*$/.test(v)) return v;
  return `'${v}`;
}

export async function exportCsv(
  ctx: RecordContext,
  object: ObjectMeta,
  params: ListParams & { fields?: unknown },
): Promise<string> {
  const fields = exportFields(ctx, object, params.fields);
  const lines = [stringify([fields.map((f) => f.label)])];
  for await (const row of exportRows(ctx, object, params, fields))
    lines.push(stringify([row.cells.map(csvSafe)]));
  // A BOM lets spreadsheet programs read the file as UTF-8.
  return `\uFEFF${lines.join('')}`;
}

/**
 * Numbers, money and dates go into a workbook as numbers and dates, so a spreadsheet can sum
 * and sort them. Money carries its currency in the number format, which the importer reads back.
 */
function typedCell(c: ExcelJS.Cell, f: FieldMeta, v: unknown) {
  if (v === null || v === undefined) return;
  const isMoney = f.type === 'currency' || (f.type === 'computed' && f.resultType === 'currency');
  if (isMoney && typeof v === 'object') {
    const m = v as { amount: string; currency: string };
    const digits = minorDigits(m.currency);
    c.value = Number(m.amount);
    c.numFmt = `#,##0${digits ? `.${'0'.repeat(digits)}` : ''} "${m.currency}"`;
  } else if (f.type === 'integer' || f.type === 'decimal' || f.type === 'computed') {
    c.value = Number(v);
  } else if (f.type === 'date') {
    c.value = new Date(`${String(v)}T00:00:00.000Z`);
    c.numFmt = 'yyyy-mm-dd';
  } else if (f.type === 'datetime') {
    c.value = new Date(String(v));
    c.numFmt = 'yyyy-mm-dd hh:mm:ss';
  } else if (f.type === 'boolean') {
    c.value = v === true;
  }
}

export async function exportXlsx(
  ctx: RecordContext,
  object: ObjectMeta,
  params: ListParams & { fields?: unknown },
): Promise<Buffer> {
  const fields = exportFields(ctx, object, params.fields);
  const wb = new ExcelJS.Workbook();
  // Sheet names may not hold * ? : \ / [ ] and have at most 31 characters.
  const ws = wb.addWorksheet(
    object.labelPlural
      .replace(/[*?:\\/[\]]/g, ' ')
      .trim()
      .slice(0, 31) || 'Export',
  );
  ws.columns = fields.map((f) => ({
    header: f.label,
    key: f.name,
    width: Math.min(40, Math.max(10, f.label.length + 2)),
  }));
  ws.getRow(1).font = { bold: true };
  for await (const row of exportRows(ctx, object, params, fields)) {
    const added = ws.addRow(row.cells);
    fields.forEach((f, i) => typedCell(added.getCell(i + 1), f, row.rec[f.name]));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
