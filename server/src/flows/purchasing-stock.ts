import { z } from 'zod';
import { lineAmounts } from '../core/documents/amounts';
import { AppError, parseInput, validationError, type ErrorDetail } from '../core/errors';
import type { Flow, RecordContext } from '../core/kontor';
import { normaliseDatetime } from '../core/metadata/field-types';
import {
  decimalToScaled,
  minorDigits,
  roundHalfEven,
  scaledToDecimal,
} from '../core/metadata/money';
import type { ApiRecord } from '../core/records/hooks';
import { createRecord, updateRecord, writeVersioned } from '../core/records/write';
import { idempotentWrite } from '../http/idempotency';
import { activeWarehouse } from '../modules/inventory/stock-api';
import {
  changeIncoming,
  parseQuantity,
  postStock,
  QUANTITY_SCALE,
} from '../modules/inventory/ledger';
import { loadOrderForUpdate, moveStatus } from '../modules/purchasing/order-actions';
import { taxOf } from '../modules/purchasing/order-rules';
import { moneyOf, scaledOf } from '../modules/purchasing/values';

/**
 * The purchase order actions that touch stock: confirming puts its lines on order (incoming),
 * cancelling takes off what is still on order, and receiving posts the goods into the order's
 * warehouse at their landed cost.
 */

const qty = (v: bigint) => scaledToDecimal(v, QUANTITY_SCALE);
const ordered = (line: ApiRecord) => scaledOf(line.quantity, QUANTITY_SCALE) ?? 0n;
const receivedSoFar = (line: ApiRecord) => scaledOf(line.received_quantity, QUANTITY_SCALE) ?? 0n;
/** What of a line is still on order: never below zero (an over-delivery ends it). */
const outstanding = (line: ApiRecord) => {
  const rest = ordered(line) - receivedSoFar(line);
  return rest > 0n ? rest : 0n;
};

/** Confirming a draft or sent order puts every line's quantity on order in its warehouse. */
export async function confirmOrder(ctx: RecordContext, id: string) {
  const { order, lines } = await loadOrderForUpdate(ctx, id);
  if ((order.status === 'draft' || order.status === 'sent') && lines.length === 0)
    throw new AppError('conflict', 'A purchase order without lines cannot be confirmed', [
      { path: 'lines', message: 'add at least one line first' },
    ]);
  const after = await moveStatus(ctx, order, ['draft', 'sent'], 'confirmed', 'confirmed');
  for (const line of lines)
    await changeIncoming(
      ctx,
      line.product_id as string,
      order.warehouse_id as string,
      ordered(line),
    );
  return after;
}

/** Cancelling takes off order what a confirmed order has not yet received. */
export async function cancelOrder(ctx: RecordContext, id: string) {
  const { order, lines } = await loadOrderForUpdate(ctx, id);
  const onOrder = order.status === 'confirmed' || order.status === 'partly_received';
  const after = await moveStatus(
    ctx,
    order,
    ['draft', 'sent', 'confirmed', 'partly_received'],
    'cancelled',
    'cancelled',
  );
  if (onOrder)
    for (const line of lines)
      await changeIncoming(
        ctx,
        line.product_id as string,
        order.warehouse_id as string,
        -outstanding(line),
      );
  return after;
}

const amountSchema = z.strictObject({
  amount: z.union([z.string(), z.number()]),
  currency: z.string(),
});

const receiveSchema = z.strictObject({
  lines: z
    .array(
      z.strictObject({
        line_id: z.string(),
        quantity: z.union([z.string(), z.number()]),
        unit_cost: amountSchema.optional(),
      }),
    )
    .min(1, 'must list at least one line; leave it out to receive everything outstanding')
    .max(1000, 'must have at most 1000 lines')
    .optional(),
  received_at: z.string().optional(),
  landed_costs: amountSchema.optional(),
});

/** An amount in the order's currency, in minor units; a 400 at `path` otherwise. */
function orderAmount(v: z.infer<typeof amountSchema>, path: string, currency: string) {
  if (v.currency !== currency)
    throw validationError([
      {
        path: `${path}.currency`,
        message: `must be ${currency}, the order's currency`,
      },
    ]);
  const minor = decimalToScaled(String(v.amount), minorDigits(currency));
  if (typeof minor === 'string')
    throw validationError([{ path: `${path}.amount`, message: minor }]);
  if (minor < 0n)
    throw validationError([{ path: `${path}.amount`, message: 'must not be negative' }]);
  return minor;
}

/**
 * Spreads an amount over weights in proportion, each share rounded half-even and the rounding
 * remainder put on the last, so the shares add up to the amount exactly. With no weight at all
 * the amount is spread by the fallback weights (quantities).
 */
