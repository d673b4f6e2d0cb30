import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * What documents need from the ledger: each move carries the value it moved and the document
 * (and line) it came from, and the instant it took effect; balances also count what is
 * reserved for document lines and what is on order; `stock_valuation` keeps each product's
 * quantity and value company-wide (moving average), `stock_layers` what is left of each receipt
 * of a FIFO product; `stock_reservations` holds each
 * document line's open reservation; `document_counters` gives documents their numbers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('stock_moves').addColumn('value_minor', t.bigint).execute();
  await db.schema.alterTable('stock_moves').addColumn('document_object', t.text).execute();
  await db.schema.alterTable('stock_moves').addColumn('document_id', t.id).execute();
  await db.schema.alterTable('stock_moves').addColumn('document_line_id', t.id).execute();
  await db.schema.alterTable('stock_moves').addColumn('occurred_at', t.timestamp).execute();
  await sql`update stock_moves set value_minor = 0, occurred_at = created_at`.execute(db);
  await db.schema
    .createIndex('stock_moves_document')
    .on('stock_moves')
    .columns(['document_object', 'document_id'])
    .execute();
  await db.schema
    .createIndex('stock_moves_occurred')
    .on('stock_moves')
    .columns(['occurred_at'])
    .execute();
  await db.schema
    .alterTable('stock_balances')
    .addColumn('reserved', t.bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('stock_balances')
    .addColumn('incoming', t.bigint, (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('stock_valuation')
    .addColumn('product_id', t.id, (c) => c.primaryKey())
    .addColumn('quantity', t.bigint, (c) => c.notNull())
    .addColumn('value_minor', t.bigint, (c) => c.notNull())
    .addColumn('currency', t.text)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await sql`insert into stock_valuation (product_id, quantity, value_minor, currency, updated_at)
    select product_id, sum(quantity), 0, null, max(created_at) from stock_moves group by product_id`.execute(
    db,
  );

  await db.schema
    .createTable('stock_reservations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('product_id', t.id, (c) => c.notNull())
    .addColumn('warehouse_id', t.id, (c) => c.notNull())
    .addColumn('document_object', t.text, (c) => c.notNull())
    .addColumn('document_id', t.id, (c) => c.notNull())
    .addColumn('document_line_id', t.id, (c) => c.notNull())
    .addColumn('quantity', t.bigint, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_reservations_line')
    .on('stock_reservations')
    .columns(['document_object', 'document_id', 'document_line_id', 'product_id', 'warehouse_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('stock_reservations_balance')
    .on('stock_reservations')
    .columns(['product_id', 'warehouse_id'])
    .execute();

  // FIFO products keep their stock as layers, oldest first: what came in and what is left of it.
  await db.schema
    .createTable('stock_layers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('product_id', t.id, (c) => c.notNull())
    .addColumn('move_id', t.id, (c) => c.notNull())
    .addColumn('quantity', t.bigint, (c) => c.notNull())
    .addColumn('value_minor', t.bigint, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_layers_product')
    .on('stock_layers')
    .columns(['product_id', 'id'])
    .execute();

  await db.schema
    .createTable('document_counters')
    .addColumn('prefix', t.text, (c) => c.primaryKey())
    .addColumn('last_number', t.bigint, (c) => c.notNull())
    .execute();
}
