import { sql } from 'kysely';
import { z } from 'zod';
import { actorId } from '../../core/actor';
import { writeAudit } from '../../core/audit/audit-log';
import { isoNow } from '../../core/clock';
import { AppError, validationError, type ErrorDetail, parseInput } from '../../core/errors';
import { isId, newId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import {
  decimalToScaled,
  isCurrencyCode,
  minorDigits,
  scaledToDecimal,
} from '../../core/metadata/money';
import { assertCan, scopeCondition } from '../../core/permissions/scope';
import { loadRecord } from '../../core/records/read';

/** Quantities are kept in thousandths of the product's unit: exact, never binary fractions. */
export const QUANTITY_SCALE = 3;
/**
 * The most a posting may move, and the most a balance may hold, either way: a trillion units
 * (in thousandths, 10^15, well inside what both databases and JavaScript count exactly).
 */
export const MAX_QUANTITY = 10n ** 15n;

export type MoveKind = 'receipt' | 'adjustment' | 'transfer' | 'reversal';

/** One row a posting writes: a product in a warehouse, the quantity signed. */
interface Leg {
  productId: string;
  warehouseId: string;
  quantity: bigint;
  unitCostMinor: bigint | null;
  currency: string | null;
}

const postingSchema = z.strictObject({
  kind: z.enum(['receipt', 'adjustment', 'transfer'], {
    error: 'must be receipt, adjustment or transfer',
  }),
  product_id: z.string(),
  warehouse_id: z.string(),
  to_warehouse_id: z.string().optional(),
  quantity: z.union([z.string(), z.number()]),
  unit_cost: z.strictObject({ amount: z.string(), currency: z.string() }).optional(),
  note: z.string().max(1000, 'must be at most 1000 characters').optional(),
});

const big = (v: unknown) => BigInt(String(v));

/** A quantity as a person wrote it ("12.5"), in thousandths; an error names the field. */
export function parseQuantity(value: string | number, path: string): bigint {
  const scaled = decimalToScaled(String(value), QUANTITY_SCALE);
  if (typeof scaled === 'string') throw validationError([{ path, message: scaled }]);
  if (scaled > MAX_QUANTITY || -scaled > MAX_QUANTITY)
    throw validationError([{ path, message: 'must be at most 1000000000000 (a trillion)' }]);
  return scaled;
}

/** The product a move is for: one the caller may read, and goods (a service holds no stock). */
async function stockedProduct(ctx: RecordContext, id: string, path: string) {
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

async function activeWarehouse(ctx: RecordContext, id: string, path: string) {
  const warehouses = ctx.k.meta.get('warehouses');
  if (!isId(id)) throw validationError([{ path, message: 'must be a record id (UUID)' }]);
  const warehouse = await loadRecord(ctx, warehouses, id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found')
      throw validationError([{ path, message: 'no such warehouse' }]);
    throw err;
  });
  if (warehouse.is_active === false) throw validationError([{ path, message: 'is not active' }]);
  // Moving stock changes the warehouse: the caller's update right (and its scope) must cover it.
  await loadRecord(ctx, warehouses, id, { action: 'update' }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found')
      throw new AppError('forbidden', 'You may not move stock in this warehouse');
    throw err;
  });
  return warehouse;
}

/**
 * Writes a posting's legs and moves the balances with them, in the caller's transaction.
 * Balances are taken in one order (product, then warehouse), so two postings never wait on each
 * other crosswise; each is moved by a guarded update that matches no row when it would take
 * the balance below zero (unless the product allows that), so of two postings for the last
 * unit exactly one succeeds, on SQLite and on PostgreSQL, from any number of server processes.
 */
