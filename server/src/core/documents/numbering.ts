import { sql } from 'kysely';
import { validationError } from '../errors';
import type { RecordContext } from '../kontor';

/** How many digits a document number has at least: `SO-000123`. */
const DIGITS = 6;

/**
 * The next number for a kind of document (`SO` → `SO-000001`, `SO-000002`, …). The counter row is
 * updated in the caller's transaction, so two documents never get the same number: on
 * PostgreSQL the update takes the row's lock until commit, on SQLite there is one writer.
 * A rolled-back transaction leaves a gap, never a repeat.
 */
export async function nextDocumentNumber(ctx: RecordContext, prefix: string): Promise<string> {
  if (!/^[A-Z]{1,8}$/.test(prefix))
    throw validationError([{ path: 'prefix', message: 'must be 1 to 8 capital letters' }]);
  await ctx.db
    .insertInto('document_counters')
    .values({ prefix, last_number: 0 })
    .onConflict((oc) => oc.column('prefix').doNothing())
    .execute();
  await ctx.db
    .updateTable('document_counters')
    .set({ last_number: sql`last_number + 1` })
    .where('prefix', '=', prefix)
    .execute();
  const row = await ctx.db
    .selectFrom('document_counters')
    .select('last_number')
    .where('prefix', '=', prefix)
    .executeTakeFirstOrThrow();
  return `${prefix}-${String(row.last_number).padStart(DIGITS, '0')}`;
}
