import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, parseInput, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import {
  decimalToScaled,
  isCurrencyCode,
  minorDigits,
  roundHalfEven,
  scaledToDecimal,
} from '../../core/metadata/money';
import { isDate, normaliseDatetime } from '../../core/metadata/field-types';
import { assertCan, scopeCondition } from '../../core/permissions/scope';
import { loadRecord } from '../../core/records/read';
import { MAX_QUANTITY, QUANTITY_SCALE, parseQuantity, postStock, type StockLeg } from './ledger';

/** The stock ledger as the API shows it: manual moves, reversals, balances, moves, value. */

const postingSchema = z.strictObject({
  kind: z.enum(['receipt', 'adjustment', 'transfer'], {
    error: 'must be receipt, adjustment or transfer',
  }),
  product_id: z.string(),
  warehouse_id: z.string(),
  to_warehouse_id: z.string().optional(),
  quantity: z.union([z.string(), z.number()]),
  unit_cost: z.strictObject({ amount: z.string(), currency: z.string() }).optional(),
  note: z
    .string()
    .max(1000, 'must be at most 1000 characters')
    // eslint-disable-next-line no-control-regex
    .refine(
      (v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v),
      'contains control characters',
    )
    .optional(),
});

const big = (v: unknown) => BigInt(String(v ?? 0));
const qty = (v: bigint) => scaledToDecimal(v, QUANTITY_SCALE);
const money = (minor: bigint, currency: string | null) =>
  currency === null ? null : { amount: scaledToDecimal(minor, minorDigits(currency)), currency };

/** The product a move is for: one the caller may read, and goods (a service holds no stock). */
export async function stockedProduct(ctx: RecordContext, id: string, path: string) {
  const products = ctx.k.meta.get('products');
  if (!isId(id)) throw validationError([{ path, message: 'must be a record id (UUID)' }]);
  const product = await loadRecord(ctx, products, id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found')
      throw validationError([{ path, message: 'no such product' }]);
    throw err;
  });
  if (product.kind === 'service')
    throw validationError([{ path, message: 'is a service, which holds no stock' }]);
  return product;
}

/** A warehouse that takes stock: active, and one the caller may change (with its scope). */
export async function activeWarehouse(ctx: RecordContext, id: string, path: string) {
  const warehouses = ctx.k.meta.get('warehouses');
  if (!isId(id)) throw validationError([{ path, message: 'must be a record id (UUID)' }]);
  const warehouse = await loadRecord(ctx, warehouses, id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found')
      throw validationError([{ path, message: 'no such warehouse' }]);
    throw err;
  });
  if (warehouse.is_active === false) throw validationError([{ path, message: 'is not active' }]);
  await loadRecord(ctx, warehouses, id, { action: 'update' }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found')
      throw new AppError('forbidden', 'You may not move stock in this warehouse');
    throw err;
  });
  return warehouse;
}

