import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * The stock ledger: `stock_moves` is append-only (a correction is a new move that reverses one),
 * one row per product and warehouse a move touches, the quantity signed, in thousandths of the
 * product's unit. `stock_balances` holds what is on hand per product and warehouse, updated in
 * the same transaction as each move; `kontor stock verify` recomputes it from the moves.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('stock_moves')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('posting_id', t.id, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('product_id', t.id, (c) => c.notNull())
    .addColumn('warehouse_id', t.id, (c) => c.notNull())
    .addColumn('quantity', t.bigint, (c) => c.notNull())
    .addColumn('unit_cost_minor', t.bigint)
    .addColumn('currency', t.text)
    .addColumn('reverses_posting_id', t.id)
    .addColumn('note', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.id)
    .execute();
  await db.schema
    .createIndex('stock_moves_product')
    .on('stock_moves')
    .columns(['product_id', 'warehouse_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('stock_moves_posting')
    .on('stock_moves')
    .column('posting_id')
    .execute();
  // A posting is reversed at most once.
  await sql`create unique index stock_moves_reversal on stock_moves (reverses_posting_id, product_id, warehouse_id) where reverses_posting_id is not null`.execute(
    db,
  );
  await db.schema
    .createTable('stock_balances')
    .addColumn('product_id', t.id, (c) => c.notNull())
    .addColumn('warehouse_id', t.id, (c) => c.notNull())
    .addColumn('on_hand', t.bigint, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_balances_pk', ['product_id', 'warehouse_id'])
    .execute();
  await db.schema
    .createIndex('stock_balances_warehouse')
    .on('stock_balances')
    .column('warehouse_id')
    .execute();
}