export function spread(amount: bigint, weights: bigint[], fallback: bigint[]): bigint[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  const w = total > 0n ? weights : fallback;
  const sum = total > 0n ? total : fallback.reduce((a, b) => a + b, 0n);
  if (!w.length || sum === 0n) return w.map(() => 0n);
  const shares = w.map((x) => roundHalfEven(amount * x, sum));
  shares[shares.length - 1] = amount - shares.slice(0, -1).reduce((a, b) => a + b, 0n);
  return shares;
}

interface Receiving {
  line: ApiRecord;
  quantity: bigint;
  goodsMinor: bigint;
  path: string;
}

/**
 * Receives goods against a confirmed (or partly received) order into its warehouse: posts one
 * receipt posting with a move per line at its landed cost, takes the quantity off order,
 * writes the receipt, and reports per order line what was ordered and received, and what is
 * over or under. Over-delivery is allowed and reported. Without `lines`, everything still
 * outstanding is received.
 */
export async function receiveOrder(ctx: RecordContext, id: string, body: unknown) {
  const input = parseInput(receiveSchema, body);
  const { order, lines } = await loadOrderForUpdate(ctx, id);
  const status = order.status as string;
  if (status === 'draft' || status === 'sent' || status === 'cancelled')
    throw new AppError(
      'conflict',
      status === 'cancelled'
        ? 'A cancelled purchase order cannot be received'
        : `A ${status} purchase order cannot be received; confirm it first`,
      [{ path: 'status', message: `is ${status}; it must be confirmed or partly received` }],
    );
  // Stock takes the order's currency; the ledger refuses a product already valued in another
  // (Kontor keeps no exchange rates yet).
  const home = String(order.currency);
  let receivedAt = ctx.k.clock.now().toISOString();
  if (input.received_at !== undefined) {
    const at = normaliseDatetime(input.received_at);
    if (!at)
      throw validationError([
        {
          path: 'received_at',
          message: 'must be an ISO 8601 instant with a time zone, like 2026-03-31T14:00:00Z',
        },
      ]);
    if (at > receivedAt)
      throw validationError([{ path: 'received_at', message: 'must not be in the future' }]);
    receivedAt = at;
  }
  const landed = input.landed_costs ? orderAmount(input.landed_costs, 'landed_costs', home) : 0n;

  const receiving: Receiving[] = [];
  if (input.lines) {
    const errors: ErrorDetail[] = [];
    const seen = new Set<string>();
    for (const [i, item] of input.lines.entries()) {
      const path = `lines[${i}]`;
      const line = lines.find((l) => l.id === item.line_id.toLowerCase());
      if (!line) {
        errors.push({ path: `${path}.line_id`, message: 'is not a line of this purchase order' });
        continue;
      }
      if (seen.has(line.id)) {
        errors.push({ path: `${path}.line_id`, message: 'is listed twice' });
        continue;
      }
      seen.add(line.id);
      let quantity: bigint;
      try {
        quantity = parseQuantity(item.quantity, `${path}.quantity`);
      } catch (err) {
        if (err instanceof AppError) errors.push(...err.errors);
        continue;
      }
      if (quantity <= 0n) {
        errors.push({ path: `${path}.quantity`, message: 'must be more than zero' });
        continue;
      }
      let goodsMinor: bigint;
      if (item.unit_cost) {
        const unit = orderAmount(item.unit_cost, `${path}.unit_cost`, home);
        goodsMinor = roundHalfEven(quantity * unit, 1000n);
      } else goodsMinor = await goodsValue(ctx, line, quantity);
      receiving.push({ line, quantity, goodsMinor, path: `${path}.quantity` });
    }
    if (errors.length) throw validationError(errors);
  } else {
    for (const [i, line] of lines.entries()) {
      const quantity = outstanding(line);
      if (quantity > 0n)
        receiving.push({
          line,
          quantity,
          goodsMinor: await goodsValue(ctx, line, quantity),
          path: `lines[${i}].quantity`,
        });
    }
    if (!receiving.length)
      throw validationError([
        {
          path: 'lines',
          message: 'nothing is outstanding; list the lines and quantities received',
        },
      ]);
  }

  // The order is claimed first: a second receipt of it at the same moment waits, then gets 412.
  await writeVersioned(ctx, ctx.k.meta.get('purchase_orders'), order, {});
  const shares = spread(
    landed,
    receiving.map((r) => r.goodsMinor),
    receiving.map((r) => r.quantity),
  );
  const values = receiving.map((r, i) => r.goodsMinor + shares[i]);
  const unitCosts = receiving.map((r, i) => roundHalfEven(values[i] * 1000n, r.quantity));
  const warehouseId = order.warehouse_id as string;
  // Stock comes into the warehouse: the same right (and scope) a manual receipt needs.
  await activeWarehouse(ctx, warehouseId, 'warehouse_id');

  const receipt = await createRecord(
    ctx,
    'receipts',
    {
      purchase_order_id: order.id,
      warehouse_id: warehouseId,
      received_at: receivedAt,
      landed_costs: { amount_minor: Number(landed), currency: home },
    },
    { system: true },
  );
  const posted = await postStock(
    ctx,
    'receipt',
    receiving.map((r, i) => ({
      productId: r.line.product_id as string,
      warehouseId,
      quantity: r.quantity,
      unitCostMinor: unitCosts[i],
      currency: home,
      valueMinor: values[i],
      document: { object: 'purchase_orders', id: order.id, lineId: r.line.id },
    })),
    {
      note: `Receipt ${String(receipt.number)} of ${String(order.number)}`,
      paths: receiving.map((r) => r.path),
      occurredAt: receivedAt,
    },
  );

  for (const [i, r] of receiving.entries()) {
    const wasOutstanding = outstanding(r.line);
    const offOrder = r.quantity < wasOutstanding ? r.quantity : wasOutstanding;
    await changeIncoming(ctx, r.line.product_id as string, warehouseId, -offOrder);
    const total = receivedSoFar(r.line) + r.quantity;
    r.line = await updateRecord(
      ctx,
      'purchase_order_lines',
      r.line.id,
      { received_quantity: qty(total) },
      { options: { system: true }, skipScope: true },
    );
    await createRecord(
      ctx,
      'receipt_lines',
      {
        receipt_id: receipt.id,
        order_line_id: r.line.id,
        product_id: r.line.product_id,
        quantity: qty(r.quantity),
        unit_cost: { amount_minor: Number(unitCosts[i]), currency: home },
      },
      { system: true },
    );
  }
  const finalReceipt = await updateRecord(
    ctx,
    'receipts',
    receipt.id,
    { posting_id: posted.postingId },
    { options: { system: true }, skipScope: true },
  );

  const byId = new Map(receiving.map((r, i) => [r.line.id, { r, i }]));
  const current = lines.map((l) => byId.get(l.id)?.r.line ?? l);
  const complete = current.every((l) => receivedSoFar(l) >= ordered(l));
  const after = await updateRecord(
    ctx,
    'purchase_orders',
    order.id,
    { status: complete ? 'received' : 'partly_received' },
    { options: { system: true } },
  );
  return {
    order: after,
    receipt: finalReceipt,
    posting_id: posted.postingId,
    lines: current.map((l) => {
      const got = byId.get(l.id);
      const o = ordered(l);
      const rec = receivedSoFar(l);
      return {
        line_id: l.id,
        product_id: l.product_id,
        ordered: qty(o),
        received: qty(rec),
        received_now: qty(got ? got.r.quantity : 0n),
        over: qty(rec > o ? rec - o : 0n),
        under: qty(rec < o ? o - rec : 0n),
        unit_cost: got
          ? {
              amount_minor: Number(unitCosts[got.i]),
              currency: home,
              amount: scaledToDecimal(unitCosts[got.i], minorDigits(home)),
            }
          : null,
        value: got
          ? {
              amount_minor: Number(values[got.i]),
              currency: home,
              amount: scaledToDecimal(values[got.i], minorDigits(home)),
            }
          : null,
      };
    }),
  };
}

