import { sql } from 'kysely';
import { boolToDb } from '../../db/column-types';
import type { RecordContext } from '../../core/kontor';

/**
 * Products written before they had a valuation method or a discontinued flag take the values
 * a new product starts with (an empty column meant just that). Idempotent: it touches only
 * empty columns, and new products are given both when created.
 */
export async function seedCatalog(ctx: RecordContext) {
  const table = ctx.k.meta.get('products').table;
  const no = boolToDb(ctx.k.database.dialect, false);
  await ctx.db
    .updateTable(table)
    .set({
      valuation_method: sql`coalesce(valuation_method, 'average')`,
      is_discontinued: sql`coalesce(is_discontinued, ${no})`,
      version: sql`version + 1`,
    })
    .where((eb) => eb.or([eb('valuation_method', 'is', null), eb('is_discontinued', 'is', null)]))
    .execute();
}
