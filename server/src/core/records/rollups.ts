import { sql, type SqlBool } from 'kysely';
import type { RecordContext } from '../kontor';
import { boolToDb } from '../../db/column-types';
import { fieldHandler } from '../metadata/field-types';
import type { FieldMeta, ObjectMeta } from '../metadata/types';

/**
 * Totals the engine keeps (computed fields) are recomputed from their source rows at the end
 * of the transaction that changed them, never adjusted by increments, so they cannot drift.
 * Limitation: a total counts every source record, including ones the reader may not see
 * (hide the field from such a role); and a change to a total does not change the version.
 */
export function markRollups(
  ctx: RecordContext,
  child: ObjectMeta,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) {
  for (const parent of ctx.k.meta.all()) {
    for (const f of parent.fields) {
      if (f.type !== 'computed' || f.rollup?.object !== child.name) continue;
      const key = `${parent.name}\u0000${f.name}`;
      let set = ctx.pending.rollups.get(key);
      for (const rec of [before, after]) {
        const id = rec?.[f.rollup.via];
        if (typeof id !== 'string') continue;
        if (!set) ctx.pending.rollups.set(key, (set = new Set()));
        set.add(id);
      }
    }
  }
}

export async function flushRollups(ctx: RecordContext) {
  const work = [...ctx.pending.rollups.entries()];
  ctx.pending.rollups.clear();
  for (const [key, ids] of work) {
    const [parentName, fieldName] = key.split('\u0000');
    const parent = ctx.k.meta.find(parentName);
    const field = parent?.field(fieldName);
    if (!parent || !field) continue;
    for (const id of ids) await recompute(ctx, parent, field, id);
  }
}

export async function recompute(
  ctx: RecordContext,
  parent: ObjectMeta,
  field: FieldMeta,
  id: string,
) {
  const rollup = field.rollup!;
  const child = ctx.k.meta.find(rollup.object);
  const via = child?.field(rollup.via);
  if (!child || !via) return;
  const dialect = ctx.k.database.dialect;
  // Two transactions changing the same parent's children take turns here, so the second sees
  // the first's rows (READ COMMITTED) and neither overwrites the other's total. SQLite has one writer.
  if (dialect === 'postgres') {
    await sql`select id from ${sql.table(parent.table)} where id = ${id} for update`.execute(
      ctx.db,
    );
  }
  const conds = [sql<SqlBool>`${sql.ref(via.column)} = ${id}`, sql<SqlBool>`deleted_at is null`];
  for (const [name, value] of Object.entries(rollup.where ?? {})) {
    const f = child.field(name);
    if (!f) continue;
    const v = typeof value === 'boolean' ? boolToDb(dialect, value) : value;
    conds.push(sql<SqlBool>`${sql.ref(f.column)} = ${v}`);
  }
  const where = sql.join(conds, sql` and `);
  let value: unknown;
  if (rollup.aggregate === 'count') {
    const r = await sql<{
      n: number;
    }>`select count(*) as n from ${sql.table(child.table)} where ${where}`.execute(ctx.db);
    value = Number(r.rows[0].n);
  } else {
    const source = child.field(rollup.field ?? '');
    if (!source) return;
    const col = fieldHandler(source.type).column(source) as string;
    if (source.type === 'currency') {
      const cur = `${source.column}_currency`;
      const r = await sql<{ total: number | null; lo: string | null; hi: string | null }>`
        select sum(${sql.ref(col)}) as total, min(${sql.ref(cur)}) as lo, max(${sql.ref(cur)}) as hi
        from ${sql.table(child.table)} where ${where}`.execute(ctx.db);
      const { total, lo, hi } = r.rows[0];
      // Limitation: amounts in several currencies have no single total, so none is shown.
      value = total !== null && lo === hi && lo ? { minor: Number(total), currency: lo } : null;
    } else {
      const r = await sql<{ total: number | null }>`
        select sum(${sql.ref(col)}) as total from ${sql.table(child.table)} where ${where}`.execute(
        ctx.db,
      );
      value = r.rows[0].total === null ? 0 : Number(r.rows[0].total);
    }
  }
  const cols = fieldHandler('computed').toDb(field, value, { dialect });
  await ctx.db.updateTable(parent.table).set(cols).where('id', '=', id).execute();
}