/**
 * What a received quantity of a line costs before landed costs: the line's unit price net of
 * its discount (and of tax, when the price includes it), rounded half-even once.
 */
async function goodsValue(ctx: RecordContext, line: ApiRecord, quantity: bigint) {
  const price = moneyOf(line.unit_price);
  if (!price) return 0n;
  const tax = await taxOf(ctx, (line.tax_id as string | null) ?? null);
  return lineAmounts({
    quantity,
    unitPriceMinor: price.minor,
    discountBasisPoints: scaledOf(line.discount, 2) ?? 0n,
    taxRateBasisPoints: tax.rate,
    taxIncluded: tax.included,
  }).netMinor;
}

type IdParams = { id: string };

export const purchasingStockFlow: Flow = {
  name: 'purchasing-stock',
  async routes(app) {
    app.post<{ Params: IdParams }>('/api/v1/purchase_orders/:id/confirm', async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) => confirmOrder(ctx, request.params.id)),
    );
    app.post<{ Params: IdParams }>('/api/v1/purchase_orders/:id/cancel', async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) => cancelOrder(ctx, request.params.id)),
    );
    app.post<{ Params: IdParams }>('/api/v1/purchase_orders/:id/receive', async (request, reply) =>
      idempotentWrite(request, reply, 201, (ctx) =>
        receiveOrder(ctx, request.params.id, request.body),
      ),
    );
  },
};
