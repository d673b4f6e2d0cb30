import { validationError, type ErrorDetail } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { RecordHooks } from '../../core/records/hooks';
import { assertSupplier, moneyOf, scaledOf, type Money } from './values';

/** A supplier's price is for a supplier, not negative, from a quantity of zero or more. */
export const supplierPriceRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create' && e.values.min_quantity === undefined) e.values.min_quantity = 0;
    const errors: ErrorDetail[] = [];
    const price = moneyOf(e.values.price);
    if (price && price.minor < 0n) errors.push({ path: 'price', message: 'must not be negative' });
    const min = scaledOf(e.values.min_quantity, 3);
    if (min !== null && min < 0n)
      errors.push({ path: 'min_quantity', message: 'must not be negative' });
    const lead = e.values.lead_time_days;
    if (typeof lead === 'number' && lead < 0)
      errors.push({ path: 'lead_time_days', message: 'must not be negative' });
    if (errors.length) throw validationError(errors);
    if (e.values.supplier_id !== undefined)
      await assertSupplier(ctx, e.values.supplier_id, 'supplier_id');
  },
};

export interface SupplierPrice {
  id: string;
  supplierId: string;
  price: Money;
  minQuantity: bigint;
  leadTimeDays: number | null;
  supplierSku: string | null;
}

/**
 * The best price for a quantity of a product: the lowest among the prices whose minimum
 * quantity the order reaches, from one supplier or any, in one currency or any (the
 * company's first, since prices in two currencies do not compare); the shorter lead time
 * breaks a tie. Null when no price applies.
 */
export async function bestSupplierPrice(
  ctx: RecordContext,
  productId: string,
  opts: { quantity: bigint; supplierId?: string; currency?: string },
): Promise<SupplierPrice | null> {
  let q = ctx.db
    .selectFrom('supplier_prices')
    .selectAll()
    .where('product_id', '=', productId)
    .where('deleted_at', 'is', null)
    .where('min_quantity', '<=', Number(opts.quantity));
  if (opts.supplierId) q = q.where('supplier_id', '=', opts.supplierId);
  if (opts.currency) q = q.where('price_currency', '=', opts.currency);
  const rows = (await q.execute()) as Record<string, unknown>[];
  const prices: SupplierPrice[] = rows
    .filter((r) => r.price_minor !== null && r.price_currency !== null)
    .map((r) => ({
      id: String(r.id),
      supplierId: String(r.supplier_id),
      price: { minor: BigInt(String(r.price_minor)), currency: String(r.price_currency) },
      minQuantity: BigInt(String(r.min_quantity ?? 0)),
      leadTimeDays: r.lead_time_days === null ? null : Number(r.lead_time_days),
      supplierSku: (r.supplier_sku as string | null) ?? null,
    }));
  const home = ctx.k.settings.currency;
  prices.sort(
    (a, b) =>
      Number(b.price.currency === home) - Number(a.price.currency === home) ||
      a.price.currency.localeCompare(b.price.currency) ||
      (a.price.minor < b.price.minor ? -1 : a.price.minor > b.price.minor ? 1 : 0) ||
      (a.leadTimeDays ?? Infinity) - (b.leadTimeDays ?? Infinity) ||
      a.id.localeCompare(b.id),
  );
  return prices[0] ?? null;
}