/** A receipt, an adjustment or a transfer, as the API takes it. */
export async function postMove(ctx: RecordContext, body: unknown) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'update');
  const input = parseInput(postingSchema, body);
  const quantity = parseQuantity(input.quantity, 'quantity');
  if (quantity === 0n) throw validationError([{ path: 'quantity', message: 'must not be zero' }]);
  if (input.kind !== 'adjustment' && quantity < 0n)
    throw validationError([
      { path: 'quantity', message: 'must be more than zero; an adjustment may take stock away' },
    ]);
  const product = await stockedProduct(ctx, input.product_id, 'product_id');
  await activeWarehouse(ctx, input.warehouse_id, 'warehouse_id');
  let unitCostMinor: bigint | null = null;
  let currency: string | null = null;
  if (input.unit_cost) {
    if (input.kind === 'transfer' || quantity < 0n)
      throw validationError([
        { path: 'unit_cost', message: 'is given only for stock that comes in' },
      ]);
    currency = input.unit_cost.currency;
    if (!isCurrencyCode(currency))
      throw validationError([
        { path: 'unit_cost.currency', message: 'must be an ISO 4217 code like EUR' },
      ]);
    const minor = decimalToScaled(input.unit_cost.amount, minorDigits(currency));
    if (typeof minor === 'string')
      throw validationError([{ path: 'unit_cost.amount', message: minor }]);
    if (minor < 0n)
      throw validationError([{ path: 'unit_cost.amount', message: 'must not be negative' }]);
    if (minor > MAX_QUANTITY)
      throw validationError([{ path: 'unit_cost.amount', message: 'is too large' }]);
    unitCostMinor = minor;
  }
  const legs: StockLeg[] = [];
  const warehouseId = input.warehouse_id.toLowerCase();
  if (input.kind === 'transfer') {
    if (!input.to_warehouse_id)
      throw validationError([{ path: 'to_warehouse_id', message: 'is required for a transfer' }]);
    if (input.to_warehouse_id.toLowerCase() === warehouseId)
      throw validationError([
        { path: 'to_warehouse_id', message: 'must be another warehouse than warehouse_id' },
      ]);
    await activeWarehouse(ctx, input.to_warehouse_id, 'to_warehouse_id');
    legs.push(
      { productId: product.id, warehouseId, quantity: -quantity },
      { productId: product.id, warehouseId: input.to_warehouse_id.toLowerCase(), quantity },
    );
  } else if (input.to_warehouse_id !== undefined) {
    throw validationError([{ path: 'to_warehouse_id', message: 'is only for a transfer' }]);
  } else {
    legs.push({ productId: product.id, warehouseId, quantity, unitCostMinor, currency });
  }
  const { postingId } = await postStock(ctx, input.kind, legs, { note: input.note });
  return postingView(ctx, postingId);
}

/** Posts the opposite of an earlier posting, at the value it moved; once per posting. */
export async function reversePosting(ctx: RecordContext, postingId: string) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'update');
  if (!isId(postingId)) throw new AppError('not_found', 'No such stock posting');
  const id = postingId.toLowerCase();
  const moves = await ctx.db
    .selectFrom('stock_moves')
    .selectAll()
    .where('posting_id', '=', id)
    .orderBy('id')
    .execute();
  if (!moves.length) throw new AppError('not_found', 'No such stock posting');
  if (moves[0].kind === 'reversal')
    throw validationError([{ path: 'posting_id', message: 'is a reversal itself' }]);
  if (moves[0].document_id)
    throw new AppError(
      'conflict',
      `This posting belongs to ${moves[0].document_object} ${moves[0].document_id}; correct it there`,
    );
  const done = await ctx.db
    .selectFrom('stock_moves')
    .select('id')
    .where('reverses_posting_id', '=', id)
    .executeTakeFirst();
  if (done) throw new AppError('conflict', 'This posting is already reversed');
  // A reversal moves stock like any posting: the same products and warehouses must take it,
  // and the caller must be allowed to change each warehouse.
  for (const productId of new Set(moves.map((m) => m.product_id)))
    await stockedProduct(ctx, productId, 'product_id');
  for (const warehouseId of new Set(moves.map((m) => m.warehouse_id)))
    await activeWarehouse(ctx, warehouseId, 'warehouse_id');
  const legs: StockLeg[] = moves.map((m) => ({
    productId: m.product_id,
    warehouseId: m.warehouse_id,
    quantity: -big(m.quantity),
    // Stock that came in goes out at the value it brought; stock that went out comes back at
    // the value it took.
    valueMinor: -big(m.value_minor),
  }));
  try {
    const result = await postStock(ctx, 'reversal', legs, { reversesPostingId: id });
    return postingView(ctx, result.postingId);
  } catch (err) {
    // Two reversals at once: the unique index lets one through.
    if (err instanceof Error && /unique|duplicate/i.test(err.message))
      throw new AppError('conflict', 'This posting is already reversed');
    throw err;
  }
}

const instant = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