async function post(
  ctx: RecordContext,
  kind: MoveKind,
  legs: Leg[],
  extra: { note?: string | null; reversesPostingId?: string | null; allowNegative: Set<string> },
) {
  const postingId = newId();
  const now = isoNow(ctx.k.clock);
  const sums = new Map<string, { productId: string; warehouseId: string; quantity: bigint }>();
  for (const l of legs) {
    const key = `${l.productId}|${l.warehouseId}`;
    const cur = sums.get(key) ?? {
      productId: l.productId,
      warehouseId: l.warehouseId,
      quantity: 0n,
    };
    cur.quantity += l.quantity;
    sums.set(key, cur);
  }
  const ordered = [...sums.values()].sort((a, b) =>
    a.productId === b.productId
      ? a.warehouseId.localeCompare(b.warehouseId)
      : a.productId.localeCompare(b.productId),
  );
  const shortages: ErrorDetail[] = [];
  for (const s of ordered) {
    await ctx.db
      .insertInto('stock_balances')
      .values({ product_id: s.productId, warehouse_id: s.warehouseId, on_hand: 0, updated_at: now })
      .onConflict((oc) => oc.columns(['product_id', 'warehouse_id']).doNothing())
      .execute();
    const q = s.quantity.toString();
    const mayGoNegative = extra.allowNegative.has(s.productId);
    const max = MAX_QUANTITY.toString();
    // The balance stays within what the ledger counts exactly, and above zero unless allowed.
    const result = await ctx.db
      .updateTable('stock_balances')
      .set({ on_hand: sql`on_hand + ${sql.raw(q)}`, updated_at: now })
      .where('product_id', '=', s.productId)
      .where('warehouse_id', '=', s.warehouseId)
      .where(
        mayGoNegative
          ? sql<boolean>`on_hand + ${sql.raw(q)} between -${sql.raw(max)} and ${sql.raw(max)}`
          : sql<boolean>`on_hand + ${sql.raw(q)} between 0 and ${sql.raw(max)}`,
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) continue;
    const row = await ctx.db
      .selectFrom('stock_balances')
      .select('on_hand')
      .where('product_id', '=', s.productId)
      .where('warehouse_id', '=', s.warehouseId)
      .executeTakeFirst();
    const had = big(row?.on_hand ?? 0);
    shortages.push(
      had + s.quantity > MAX_QUANTITY || had + s.quantity < -MAX_QUANTITY
        ? { path: 'quantity', message: 'would take the balance past a trillion units' }
        : {
            path: 'quantity',
            message: `only ${scaledToDecimal(had, QUANTITY_SCALE)} on hand; ${scaledToDecimal(-s.quantity, QUANTITY_SCALE)} needed`,
          },
    );
  }
  // Nothing of a refused posting stays: the transaction rolls back with the error.
  if (shortages.length)
    throw new AppError('conflict', 'Not enough stock on hand', shortages, {
      code_detail: 'insufficient_stock',
    });
  const rows = legs.map((l) => ({
    id: newId(),
    posting_id: postingId,
    kind,
    product_id: l.productId,
    warehouse_id: l.warehouseId,
    quantity: l.quantity.toString(),
    unit_cost_minor: l.unitCostMinor === null ? null : l.unitCostMinor.toString(),
    currency: l.currency,
    reverses_posting_id: extra.reversesPostingId ?? null,
    note: extra.note ?? null,
    created_at: now,
    created_by: actorId(ctx.actor),
  }));
  await ctx.db.insertInto('stock_moves').values(rows).execute();
  for (const r of rows)
    await writeAudit(ctx, {
      object: 'stock_moves',
      recordId: r.id,
      action: 'create',
      changes: {
        kind: [null, kind],
        product_id: [null, r.product_id],
        warehouse_id: [null, r.warehouse_id],
        quantity: [null, scaledToDecimal(big(r.quantity), QUANTITY_SCALE)],
      },
    });
  return postingId;
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
  const legs: Leg[] = [];
  if (input.kind === 'transfer') {
    if (!input.to_warehouse_id)
      throw validationError([{ path: 'to_warehouse_id', message: 'is required for a transfer' }]);
    if (input.to_warehouse_id.toLowerCase() === input.warehouse_id.toLowerCase())
      throw validationError([
        { path: 'to_warehouse_id', message: 'must be another warehouse than warehouse_id' },
      ]);
    await activeWarehouse(ctx, input.to_warehouse_id, 'to_warehouse_id');
    legs.push(
      {
        productId: product.id,
        warehouseId: input.warehouse_id.toLowerCase(),
        quantity: -quantity,
        unitCostMinor,
        currency,
      },
      {
        productId: product.id,
        warehouseId: input.to_warehouse_id.toLowerCase(),
        quantity,
        unitCostMinor,
        currency,
      },
    );
  } else if (input.to_warehouse_id !== undefined) {
    throw validationError([{ path: 'to_warehouse_id', message: 'is only for a transfer' }]);
  } else {
    legs.push({
      productId: product.id,
      warehouseId: input.warehouse_id.toLowerCase(),
      quantity,
      unitCostMinor,
      currency,
    });
  }
  const allowNegative = new Set(product.allow_negative_stock === true ? [product.id] : []);
  const postingId = await post(ctx, input.kind, legs, { note: input.note, allowNegative });
  return postingView(ctx, postingId);
}

