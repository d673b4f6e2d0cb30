import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { nextDocumentNumber } from '../core/documents/numbering';
import { AppError, parseInput, validationError, type ErrorDetail } from '../core/errors';
import type { Flow, RecordContext } from '../core/kontor';
import { decimalToScaled } from '../core/metadata/money';
import { normaliseDatetime } from '../core/metadata/field-types';
import { assertCan } from '../core/permissions/scope';
import type { ApiRecord } from '../core/records/hooks';
import { loadRecord } from '../core/records/read';
import { createRecord, updateRecord } from '../core/records/write';
import { readContext } from '../http/context';
import { idempotentWrite } from '../http/idempotency';
import { activeWarehouse } from '../modules/inventory/stock-api';
import {
  postStock,
  releaseReservations,
  reservationsOf,
  reserveStock,
  stockLevels,
} from '../modules/inventory/ledger';
import {
  QUOTE,
  SALES_ORDER,
  changeDocument,
  linesOf,
  lockDocument,
  quantityText,
  refuseUnless,
  requireLines,
  scaled,
  toBaseUnit,
  toLineUnit,
  type DocumentKind,
} from '../modules/sales/documents';

/** Where an order's lines stand in stock, per line id, in the product's base unit. */
interface LineStock {
  line: ApiRecord;
  /** Its index in the order's lines, as error paths name it (`lines[0].quantity`). */
  index: number;
  stocked: boolean;
  base: bigint;
  shipped: bigint;
  reserved: bigint;
}

const ref = (orderId: string, lineId?: string) => ({
  object: SALES_ORDER.object,
  id: orderId,
  ...(lineId ? { lineId } : {}),
});

/** Which products hold stock: goods and kits do (a kit is sold from its assembled stock), services do not. */
async function stockedProducts(ctx: RecordContext, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const products = ctx.k.meta.get('products');
  const rows = (await ctx.db
    .selectFrom(products.table)
    .select(['id', 'kind'])
    .where('id', 'in', [...new Set(ids)])
    .execute()) as { id: string; kind: string | null }[];
  return new Set(rows.filter((r) => r.kind !== 'service').map((r) => r.id));
}

async function shippedOf(ctx: RecordContext, orderId: string): Promise<Map<string, bigint>> {
  const rows = (await ctx.db
    .selectFrom('shipment_lines as sl')
    .innerJoin('shipments as s', 's.id', 'sl.shipment_id')
    .select(['sl.order_line_id as line_id', 'sl.base_quantity as q'])
    .where('s.order_id', '=', orderId)
    .where('sl.deleted_at', 'is', null)
    .where('s.deleted_at', 'is', null)
    .execute()) as { line_id: string; q: string | number }[];
  const out = new Map<string, bigint>();
  for (const r of rows) out.set(r.line_id, (out.get(r.line_id) ?? 0n) + BigInt(r.q));
  return out;
}

async function orderStock(ctx: RecordContext, order: ApiRecord, lines: ApiRecord[]) {
  const stocked = await stockedProducts(
    ctx,
    lines.map((l) => String(l.product_id)),
  );
  const reserved = await reservationsOf(ctx, ref(order.id));
  const shipped = await shippedOf(ctx, order.id);
  return lines.map((line, index): LineStock => ({
    line,
    index,
    stocked: stocked.has(String(line.product_id)),
    base: scaled(line.base_quantity),
    shipped: shipped.get(line.id) ?? 0n,
    reserved: reserved.get(line.id) ?? 0n,
  }));
}

/**
 * Writes each line's shipped, reserved and backordered quantities as the ledger and the
 * shipments now have them, for an order in the given state.
 */