export function moveOut(m: Record<string, unknown>) {
  const currency = (m.currency as string | null) ?? null;
  return {
    id: m.id,
    posting_id: m.posting_id,
    kind: m.kind,
    product_id: m.product_id,
    warehouse_id: m.warehouse_id,
    quantity: qty(big(m.quantity)),
    unit_cost: m.unit_cost_minor === null ? null : money(big(m.unit_cost_minor), currency),
    value: money(big(m.value_minor), currency),
    document:
      m.document_id === null || m.document_id === undefined
        ? null
        : { object: m.document_object, id: m.document_id, line_id: m.document_line_id ?? null },
    reverses_posting_id: m.reverses_posting_id ?? null,
    note: m.note ?? null,
    occurred_at: instant(m.occurred_at),
    created_at: instant(m.created_at),
    created_by: m.created_by ?? null,
  };
}

function balanceOut(r: Record<string, unknown>) {
  const onHand = big(r.on_hand);
  const reserved = big(r.reserved);
  return {
    product_id: r.product_id,
    warehouse_id: r.warehouse_id,
    on_hand: qty(onHand),
    reserved: qty(reserved),
    available: qty(onHand - reserved),
    incoming: qty(big(r.incoming)),
  };
}

async function postingView(ctx: RecordContext, postingId: string) {
  const moves = await ctx.db
    .selectFrom('stock_moves')
    .selectAll()
    .where('posting_id', '=', postingId)
    .orderBy('id')
    .execute();
  const balances = await Promise.all(
    moves.map(async (m) =>
      balanceOut(
        (await ctx.db
          .selectFrom('stock_balances')
          .selectAll()
          .where('product_id', '=', m.product_id)
          .where('warehouse_id', '=', m.warehouse_id)
          .executeTakeFirst()) ?? {
          product_id: m.product_id,
          warehouse_id: m.warehouse_id,
        },
      ),
    ),
  );
  return { posting_id: postingId, moves: moves.map(moveOut), balances };
}

/**
 * Stock rows limited to products and warehouses the caller may read, by the one scoping
 * function: a reader of their own products sees their stock, not everyone's.
 */
function readableStock(
  ctx: RecordContext,
  outer: 'stock_balances' | 'stock_moves',
  withWarehouse = true,
) {
  const products = ctx.k.meta.get('products');
  const warehouses = ctx.k.meta.get('warehouses');
  const p = scopeCondition(ctx.actor, products, 'read', 'sp');
  const w = scopeCondition(ctx.actor, warehouses, 'read', 'sw');
  // Correlated, so each row looks up its own product and warehouse by primary key (an IN list
  // made SQLite read the whole catalogue on every call).
  const product = sql<boolean>`exists (select 1 from ${sql.table(products.table)} sp where sp.id = ${sql.ref(`${outer}.product_id`)} and sp.deleted_at is null${p ? sql` and ${p}` : sql``})`;
  if (!withWarehouse) return product;
  return sql<boolean>`${product} and exists (select 1 from ${sql.table(warehouses.table)} sw where sw.id = ${sql.ref(`${outer}.warehouse_id`)} and sw.deleted_at is null${w ? sql` and ${w}` : sql``})`;
}

function idParam(value: string, key: string) {
  if (!isId(value)) throw validationError([{ path: key, message: 'must be a record id (UUID)' }]);
  return value.toLowerCase();
}

/** Balances the caller may see, by product and/or warehouse. */
export async function listBalances(
  ctx: RecordContext,
  q: { product_id?: string; warehouse_id?: string },
) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  assertCan(ctx.actor, ctx.k.meta.get('products'), 'read');
  let query = ctx.db.selectFrom('stock_balances').selectAll();
  for (const key of ['product_id', 'warehouse_id'] as const) {
    const v = q[key];
    if (v !== undefined) query = query.where(key, '=', idParam(v, key));
  }
  if (q.product_id === undefined && q.warehouse_id === undefined)
    throw validationError([
      { path: 'product_id', message: 'give product_id, warehouse_id or both' },
    ]);
  const rows = await query
    .where(readableStock(ctx, 'stock_balances'))
    .orderBy('product_id')
    .orderBy('warehouse_id')
    .limit(5000)
    .execute();
  return { data: rows.map(balanceOut) };
}