/** Posts the opposite of an earlier posting; a posting is reversed at most once. */
export async function reversePosting(ctx: RecordContext, postingId: string) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'update');
  if (!isId(postingId)) throw new AppError('not_found', 'No such stock posting');
  const moves = await ctx.db
    .selectFrom('stock_moves')
    .selectAll()
    .where('posting_id', '=', postingId.toLowerCase())
    .execute();
  if (!moves.length) throw new AppError('not_found', 'No such stock posting');
  if (moves[0].kind === 'reversal')
    throw validationError([{ path: 'posting_id', message: 'is a reversal itself' }]);
  const done = await ctx.db
    .selectFrom('stock_moves')
    .select('id')
    .where('reverses_posting_id', '=', postingId.toLowerCase())
    .executeTakeFirst();
  if (done) throw new AppError('conflict', 'This posting is already reversed');
  // A reversal moves stock like any posting: the same products and warehouses must take it,
  // and the caller must be allowed to change each warehouse.
  const allowNegative = new Set<string>();
  for (const productId of new Set(moves.map((m) => m.product_id))) {
    const p = await stockedProduct(ctx, productId, 'product_id');
    if (p.allow_negative_stock === true) allowNegative.add(p.id);
  }
  for (const warehouseId of new Set(moves.map((m) => m.warehouse_id)))
    await activeWarehouse(ctx, warehouseId, 'warehouse_id');
  const legs: Leg[] = moves.map((m) => ({
    productId: m.product_id,
    warehouseId: m.warehouse_id,
    quantity: -big(m.quantity),
    unitCostMinor: m.unit_cost_minor === null ? null : big(m.unit_cost_minor),
    currency: m.currency,
  }));
  try {
    const id = await post(ctx, 'reversal', legs, {
      reversesPostingId: postingId.toLowerCase(),
      allowNegative,
    });
    return postingView(ctx, id);
  } catch (err) {
    // Two reversals at once: the unique index lets one through.
    if (err instanceof Error && /unique|duplicate/i.test(err.message))
      throw new AppError('conflict', 'This posting is already reversed');
    throw err;
  }
}

function moveOut(m: Record<string, unknown>) {
  return {
    id: m.id,
    posting_id: m.posting_id,
    kind: m.kind,
    product_id: m.product_id,
    warehouse_id: m.warehouse_id,
    quantity: scaledToDecimal(big(m.quantity), QUANTITY_SCALE),
    unit_cost:
      m.unit_cost_minor === null || m.currency === null
        ? null
        : {
            amount: scaledToDecimal(big(m.unit_cost_minor), minorDigits(String(m.currency))),
            currency: m.currency,
          },
    reverses_posting_id: m.reverses_posting_id ?? null,
    note: m.note ?? null,
    created_at: m.created_at instanceof Date ? m.created_at.toISOString() : m.created_at,
    created_by: m.created_by ?? null,
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
    moves.map((m) => balanceOf(ctx, m.product_id, m.warehouse_id)),
  );
  return { posting_id: postingId, moves: moves.map(moveOut), balances };
}

async function balanceOf(ctx: RecordContext, productId: string, warehouseId: string) {
  const row = await ctx.db
    .selectFrom('stock_balances')
    .select(['on_hand'])
    .where('product_id', '=', productId)
    .where('warehouse_id', '=', warehouseId)
    .executeTakeFirst();
  return {
    product_id: productId,
    warehouse_id: warehouseId,
    on_hand: scaledToDecimal(big(row?.on_hand ?? 0), QUANTITY_SCALE),
  };
}

