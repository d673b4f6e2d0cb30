import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, parseInput, validationError, type ErrorDetail } from '../core/errors';
import type { Flow, RecordContext } from '../core/kontor';
import { normaliseDatetime } from '../core/metadata/field-types';
import { decimalToScaled, scaledToDecimal } from '../core/metadata/money';
import type { ApiRecord } from '../core/records/hooks';
import { loadRecord } from '../core/records/read';
import { updateRecord } from '../core/records/write';
import { readContext } from '../http/context';
import { idempotentWrite } from '../http/idempotency';
import {
  postStock,
  releaseReservations,
  reservationsOf,
  reserveStock,
  stockLevels,
  type DocumentRef,
} from '../modules/inventory/ledger';
import { activeWarehouse } from '../modules/inventory/stock-api';
import { kitComponents } from '../modules/catalog/pricing';
import {
  BomStructureError,
  describeStructureError,
  explode,
  explodeBill,
  type ComponentNeed,
} from '../modules/production/explode';

/**
 * Production orders and stock: shortages before starting, confirming reserves the components,
 * completing consumes them and puts the goods made into the warehouse at exactly the value
 * consumed, cancelling releases what was reserved. A kit with no bill of materials is made
 * from its catalog components, which is why this is a flow and not the production module.
 */

const OBJECT = 'production_orders';
const QUANTITY_SCALE = 3;
const qty = (q: bigint) => scaledToDecimal(q, QUANTITY_SCALE);

function parseStoredQuantity(text: unknown): bigint {
  const q = decimalToScaled(String(text), QUANTITY_SCALE);
  if (typeof q === 'string') throw new Error(`stored quantity ${String(text)} is not a decimal`);
  return q;
}

const docOf = (orderId: string): DocumentRef => ({ object: OBJECT, id: orderId });
const lineDoc = (orderId: string, componentId: string): DocumentRef => ({
  object: OBJECT,
  id: orderId,
  lineId: componentId,
});

/** What a production order takes from stock: its bill exploded, or its kit's components. */
async function orderNeeds(ctx: RecordContext, order: ApiRecord): Promise<ComponentNeed[]> {
  const quantity = parseStoredQuantity(order.quantity);
  if (order.bom_id) return explode(ctx, String(order.bom_id), quantity);
  // A kit with no bill of materials: its catalog components, per one kit, are its bill.
  const productId = String(order.product_id);
  const components = await kitComponents(ctx, productId);
  try {
    return await explodeBill(
      ctx,
      {
        productId,
        outputQuantity: 1000n,
        lines: components.map((c) => ({ componentId: c.componentId, quantity: c.quantity })),
      },
      quantity,
    );
  } catch (err) {
    if (err instanceof BomStructureError)
      throw validationError([
        { path: 'product_id', message: await describeStructureError(ctx, err) },
      ]);
    throw err;
  }
}

async function productNames(ctx: RecordContext, ids: string[]) {
  if (!ids.length) return new Map<string, { name: string; sku: string | null }>();
  const rows = await ctx.db
    .selectFrom(ctx.k.meta.get('products').table)
    .select(['id', 'name', 'sku'])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [
      String(r.id),
      { name: String(r.name), sku: (r.sku as string | null) ?? null },
    ]),
  );
}

const HOLDING = new Set(['confirmed', 'in_progress']);

/** Per component: needed, reserved by this order, available to others, incoming, and short. */
export async function productionShortages(ctx: RecordContext, id: string) {
  const order = await loadRecord(ctx, ctx.k.meta.get(OBJECT), id);
  const warehouseId = String(order.warehouse_id);
  const held = HOLDING.has(String(order.status))
    ? await reservationsOf(ctx, docOf(order.id))
    : new Map<string, bigint>();
  // A confirmed order needs what it reserved; a draft what its bill says today.
  let needs: ComponentNeed[];
  if (HOLDING.has(String(order.status))) {
    // Listed in the bill's order, as far as the bill still has them.
    const billOrder = await orderNeeds(ctx, order).catch(() => [] as ComponentNeed[]);
    const rank = new Map(billOrder.map((n, i) => [n.componentId, i]));
    needs = [...held]
      .map(([componentId, quantity]) => ({ componentId, quantity }))
      .sort(
        (a, b) =>
          (rank.get(a.componentId) ?? rank.size) - (rank.get(b.componentId) ?? rank.size) ||
          (a.componentId < b.componentId ? -1 : 1),
      );
  } else needs = await orderNeeds(ctx, order);
  const ids = needs.map((n) => n.componentId);
  const levels = await stockLevels(ctx, ids, warehouseId);
  const names = await productNames(ctx, ids);
  const data = needs.map((n) => {
    const level = levels.get(n.componentId);
    const reserved = held.get(n.componentId) ?? 0n;
    const available = level?.available ?? 0n;
    const rest = n.quantity - reserved - available;
    return {
      component_id: n.componentId,
      name: names.get(n.componentId)?.name ?? null,
      sku: names.get(n.componentId)?.sku ?? null,
      needed: qty(n.quantity),
      reserved: qty(reserved),
      available: qty(available),
      incoming: qty(level?.incoming ?? 0n),
      short: qty(rest > 0n ? rest : 0n),
    };
  });
  return {
    production_order_id: order.id,
    status: order.status,
    warehouse_id: warehouseId,
    short: data.some((d) => d.short !== qty(0n)),
    data,
  };
}

