import { sql, type SqlBool } from 'kysely';
import { AppError } from '../errors';
import type { RecordContext } from '../kontor';
import { fieldHandler } from '../metadata/field-types';
import type { ObjectMeta } from '../metadata/types';
import { canReadField } from '../permissions/scope';
import { listConditions, type ListParams } from './read';

export interface AggregateGroup {
  group: unknown;
  count: number;
  /** Sums per currency for a money field ({EUR: 12500}); a number for other fields. */
  sum?: Record<string, number> | number;
}

const GROUPABLE = new Set(['select', 'relation', 'boolean', 'text', 'date', 'email']);
const SUMMABLE = new Set(['integer', 'decimal', 'currency']);

/**
 * Counts (and sums) the records of a list by one field, with the list's filters, search and the
 * reader's scope: the figures of a board column or a report come from what the reader may see.
 */
export async function aggregate(
  ctx: RecordContext,
  object: ObjectMeta,
  params: ListParams & { group_by?: unknown; sum?: unknown },
): Promise<AggregateGroup[]> {
  const bad = (path: string, message: string) =>
    new AppError('validation', `Invalid ${path}`, [{ path, message }]);
  const groupField =
    typeof params.group_by === 'string' ? object.field(params.group_by) : undefined;
  if (
    !groupField ||
    !GROUPABLE.has(groupField.type) ||
    !canReadField(ctx.actor, object, groupField.name)
  ) {
    throw bad('group_by', 'must name a select, relation, yes/no, text or date field');
  }
  const sumField = typeof params.sum === 'string' ? object.field(params.sum) : undefined;
  if (
    params.sum !== undefined &&
    (!sumField || !SUMMABLE.has(sumField.type) || !canReadField(ctx.actor, object, sumField.name))
  ) {
    throw bad('sum', 'must name a number or money field');
  }
  const conds = listConditions(ctx, object, params);
  const where = conds.length ? sql<SqlBool>`${sql.join(conds, sql` and `)}` : sql<SqlBool>`1 = 1`;
  const g = sql.ref(groupField.column);
  const table = sql.table(object.table);

  const counts = await sql<{ g: unknown; n: number }>`
    select ${g} as g, count(*) as n from ${table} where ${where} group by ${g} order by 2 desc limit 1000`.execute(
    ctx.db,
  );
  const groups = new Map<string, AggregateGroup>();
  for (const r of counts.rows) {
    const value = fieldHandler(groupField.type).fromDb(groupField, { [groupField.column]: r.g });
    groups.set(JSON.stringify(value), { group: value, count: Number(r.n) });
  }
  if (sumField) {
    if (sumField.type === 'currency') {
      const minor = sql.ref(`${sumField.column}_minor`);
      const cur = sql.ref(`${sumField.column}_currency`);
      const rows = await sql<{ g: unknown; c: string | null; s: number | null }>`
        select ${g} as g, ${cur} as c, sum(${minor}) as s from ${table} where ${where} and ${cur} is not null
        group by ${g}, ${cur}`.execute(ctx.db);
      for (const r of rows.rows) {
        const value = fieldHandler(groupField.type).fromDb(groupField, {
          [groupField.column]: r.g,
        });
        const entry = groups.get(JSON.stringify(value));
        if (!entry || r.c === null) continue;
        const sums = (entry.sum as Record<string, number> | undefined) ?? {};
        sums[r.c] = Number(r.s ?? 0);
        entry.sum = sums;
      }
    } else {
      const col = sql.ref(sumField.column);
      const rows = await sql<{ g: unknown; s: number | null }>`
        select ${g} as g, sum(${col}) as s from ${table} where ${where} group by ${g}`.execute(
        ctx.db,
      );
      for (const r of rows.rows) {
        const value = fieldHandler(groupField.type).fromDb(groupField, {
          [groupField.column]: r.g,
        });
        const entry = groups.get(JSON.stringify(value));
        if (entry) entry.sum = Number(r.s ?? 0);
      }
    }
  }
  return [...groups.values()];
}