/**
 * Stock rows limited to products and warehouses the caller may read, by the one scoping
 * function: a reader of their own products sees their stock, not everyone's.
 */
function readableStock(ctx: RecordContext) {
  const products = ctx.k.meta.get('products');
  const warehouses = ctx.k.meta.get('warehouses');
  const p = scopeCondition(ctx.actor, products, 'read');
  const w = scopeCondition(ctx.actor, warehouses, 'read');
  return sql<boolean>`product_id in (select id from ${sql.table(products.table)} where deleted_at is null${p ? sql` and ${p}` : sql``}) and warehouse_id in (select id from ${sql.table(warehouses.table)} where deleted_at is null${w ? sql` and ${w}` : sql``})`;
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
    if (v === undefined) continue;
    if (!isId(v)) throw validationError([{ path: key, message: 'must be a record id (UUID)' }]);
    query = query.where(key, '=', v.toLowerCase());
  }
  if (q.product_id === undefined && q.warehouse_id === undefined)
    throw validationError([
      { path: 'product_id', message: 'give product_id, warehouse_id or both' },
    ]);
  const rows = await query
    .where(readableStock(ctx))
    .orderBy('product_id')
    .orderBy('warehouse_id')
    .limit(5000)
    .execute();
  return {
    data: rows.map((r) => ({
      product_id: r.product_id,
      warehouse_id: r.warehouse_id,
      on_hand: scaledToDecimal(big(r.on_hand), QUANTITY_SCALE),
    })),
  };
}

/** The moves of a product (and warehouse), newest first. */
export async function listMoves(
  ctx: RecordContext,
  q: { product_id?: string; warehouse_id?: string; limit?: string },
) {
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  assertCan(ctx.actor, ctx.k.meta.get('products'), 'read');
  if (q.product_id === undefined || !isId(q.product_id))
    throw validationError([{ path: 'product_id', message: 'must be a record id (UUID)' }]);
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw validationError([{ path: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  let query = ctx.db
    .selectFrom('stock_moves')
    .selectAll()
    .where('product_id', '=', q.product_id.toLowerCase());
  if (q.warehouse_id !== undefined) {
    if (!isId(q.warehouse_id))
      throw validationError([{ path: 'warehouse_id', message: 'must be a record id (UUID)' }]);
    query = query.where('warehouse_id', '=', q.warehouse_id.toLowerCase());
  }
  const rows = await query
    .where(readableStock(ctx))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return { data: rows.map(moveOut) };
}

/**
 * Every balance recomputed from the moves and compared with the one kept. An empty answer means
 * the ledger and the balances agree.
 */
export async function verifyStock(db: RecordContext['db']) {
  const sums = await db
    .selectFrom('stock_moves')
    .select(['product_id', 'warehouse_id', sql<string>`sum(quantity)`.as('total')])
    .groupBy(['product_id', 'warehouse_id'])
    .execute();
  const kept = await db.selectFrom('stock_balances').selectAll().execute();
  const keyOf = (p: string, w: string) => `${p}|${w}`;
  const fromMoves = new Map(
    sums.map((s) => [keyOf(s.product_id, s.warehouse_id), big(s.total ?? 0)]),
  );
  const fromBalances = new Map(
    kept.map((b) => [keyOf(b.product_id, b.warehouse_id), big(b.on_hand)]),
  );
  const differences: {
    product_id: string;
    warehouse_id: string;
    ledger: string;
    balance: string;
  }[] = [];
  for (const key of new Set([...fromMoves.keys(), ...fromBalances.keys()])) {
    const ledger = fromMoves.get(key) ?? 0n;
    const balance = fromBalances.get(key) ?? 0n;
    if (ledger === balance) continue;
    const [product_id, warehouse_id] = key.split('|');
    differences.push({
      product_id,
      warehouse_id,
      ledger: scaledToDecimal(ledger, QUANTITY_SCALE),
      balance: scaledToDecimal(balance, QUANTITY_SCALE),
    });
  }
  return { checked: fromMoves.size, differences };
}