/** The moves of a product (and warehouse), or of a document, newest first. */
export async function listMoves(
  ctx: RecordContext,
  q: {
    product_id?: string;
    warehouse_id?: string;
    document_object?: string;
    document_id?: string;
    limit?: string;
  },
) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  assertCan(ctx.actor, ctx.k.meta.get('products'), 'read');
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw validationError([{ path: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  let query = ctx.db.selectFrom('stock_moves').selectAll();
  if (q.document_id !== undefined) {
    const object = q.document_object ? ctx.k.meta.find(q.document_object) : undefined;
    if (!object)
      throw validationError([{ path: 'document_object', message: 'must name an object' }]);
    // Seeing a document's moves takes the right to read the document.
    await loadRecord(ctx, object, idParam(q.document_id, 'document_id'));
    query = query
      .where('document_object', '=', object.name)
      .where('document_id', '=', q.document_id.toLowerCase());
  } else {
    if (q.product_id === undefined)
      throw validationError([
        { path: 'product_id', message: 'give product_id, or document_object and document_id' },
      ]);
    query = query.where('product_id', '=', idParam(q.product_id, 'product_id'));
  }
  if (q.warehouse_id !== undefined)
    query = query.where('warehouse_id', '=', idParam(q.warehouse_id, 'warehouse_id'));
  const rows = await query
    .where(readableStock(ctx, 'stock_moves'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return { data: rows.map(moveOut) };
}

/**
 * What stock is worth: per product (quantity, value, average unit cost) now, or the totals per
 * currency at an instant, summed from the moves that took effect up to it.
 */
export async function stockValue(ctx: RecordContext, q: { product_id?: string; at?: string }) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  assertCan(ctx.actor, ctx.k.meta.get('products'), 'read');
  let at: string | null = null;
  if (q.at !== undefined) {
    // A date alone means the end of that day (UTC); an instant needs its zone.
    at = isDate(q.at) ? `${q.at}T23:59:59.999Z` : normaliseDatetime(q.at);
    if (at === null)
      throw validationError([
        {
          path: 'at',
          message: 'must be a date like 2026-03-31 or an instant like 2026-03-31T12:00:00Z',
        },
      ]);
  }
  let query = ctx.db
    .selectFrom('stock_moves')
    .select([
      'product_id',
      sql<string>`sum(quantity)`.as('quantity'),
      sql<string>`sum(value_minor)`.as('value'),
      sql<string | null>`max(currency)`.as('currency'),
    ])
    .where(readableStock(ctx, 'stock_moves', false))
    .groupBy('product_id');
  if (q.product_id !== undefined)
    query = query.where('product_id', '=', idParam(q.product_id, 'product_id'));
  if (at !== null) query = query.where('occurred_at', '<=', at);
  const rows = await query.execute();
  const totals = new Map<string, bigint>();
  const products = rows
    .filter((r) => big(r.quantity) !== 0n || big(r.value) !== 0n)
    .map((r) => {
      const quantity = big(r.quantity);
      const value = big(r.value);
      const currency = r.currency ?? ctx.k.settings.currency;
      totals.set(currency, (totals.get(currency) ?? 0n) + value);
      return {
        product_id: r.product_id,
        quantity: qty(quantity),
        value: money(value, currency),
        average_unit_cost:
          quantity > 0n ? money(roundHalfEven(value * 1000n, quantity), currency) : null,
      };
    });
  return {
    at,
    totals: [...totals.entries()].map(([currency, v]) => money(v, currency)),
    products: q.product_id !== undefined || products.length <= 1000 ? products : undefined,
  };
}