/** Moves an order from one of the given states to the next, or says why it cannot. */
async function transition(
  ctx: RecordContext,
  id: string,
  from: string[],
  to: string,
  extra: Record<string, unknown> = {},
) {
  const order = await loadRecord(ctx, ctx.k.meta.get(OBJECT), id, { action: 'update' });
  if (!from.includes(String(order.status)))
    throw new AppError(
      'conflict',
      `The production order is ${String(order.status)}; it cannot be ${to === 'in_progress' ? 'started' : to}`,
      [{ path: 'status', message: `is ${String(order.status)}` }],
    );
  try {
    // The write is guarded by the version read above: of two actions on one order at once, one
    // wins and the other finds it changed and writes nothing.
    const after = await updateRecord(
      ctx,
      OBJECT,
      order.id,
      { status: to, ...extra },
      { expectedVersion: order.version, options: { system: true } },
    );
    return { before: order, after };
  } catch (err) {
    if (err instanceof AppError && err.code === 'version_mismatch')
      throw new AppError('conflict', 'The production order was changed meanwhile; reload it');
    throw err;
  }
}

/** Names each short component in a 409 from the ledger (its paths are components.<id>). */
async function nameShortages(ctx: RecordContext, err: unknown): Promise<never> {
  if (
    !(err instanceof AppError) ||
    err.code !== 'conflict' ||
    err.extra.code_detail !== 'insufficient_stock'
  )
    throw err;
  const ids = err.errors
    .map((e) => /^components\.(.+)$/.exec(e.path)?.[1])
    .filter((x): x is string => !!x);
  const names = await productNames(ctx, ids);
  const errors: ErrorDetail[] = err.errors.map((e) => {
    const id = /^components\.(.+)$/.exec(e.path)?.[1];
    const name = id ? names.get(id)?.name : undefined;
    return name ? { path: e.path, message: `${name}: ${e.message}` } : e;
  });
  throw new AppError('conflict', 'Not enough stock for the components', errors, err.extra);
}

/**
 * The one currency the components and the product are valued in (the company's when none has
 * a value yet): values in two currencies do not add up, so such an order is refused.
 */
async function valuationCurrency(ctx: RecordContext, productIds: string[]) {
  const rows = await ctx.db
    .selectFrom('stock_valuation')
    .select(['product_id', 'currency'])
    .where('product_id', 'in', productIds)
    .where('currency', 'is not', null)
    .execute();
  const currencies = [...new Set(rows.map((r) => String(r.currency)))].sort();
  if (currencies.length > 1)
    throw new AppError(
      'conflict',
      `The components and the product are valued in different currencies (${currencies.join(', ')}); their values cannot be added up`,
    );
  return currencies[0] ?? ctx.k.settings.currency;
}

/** Confirming reserves every component in the order's warehouse, all or nothing. */
export async function confirmProductionOrder(ctx: RecordContext, id: string) {
  const { before, after } = await transition(ctx, id, ['draft'], 'confirmed');
  const needs = await orderNeeds(ctx, before);
  if (!needs.length)
    throw validationError([
      {
        path: before.bom_id ? 'bom_id' : 'product_id',
        message: before.bom_id ? 'has no lines' : 'is a kit with no components',
      },
    ]);
  const warehouseId = String(before.warehouse_id);
  // Reserving moves no stock: like a sales order, it needs the right to change the order only;
  // completing, which moves stock, needs the warehouse's too.
  const warehouse = await ctx.db
    .selectFrom(ctx.k.meta.get('warehouses').table)
    .select('is_active')
    .where('id', '=', warehouseId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!warehouse || warehouse.is_active === false || warehouse.is_active === 0)
    throw validationError([{ path: 'warehouse_id', message: 'is not active' }]);
  await reserveStock(
    ctx,
    needs.map((n) => ({
      productId: n.componentId,
      warehouseId,
      quantity: n.quantity,
      document: lineDoc(before.id, n.componentId),
    })),
    { paths: needs.map((n) => `components.${n.componentId}`) },
  ).catch((err: unknown) => nameShortages(ctx, err));
  return after;
}