async function refreshLines(ctx: RecordContext, order: ApiRecord, status: string) {
  const lines = await linesOf(ctx, SALES_ORDER, order.id);
  const open = status === 'confirmed' || status === 'partly_shipped';
  const out: ApiRecord[] = [];
  for (const s of await orderStock(ctx, order, lines)) {
    const backorder =
      open && s.stocked && s.base > s.shipped + s.reserved ? s.base - s.shipped - s.reserved : 0n;
    out.push(
      await updateRecord(
        ctx,
        SALES_ORDER.lines,
        s.line.id,
        {
          shipped_quantity: quantityText(toLineUnit(s.shipped, s.line)),
          reserved_quantity: quantityText(toLineUnit(s.reserved, s.line)),
          backorder_quantity: quantityText(toLineUnit(backorder, s.line)),
        },
        { skipScope: true, options: { system: true } },
      ),
    );
  }
  return out;
}

/** The order's warehouse, which must be given and in use to reserve or ship from it. */
async function requireWarehouse(ctx: RecordContext, order: ApiRecord): Promise<string> {
  if (!order.warehouse_id)
    throw validationError([
      { path: 'warehouse_id', message: 'is required to reserve and ship stock' },
    ]);
  const warehouses = ctx.k.meta.get('warehouses');
  const row = (await ctx.db
    .selectFrom(warehouses.table)
    .select(['id', 'is_active'])
    .where('id', '=', String(order.warehouse_id))
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as { id: string; is_active: unknown } | undefined;
  if (!row) throw validationError([{ path: 'warehouse_id', message: 'no such warehouse' }]);
  if (row.is_active === false || row.is_active === 0)
    throw validationError([{ path: 'warehouse_id', message: 'is not active' }]);
  return row.id;
}

const confirmSchema = z.strictObject({
  backorder: z.boolean({ error: 'must be true or false' }).optional(),
});

/**
 * Confirms a draft order and reserves every stocked line in the order's warehouse. Strict by
 * default: when any line is short nothing is reserved and the answer lists each short line.
 * With backorder, what is there is reserved and the rest is recorded as backordered.
 */
export async function confirmOrder(ctx: RecordContext, id: string, body: unknown) {
  const input = parseInput(confirmSchema, body);
  const order = await lockDocument(ctx, SALES_ORDER, id);
  refuseUnless(SALES_ORDER, order, ['draft'], 'be confirmed');
  const lines = await linesOf(ctx, SALES_ORDER, order.id);
  requireLines(SALES_ORDER, lines);
  const warehouseId = await requireWarehouse(ctx, order);
  const stock = (await orderStock(ctx, order, lines)).filter((s) => s.stocked);
  if (stock.length)
    await reserveStock(
      ctx,
      stock.map((s) => ({
        productId: String(s.line.product_id),
        warehouseId,
        quantity: s.base,
        document: ref(order.id, s.line.id),
      })),
      { partial: input.backorder === true, paths: stock.map((s) => `lines[${s.index}].quantity`) },
    );
  const after = await changeDocument(ctx, SALES_ORDER, order, { status: 'confirmed' });
  return { sales_order: after, lines: await refreshLines(ctx, after, 'confirmed') };
}

/** Reserves what stock there now is for an open order's backordered lines (after a receipt). */
export async function reserveBackorders(ctx: RecordContext, id: string) {
  const order = await lockDocument(ctx, SALES_ORDER, id);
  refuseUnless(SALES_ORDER, order, ['confirmed', 'partly_shipped'], 'reserve stock');
  const warehouseId = await requireWarehouse(ctx, order);
  const lines = await linesOf(ctx, SALES_ORDER, order.id);
  const wanting = (await orderStock(ctx, order, lines)).filter(
    (s) => s.stocked && s.base > s.shipped + s.reserved,
  );
  if (wanting.length)
    await reserveStock(
      ctx,
      wanting.map((s) => ({
        productId: String(s.line.product_id),
        warehouseId,
        quantity: s.base - s.shipped - s.reserved,
        document: ref(order.id, s.line.id),
      })),
      { partial: true, paths: wanting.map((s) => `lines[${s.index}].quantity`) },
    );
  return { sales_order: order, lines: await refreshLines(ctx, order, String(order.status)) };
}

const shipSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        line_id: z.string({ error: 'must be the id of a line of this order' }),
        quantity: z.union([z.string(), z.number()], {
          error: 'must be a decimal number like 12.5',
        }),
      }),
    )
    .min(1, 'must list at least one line; leave it out to ship everything reserved')
    .max(1000, 'must list at most 1000 lines')
    .optional(),
  shipped_at: z
    .string({ error: 'must be an ISO 8601 instant like 2026-03-31T14:00:00Z' })
    .optional(),
});

