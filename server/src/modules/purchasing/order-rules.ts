import { sql } from 'kysely';
import { lineAmounts } from '../../core/documents/amounts';
import { nextDocumentNumber } from '../../core/documents/numbering';
import { AppError, validationError, type ErrorDetail } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { isCurrencyCode } from '../../core/metadata/money';
import type { RecordHooks } from '../../core/records/hooks';
import { boolFromDb } from '../../db/column-types';
import { bestSupplierPrice } from './supplier-prices';
import { assertSupplier, moneyOf, moneyValue, scaledOf, valueAfter, type Money } from './values';

/** Fields of an order that are settled once it leaves draft. */
const DRAFT_ONLY = ['supplier_id', 'warehouse_id', 'currency', 'order_date'];

/**
 * A purchase order: numbered `PO-000001` and a draft when created, priced in one currency
 * (the company's unless given), for a company marked as a supplier. Its status moves only by
 * its actions (send, confirm, receive, cancel).
 */
export const purchaseOrderRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create') {
      e.values.status = 'draft';
      e.values.number = await nextDocumentNumber(ctx, 'PO');
      if (e.values.currency === undefined || e.values.currency === null)
        e.values.currency = ctx.k.settings.currency;
      if (e.values.order_date === undefined) e.values.order_date = today(ctx);
    }
    const currency = e.values.currency;
    if (currency !== undefined && (typeof currency !== 'string' || !isCurrencyCode(currency)))
      throw validationError([{ path: 'currency', message: 'must be an ISO 4217 code like EUR' }]);
    if (e.before && !e.options.system) {
      const status = e.before.status as string;
      const settled = DRAFT_ONLY.filter(
        (f) => e.values[f] !== undefined && e.values[f] !== e.before?.[f],
      );
      if (status !== 'draft' && settled.length)
        throw new AppError(
          'conflict',
          `The purchase order is ${status}; its supplier, warehouse, currency and date are settled`,
          settled.map((path) => ({ path, message: 'can change only while the order is a draft' })),
        );
      if (currency !== undefined && currency !== e.before.currency) {
        const lines = await linesOf(ctx, e.before.id);
        if (lines.length)
          throw validationError([
            {
              path: 'currency',
              message: `cannot change while the order has lines priced in ${String(e.before.currency)}`,
            },
          ]);
      }
    }
    const ordered = valueAfter(e.values, e.before, 'order_date');
    const expected = valueAfter(e.values, e.before, 'expected_date');
    if (typeof ordered === 'string' && typeof expected === 'string' && expected < ordered)
      throw validationError([
        { path: 'expected_date', message: `must not be before the order date, ${ordered}` },
      ]);
    if (e.values.supplier_id !== undefined)
      await assertSupplier(ctx, e.values.supplier_id, 'supplier_id');
  },
  async afterWrite(_ctx, e) {
    if (e.action !== 'delete') return;
    const status = e.before?.status;
    if (status !== 'draft' && status !== 'cancelled')
      throw new AppError(
        'conflict',
        `The purchase order is ${String(status)}; cancel it before deleting it`,
      );
  },
};

function today(ctx: RecordContext): string {
  return ctx.k.clock.now().toISOString().slice(0, 10);
}

async function linesOf(ctx: RecordContext, orderId: string) {
  return ctx.db
    .selectFrom('purchase_order_lines')
    .select(['id', 'position'])
    .where('order_id', '=', orderId)
    .where('deleted_at', 'is', null)
    .execute();
}