/** Starting only says the work began; the components stay reserved. */
export async function startProductionOrder(ctx: RecordContext, id: string) {
  return (await transition(ctx, id, ['confirmed'], 'in_progress')).after;
}

const completeSchema = z.strictObject({
  finished_at: z
    .string()
    .refine((s) => normaliseDatetime(s) !== null, {
      message: 'must be an ISO 8601 instant with a time zone, like 2026-03-31T14:00:00Z',
    })
    .optional(),
});

/**
 * Completing consumes the reserved components and puts the goods made into the warehouse at
 * their value: the sum of the values the consuming moves took, to the minor unit.
 */
export async function completeProductionOrder(ctx: RecordContext, id: string, body: unknown) {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const unknown = Object.keys(body).filter((k) => k !== 'finished_at');
    if (unknown.length)
      throw validationError(
        unknown.map((k) => ({ path: k, message: 'unknown field; give only finished_at' })),
      );
  }
  const input = parseInput(completeSchema, body);
  const now = ctx.k.clock.now().toISOString();
  const finishedAt = input.finished_at ? normaliseDatetime(input.finished_at)! : now;
  // The moves take effect when the work finished: stock value at an earlier instant leaves
  // them out. A finish still to come would count in balances before it counts in value.
  if (finishedAt > now)
    throw validationError([{ path: 'finished_at', message: 'must not be in the future' }]);
  const { before } = await transition(ctx, id, ['confirmed', 'in_progress'], 'done', {
    finished_at: finishedAt,
  });
  const warehouseId = String(before.warehouse_id);
  // Stock moves in the warehouse: the right (and scope) a manual posting needs there.
  await activeWarehouse(ctx, warehouseId, 'warehouse_id');
  const held = [...(await reservationsOf(ctx, docOf(before.id)))]
    .filter(([, q]) => q > 0n)
    .sort(([a], [b]) => a.localeCompare(b));
  if (!held.length)
    throw new AppError('conflict', 'The production order holds no reserved components');
  const out = await postStock(
    ctx,
    'production_out',
    held.map(([componentId, q]) => ({
      productId: componentId,
      warehouseId,
      quantity: -q,
      document: lineDoc(before.id, componentId),
    })),
    {
      consumeReservations: true,
      note: String(before.number ?? ''),
      occurredAt: finishedAt,
      paths: held.map(([componentId]) => `components.${componentId}`),
    },
  ).catch((err: unknown) => nameShortages(ctx, err));
  // Outgoing moves carry negative values; what was consumed is their sum, turned positive.
  // The goods made take exactly that value (one incoming leg with the value given), so the
  // stock's total value is the same before and after, to the minor unit.
  const consumed = -out.moves.reduce((sum, m) => sum + m.valueMinor, 0n);
  const productId = String(before.product_id);
  const currency = await valuationCurrency(ctx, [...held.map(([c]) => c), productId]);
  const quantity = parseStoredQuantity(before.quantity);
  await postStock(
    ctx,
    'production_in',
    [
      {
        productId,
        warehouseId,
        quantity,
        valueMinor: consumed,
        currency,
        document: docOf(before.id),
      },
    ],
    { note: String(before.number ?? ''), occurredAt: finishedAt },
  );
  return updateRecord(
    ctx,
    OBJECT,
    before.id,
    { produced_value: { amount_minor: Number(consumed), currency } },
    { options: { system: true } },
  );
}

/** Cancelling releases whatever the order reserved; a done order stays done. */
export async function cancelProductionOrder(ctx: RecordContext, id: string) {
  const { before, after } = await transition(
    ctx,
    id,
    ['draft', 'confirmed', 'in_progress'],
    'cancelled',
  );
  await releaseReservations(ctx, docOf(before.id));
  return after;
}

type IdParams = { id: string };

export const productionStockFlow: Flow = {
  name: 'production-stock',
  async routes(app: FastifyInstance) {
    const base = '/api/v1/production_orders/:id';
    app.get<{ Params: IdParams }>(`${base}/shortages`, async (request) =>
      productionShortages(readContext(request), request.params.id),
    );
    app.post<{ Params: IdParams }>(`${base}/confirm`, async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) => confirmProductionOrder(ctx, request.params.id)),
    );
    app.post<{ Params: IdParams }>(`${base}/start`, async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) => startProductionOrder(ctx, request.params.id)),
    );
    app.post<{ Params: IdParams }>(`${base}/complete`, async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) =>
        completeProductionOrder(ctx, request.params.id, request.body),
      ),
    );
    app.post<{ Params: IdParams }>(`${base}/cancel`, async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) => cancelProductionOrder(ctx, request.params.id)),
    );
  },
};