interface ShipLine {
  stock: LineStock;
  /** In the line's unit. */
  quantity: bigint;
  base: bigint;
  /** Where an error about it points. */
  path: string;
}

/** What a shipment takes: the lines asked for, each within what is left to ship. */
function plannedLines(
  stock: LineStock[],
  asked: { line_id: string; quantity: string | number }[] | undefined,
): ShipLine[] {
  if (!asked) {
    // Everything reserved, and the services not yet delivered.
    return stock
      .filter((s) => (s.stocked ? s.reserved > 0n : s.base > s.shipped))
      .map((s) => {
        const base = s.stocked ? s.reserved : s.base - s.shipped;
        return {
          stock: s,
          base,
          quantity: toLineUnit(base, s.line),
          path: `lines[${s.index}].quantity`,
        };
      });
  }
  const errors: ErrorDetail[] = [];
  const planned: ShipLine[] = [];
  const seen = new Set<string>();
  asked.forEach((a, i) => {
    const s = stock.find((x) => x.line.id === a.line_id.toLowerCase());
    if (!s) {
      errors.push({ path: `lines[${i}].line_id`, message: 'is not a line of this order' });
      return;
    }
    if (seen.has(s.line.id)) {
      errors.push({ path: `lines[${i}].line_id`, message: 'is listed twice' });
      return;
    }
    seen.add(s.line.id);
    const q = decimalToScaled(String(a.quantity), 3);
    if (typeof q === 'string') {
      errors.push({ path: `lines[${i}].quantity`, message: q });
      return;
    }
    if (q <= 0n) {
      errors.push({ path: `lines[${i}].quantity`, message: 'must be more than zero' });
      return;
    }
    const ordered = scaled(s.line.quantity);
    const shipped = toLineUnit(s.shipped, s.line);
    if (q > ordered - shipped) {
      errors.push({
        path: `lines[${i}].quantity`,
        message: `is more than the ${quantityText(ordered - shipped)} left to ship (ordered ${quantityText(ordered)}, shipped ${quantityText(shipped)})`,
      });
      return;
    }
    const base = toBaseUnit(q, s.line);
    if (base === null) {
      errors.push({
        path: `lines[${i}].quantity`,
        message: 'is not a whole number of thousandths of the product’s base unit',
      });
      return;
    }
    // What is left is counted in the base unit too: a part shipped in a box's thousandths is
    // rounded in the line's unit, and must not let more than ordered go out.
    if (base > s.base - s.shipped) {
      errors.push({
        path: `lines[${i}].quantity`,
        message: `is more than is left to ship (${quantityText(s.base - s.shipped)} in the product’s base unit)`,
      });
      return;
    }
    planned.push({ stock: s, quantity: q, base, path: `lines[${i}].quantity` });
  });
  if (errors.length) throw validationError(errors);
  return planned;
}

/**
 * Ships from an open order: by default everything reserved, or the lines and quantities given,
 * each at most what is left to ship. Posts the shipment's stock moves (using up the lines'
 * reservations first), records the shipment and its lines, and moves the order to partly
 * shipped or shipped.
 */