/** The order a line belongs to, as stored; undefined when there is none (the relation check says so). */
async function orderOf(ctx: RecordContext, orderId: string) {
  return (await ctx.db
    .selectFrom('purchase_orders')
    .select(['id', 'status', 'currency', 'supplier_id'])
    .where('id', '=', orderId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as
    { id: string; status: string; currency: string; supplier_id: string } | undefined;
}

/** The tax a line names: its rate in basis points and whether prices include it. */
export async function taxOf(ctx: RecordContext, taxId: string | null) {
  const none = { rate: 0n, included: false };
  if (!taxId || !ctx.k.meta.find('taxes')) return none;
  const row = (await ctx.db
    .selectFrom('taxes')
    .select(['rate', 'included'])
    .where('id', '=', taxId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as { rate: unknown; included: unknown } | undefined;
  if (!row) return none;
  return { rate: BigInt(String(row.rate ?? 0)), included: boolFromDb(row.included) };
}

/** The price a line takes when none is given: the supplier's, else the product's purchase price. */
async function defaultPrice(
  ctx: RecordContext,
  productId: string,
  supplierId: string,
  quantity: bigint,
  currency: string,
): Promise<Money | null> {
  const offer = await bestSupplierPrice(ctx, productId, { quantity, supplierId, currency });
  if (offer) return offer.price;
  const products = ctx.k.meta.find('products');
  if (!products?.field('purchase_price')) return null;
  const row = (await ctx.db
    .selectFrom('products')
    .select(['purchase_price_minor', 'purchase_price_currency'])
    .where('id', '=', productId)
    .executeTakeFirst()) as
    { purchase_price_minor: unknown; purchase_price_currency: string | null } | undefined;
  if (!row || row.purchase_price_minor === null || row.purchase_price_currency !== currency)
    return null;
  return { minor: BigInt(String(row.purchase_price_minor)), currency };
}

/**
 * A purchase order line changes only while its order is a draft (receiving counts what came in
 * through module code). Its quantity is more than zero, its price is in the order's currency
 * (the supplier's price when not given), and its net, tax and total are computed here by the
 * one rounding rule of every document.
 */
export const purchaseOrderLineRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    const { values, before } = e;
    if (before && values.order_id !== undefined && values.order_id !== before.order_id)
      throw validationError([{ path: 'order_id', message: 'a line stays on the order it is on' }]);
    const orderId = valueAfter(values, before, 'order_id') as string;
    const order = await orderOf(ctx, orderId);
    if (!order) return;
    if (order.status !== 'draft' && !e.options.system)
      throw new AppError(
        'conflict',
        `The purchase order is ${order.status}; its lines change only while it is a draft`,
        [{ path: 'order_id', message: `is ${order.status}, not a draft` }],
      );

    const errors: ErrorDetail[] = [];
    const quantity = scaledOf(valueAfter(values, before, 'quantity'), 3);
    if (values.quantity !== undefined && quantity !== null && quantity <= 0n)
      errors.push({ path: 'quantity', message: 'must be more than zero' });
    const discount = scaledOf(valueAfter(values, before, 'discount'), 2) ?? 0n;
    if (values.discount !== undefined && (discount < 0n || discount > 10_000n))
      errors.push({ path: 'discount', message: 'must be from 0 to 100' });
    const given = moneyOf(values.unit_price);
    if (given && given.currency !== order.currency)
      errors.push({
        path: 'unit_price.currency',
        message: `must be the order's currency, ${order.currency}`,
      });
    if (given && given.minor < 0n)
      errors.push({ path: 'unit_price', message: 'must not be negative' });
    if (errors.length) throw validationError(errors);
    if (typeof values.product_id === 'string') {
      const product = await ctx.db
        .selectFrom('products')
        .select('kind')
        .where('id', '=', values.product_id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (product?.kind === 'service')
        throw validationError([
          { path: 'product_id', message: 'is a service; a purchase order buys goods into stock' },
        ]);
    }

    if (e.action === 'create') {
      values.received_quantity = 0;
      if (values.position === undefined || values.position === null) {
        const row = await ctx.db
          .selectFrom('purchase_order_lines')
          .select(sql<number | null>`max(position)`.as('last'))
          .where('order_id', '=', orderId)
          .where('deleted_at', 'is', null)
          .executeTakeFirst();
        values.position = Number(row?.last ?? 0) + 1;
      }
      if (!values.description && typeof values.product_id === 'string') {
        const p = await ctx.db
          .selectFrom('products')
          .select('name')
          .where('id', '=', values.product_id)
          .executeTakeFirst();
        if (p?.name) values.description = String(p.name);
      }
    }

    const priced = ['quantity', 'unit_price', 'discount', 'tax_id'].some(
      (f) => values[f] !== undefined,
    );
    if (e.action === 'update' && !priced) return;
    let price = moneyOf(valueAfter(values, before, 'unit_price'));
    const productId = valueAfter(values, before, 'product_id');
    if (!price && quantity !== null && typeof productId === 'string') {
      price = await defaultPrice(ctx, productId, order.supplier_id, quantity, order.currency);
      if (!price)
        throw validationError([
          {
            path: 'unit_price',
            message: `is required: the supplier has no price in ${order.currency} for this product`,
          },
        ]);
      values.unit_price = moneyValue(price);
    }
    if (!price || quantity === null) return;
    const tax = await taxOf(ctx, valueAfter(values, before, 'tax_id') as string | null);
    const amounts = lineAmounts({
      quantity,
      unitPriceMinor: price.minor,
      discountBasisPoints: discount,
      taxRateBasisPoints: tax.rate,
      taxIncluded: tax.included,
    });
    if (amounts.totalMinor > BigInt(Number.MAX_SAFE_INTEGER))
      throw validationError([{ path: 'quantity', message: "makes the line's total too large" }]);
    const money = (minor: bigint) => moneyValue({ minor, currency: order.currency });
    values.net = money(amounts.netMinor);
    values.tax = money(amounts.taxMinor);
    values.total = money(amounts.totalMinor);
  },
  async afterWrite(ctx, e) {
    if (e.action !== 'delete' && e.action !== 'restore') return;
    const order = await orderOf(ctx, e.after.order_id as string);
    if (order && order.status !== 'draft')
      throw new AppError(
        'conflict',
        `The purchase order is ${order.status}; its lines change only while it is a draft`,
      );
  },
};
