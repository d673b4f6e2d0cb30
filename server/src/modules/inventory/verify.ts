import { sql } from 'kysely';
import type { RecordContext } from '../../core/kontor';
import type { MetadataRegistry } from '../../core/metadata/registry';
import { scaledToDecimal } from '../../core/metadata/money';

const big = (v: unknown) => BigInt(String(v ?? 0));
const qty = (v: bigint) => scaledToDecimal(v, 3);

export interface StockDifference {
  /** What differs: on hand or reserved (per warehouse), quantity or value (per product). */
  what:
    | 'on_hand'
    | 'reserved'
    | 'valuation_quantity'
    | 'value'
    | 'value_at_zero'
    | 'layer_quantity'
    | 'layer_value'
    | 'negative'
    | 'over_reserved'
    | 'fifo_without_layers';
  product_id: string;
  warehouse_id: string | null;
  ledger: string;
  balance: string;
}

/**
 * Every kept figure recomputed from its source and compared: on hand per product and warehouse
 * from the moves, reserved from the open reservations, each product's quantity and value from
 * the moves, and a FIFO product's layers from its quantity and value; and no product at zero
 * quantity may hold value. With the metadata it also checks the products' rules: no stock
 * below zero or reserved beyond what is on hand unless the product allows negative stock, and
 * layers for every FIFO product that has stock. An empty list means all agree.
 */
export async function verifyStock(db: RecordContext['db'], meta?: MetadataRegistry) {
  const differences: StockDifference[] = [];
  const key = (p: string, w: string) => `${p}|${w}`;

  const moved = await db
    .selectFrom('stock_moves')
    .select(['product_id', 'warehouse_id', sql<string>`sum(quantity)`.as('quantity')])
    .groupBy(['product_id', 'warehouse_id'])
    .execute();
  const reservedRows = await db
    .selectFrom('stock_reservations')
    .select(['product_id', 'warehouse_id', sql<string>`sum(quantity)`.as('quantity')])
    .groupBy(['product_id', 'warehouse_id'])
    .execute();
  const balances = await db
    .selectFrom('stock_balances')
    .select(['product_id', 'warehouse_id', 'on_hand', 'reserved'])
    .execute();
  const onHand = new Map(moved.map((m) => [key(m.product_id, m.warehouse_id), big(m.quantity)]));
  const reserved = new Map(
    reservedRows.map((r) => [key(r.product_id, r.warehouse_id), big(r.quantity)]),
  );
  const kept = new Map(balances.map((b) => [key(b.product_id, b.warehouse_id), b]));
  for (const k of new Set([...onHand.keys(), ...reserved.keys(), ...kept.keys()])) {
    const [product_id, warehouse_id] = k.split('|');
    const b = kept.get(k);
    const pairs: [StockDifference['what'], bigint, bigint][] = [
      ['on_hand', onHand.get(k) ?? 0n, big(b?.on_hand)],
      ['reserved', reserved.get(k) ?? 0n, big(b?.reserved)],
    ];
    for (const [what, ledger, balance] of pairs)
      if (ledger !== balance)
        differences.push({
          what,
          product_id,
          warehouse_id,
          ledger: qty(ledger),
          balance: qty(balance),
        });
  }

  const perProduct = await db
    .selectFrom('stock_moves')
    .select([
      'product_id',
      sql<string>`sum(quantity)`.as('quantity'),
      sql<string>`sum(coalesce(value_minor, 0))`.as('value'),
    ])
    .groupBy('product_id')
    .execute();
  const valuation = new Map(
    (await db.selectFrom('stock_valuation').selectAll().execute()).map((v) => [v.product_id, v]),
  );
  const fromMoves = new Map(perProduct.map((p) => [p.product_id, p]));
  for (const product_id of new Set([...fromMoves.keys(), ...valuation.keys()])) {
    const m = fromMoves.get(product_id);
    const v = valuation.get(product_id);
    const q = big(m?.quantity);
    const value = big(m?.value);
    if (q !== big(v?.quantity))
      differences.push({
        what: 'valuation_quantity',
        product_id,
        warehouse_id: null,
        ledger: qty(q),
        balance: qty(big(v?.quantity)),
      });
    if (value !== big(v?.value_minor))
      differences.push({
        what: 'value',
        product_id,
        warehouse_id: null,
        ledger: value.toString(),
        balance: big(v?.value_minor).toString(),
      });
    if (q === 0n && value !== 0n)
      differences.push({
        what: 'value_at_zero',
        product_id,
        warehouse_id: null,
        ledger: value.toString(),
        balance: '0',
      });
  }
  const layers = await db
    .selectFrom('stock_layers')
    .select([
      'product_id',
      sql<string>`sum(quantity)`.as('quantity'),
      sql<string>`sum(value_minor)`.as('value'),
    ])
    .groupBy('product_id')
    .execute();
  for (const l of layers) {
    const v = valuation.get(l.product_id);
    if (big(l.quantity) !== big(v?.quantity))
      differences.push({
        what: 'layer_quantity',
        product_id: l.product_id,
        warehouse_id: null,
        ledger: qty(big(v?.quantity)),
        balance: qty(big(l.quantity)),
      });
    if (big(l.value) !== big(v?.value_minor))
      differences.push({
        what: 'layer_value',
        product_id: l.product_id,
        warehouse_id: null,
        ledger: big(v?.value_minor).toString(),
        balance: big(l.value).toString(),
      });
  }
  const products = meta?.find('products');
  if (products) {
    const negative = products.field('allow_negative_stock')?.column;
    const method = products.field('valuation_method')?.column;
    const rules = new Map(
      (
        await db
          .selectFrom(products.table)
          .select(['id', ...(negative ? [negative] : []), ...(method ? [method] : [])])
          .execute()
      ).map((r) => [
        r.id as string,
        {
          mayGoNegative: negative ? r[negative] === true || r[negative] === 1 : false,
          fifo: method ? r[method] === 'fifo' : false,
        },
      ]),
    );
    for (const b of balances) {
      if (rules.get(b.product_id)?.mayGoNegative) continue;
      const onHandNow = big(b.on_hand);
      const reservedNow = big(b.reserved);
      if (onHandNow < 0n)
        differences.push({
          what: 'negative',
          product_id: b.product_id,
          warehouse_id: b.warehouse_id,
          ledger: '0.000',
          balance: qty(onHandNow),
        });
      if (reservedNow > onHandNow)
        differences.push({
          what: 'over_reserved',
          product_id: b.product_id,
          warehouse_id: b.warehouse_id,
          ledger: qty(onHandNow),
          balance: qty(reservedNow),
        });
    }
    const layered = new Set(layers.map((l) => l.product_id));
    for (const [product_id, v] of valuation)
      if (rules.get(product_id)?.fifo && big(v.quantity) > 0n && !layered.has(product_id))
        differences.push({
          what: 'fifo_without_layers',
          product_id,
          warehouse_id: null,
          ledger: qty(big(v.quantity)),
          balance: '0.000',
        });
  }
  return { checked: kept.size, differences };
}