export async function shipOrder(ctx: RecordContext, id: string, body: unknown) {
  const input = parseInput(shipSchema, body);
  let shippedAt = ctx.k.clock.now().toISOString();
  if (input.shipped_at !== undefined) {
    const at = normaliseDatetime(input.shipped_at);
    if (!at)
      throw validationError([
        {
          path: 'shipped_at',
          message: 'must be an ISO 8601 instant with a time zone, like 2026-03-31T14:00:00Z',
        },
      ]);
    if (at > shippedAt)
      throw validationError([{ path: 'shipped_at', message: 'must not be in the future' }]);
    shippedAt = at;
  }
  const order = await lockDocument(ctx, SALES_ORDER, id);
  refuseUnless(SALES_ORDER, order, ['confirmed', 'partly_shipped'], 'be shipped');
  const warehouseId = await requireWarehouse(ctx, order);
  // Stock leaves the warehouse: the same right (and scope) a manual move needs.
  await activeWarehouse(ctx, warehouseId, 'warehouse_id');
  const lines = await linesOf(ctx, SALES_ORDER, order.id);
  const stock = await orderStock(ctx, order, lines);
  const planned = plannedLines(stock, input.lines);
  if (planned.length === 0)
    throw new AppError(
      'conflict',
      `Nothing of the sales order ${String(order.number)} is reserved to ship; reserve it or name the lines to ship`,
      [{ path: 'lines', message: 'nothing is reserved' }],
      { code_detail: 'nothing_to_ship' },
    );

  const number = await nextDocumentNumber(ctx, 'SH');
  const goods = planned.filter((p) => p.stock.stocked);
  const posting = goods.length
    ? await postStock(
        ctx,
        'shipment',
        goods.map((p) => ({
          productId: String(p.stock.line.product_id),
          warehouseId,
          quantity: -p.base,
          document: ref(order.id, p.stock.line.id),
        })),
        {
          note: `${number} for ${String(order.number)}`,
          consumeReservations: true,
          occurredAt: shippedAt,
          paths: goods.map((p) => p.path),
        },
      )
    : null;
  const shipment = await createRecord(
    ctx,
    'shipments',
    {
      number,
      order_id: order.id,
      warehouse_id: warehouseId,
      shipped_at: shippedAt,
      posting_id: posting?.postingId ?? null,
    },
    { system: true },
  );
  const shipmentLines: ApiRecord[] = [];
  for (const p of planned)
    shipmentLines.push(
      await createRecord(
        ctx,
        'shipment_lines',
        {
          shipment_id: shipment.id,
          order_line_id: p.stock.line.id,
          product_id: p.stock.line.product_id,
          quantity: quantityText(p.quantity),
          base_quantity: quantityText(p.base),
        },
        { system: true },
      ),
    );

  const shippedNow = new Map(planned.map((p) => [p.stock.line.id, p.base]));
  const complete = stock.every((s) => s.shipped + (shippedNow.get(s.line.id) ?? 0n) >= s.base);
  const status = complete ? 'shipped' : 'partly_shipped';
  const after = await changeDocument(ctx, SALES_ORDER, order, { status, shipped_at: shippedAt });
  return {
    sales_order: after,
    lines: await refreshLines(ctx, after, status),
    shipment: { ...shipment, lines: shipmentLines },
  };
}

/** Cancels an order not yet fully shipped; its reservations are released, what shipped stays. */
export async function cancelOrder(ctx: RecordContext, id: string) {
  const order = await lockDocument(ctx, SALES_ORDER, id);
  refuseUnless(SALES_ORDER, order, ['draft', 'confirmed', 'partly_shipped'], 'be cancelled');
  await releaseReservations(ctx, ref(order.id));
  const after = await changeDocument(ctx, SALES_ORDER, order, { status: 'cancelled' });
  return { sales_order: after, lines: await refreshLines(ctx, after, 'cancelled') };
}

/**
 * What the warehouse can give each line of a quote or order: on hand, available (not reserved
 * by anyone), incoming, and the shortage. Lines of one product share what is available, in line
 * order, so two lines are checked as a whole. An open order's own reservations and shipments
 * already cover part of it; only the rest is needed. Figures are in the product's base unit.
 */
