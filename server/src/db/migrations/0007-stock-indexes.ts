import type { Kysely } from 'kysely';
import type { DialectName } from '../database';

/**
 * SQLite: a covering index for the sums over stock moves, per product and warehouse (what
 * `verifyStock` recomputes on hand from) and per product up to an instant (`stockValue` with
 * `at`). Without it SQLite walks `stock_moves_product` in order and reads each move's row from
 * the table, one random read per move: at 2,000,000 moves (bench/stock.ts) each of verify's
 * two sums took 22-26 s and the value at an instant 19-24 s; with it they read the index alone,
 * about 1.2 s each. PostgreSQL sums the same moves with a parallel scan and a hash aggregate
 * in 0.6-2.5 s either way (measured with and without the index), so it does not get the 270 MB.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await db.schema
    .createIndex('stock_moves_totals')
    .on('stock_moves')
    .columns(['product_id', 'warehouse_id', 'occurred_at', 'quantity', 'value_minor', 'currency'])
    .execute();
}