export async function availability(ctx: RecordContext, kind: DocumentKind, id: string) {
  const doc = await loadRecord(ctx, ctx.k.meta.get(kind.object), id);
  // Stock figures are the warehouse's: they need the right to read warehouses and products.
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  assertCan(ctx.actor, ctx.k.meta.get('products'), 'read');
  const lines = await linesOf(ctx, kind, doc.id);
  const warehouseId = doc.warehouse_id ? String(doc.warehouse_id) : undefined;
  const stocked = await stockedProducts(
    ctx,
    lines.map((l) => String(l.product_id)),
  );
  const productIds = [...new Set(lines.map((l) => String(l.product_id)))].filter((p) =>
    stocked.has(p),
  );
  const levels = await stockLevels(ctx, productIds, warehouseId);
  const isOrder = kind.object === SALES_ORDER.object;
  const covered = isOrder && doc.status !== 'draft' ? await orderStock(ctx, doc, lines) : null;
  const left = new Map(productIds.map((p) => [p, levels.get(p)?.available ?? 0n]));
  const data = lines.map((line, i) => {
    const productId = String(line.product_id);
    const base = scaled(line.base_quantity);
    const own = covered?.[i];
    const closed = isOrder && ['shipped', 'cancelled'].includes(String(doc.status));
    const needed = closed ? 0n : own ? base - own.shipped - own.reserved : base;
    const row = {
      line_id: line.id,
      position: line.position,
      product_id: productId,
      ordered: quantityText(base),
      shipped: own ? quantityText(own.shipped) : '0.000',
      reserved: own ? quantityText(own.reserved) : '0.000',
      stocked: stocked.has(productId),
    };
    if (!stocked.has(productId))
      return { ...row, on_hand: null, available: null, incoming: null, shortage: '0.000' };
    const level = levels.get(productId);
    const free = left.get(productId)! > 0n ? left.get(productId)! : 0n;
    const take = needed < free ? needed : free;
    left.set(productId, left.get(productId)! - take);
    return {
      ...row,
      on_hand: quantityText(level?.onHand ?? 0n),
      available: quantityText(level?.available ?? 0n),
      incoming: quantityText(level?.incoming ?? 0n),
      shortage: quantityText(needed > take ? needed - take : 0n),
    };
  });
  return { warehouse_id: warehouseId ?? null, data };
}

type IdParams = { id: string };

async function salesStockRoutes(app: FastifyInstance) {
  const orders = '/api/v1/sales_orders/:id';
  app.post<{ Params: IdParams }>(`${orders}/confirm`, async (request, reply) =>
    idempotentWrite(request, reply, 200, (ctx) =>
      confirmOrder(ctx, request.params.id, request.body),
    ),
  );
  app.post<{ Params: IdParams }>(`${orders}/reserve`, async (request, reply) =>
    idempotentWrite(request, reply, 200, (ctx) => reserveBackorders(ctx, request.params.id)),
  );
  app.post<{ Params: IdParams }>(`${orders}/ship`, async (request, reply) =>
    idempotentWrite(request, reply, 201, (ctx) => shipOrder(ctx, request.params.id, request.body)),
  );
  app.post<{ Params: IdParams }>(`${orders}/cancel`, async (request, reply) =>
    idempotentWrite(request, reply, 200, (ctx) => cancelOrder(ctx, request.params.id)),
  );
  for (const kind of [QUOTE, SALES_ORDER])
    app.get<{ Params: IdParams }>(`/api/v1/${kind.object}/:id/availability`, async (request) =>
      availability(readContext(request), kind, request.params.id),
    );
}

/** Sales orders reserving, shipping and releasing stock through the inventory ledger. */
export const salesStockFlow: Flow = {
  name: 'sales-stock',
  routes: salesStockRoutes,
};
