import { validationError } from '../core/errors';
import type { Flow, RecordContext } from '../core/kontor';
import type { RecordHooks } from '../core/records/hooks';
import { resolveLine } from '../modules/catalog/pricing';
import { QUOTE, SALES_ORDER, type DocumentKind } from '../modules/sales/documents';
import { applyLineAmounts, decimalOf, merged } from '../modules/sales/line-rules';

interface PricingDocument {
  currency: string;
  company_id: string | null;
  price_list_id: string | null;
  day: string | null;
}

async function pricingDocument(
  ctx: RecordContext,
  kind: DocumentKind,
  id: unknown,
): Promise<PricingDocument | undefined> {
  const meta = ctx.k.meta.get(kind.object);
  return (await ctx.db
    .selectFrom(meta.table)
    .select(['currency', 'company_id', 'price_list_id', `${kind.dateField} as day`])
    .where('id', '=', String(id))
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as PricingDocument | undefined;
}

/** A tax's rate (basis points) and whether prices include it, read by the object's name. */
async function taxOf(ctx: RecordContext, id: string) {
  const taxes = ctx.k.meta.get('taxes');
  const row = (await ctx.db
    .selectFrom(taxes.table)
    .select(['rate', 'included'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as { rate: unknown; included: unknown } | undefined;
  if (!row) return undefined;
  return { rate: Number(row.rate ?? 0), included: row.included === true || row.included === 1 };
}

const changed = (e: Parameters<NonNullable<RecordHooks['beforeWrite']>>[1], name: string) =>
  e.values[name] !== undefined && e.values[name] !== (e.before?.[name] ?? null);

/**
 * Prices a quote or order line from the catalog (modules/catalog/pricing.ts resolveLine): the
 * quantity in the product's base unit (exact, or a 400), the unit price from the document's price
 * list or the customer's, else the product's own price, and the product's tax, copied onto the
 * line. A price or tax given on the line wins; a new product or unit prices the line again.
 */
function linePricing(kind: DocumentKind): RecordHooks {
  return {
    async beforeWrite(ctx, e) {
      const product = changed(e, 'product_id');
      const unit = changed(e, 'unit_id');
      const tax = changed(e, 'tax_id');
      if (e.action === 'update' && !product && !unit && !tax && e.values.quantity === undefined)
        return;
      const doc = await pricingDocument(ctx, kind, merged(e, kind.via));
      if (!doc) return;
      const resolved = await resolveLine(ctx, {
        productId: String(merged(e, 'product_id')),
        unitId: (merged(e, 'unit_id') as string | null | undefined) ?? null,
        quantity: decimalOf(e, 'quantity', 3),
        currency: doc.currency,
        companyId: doc.company_id,
        priceListId: doc.price_list_id,
        at: doc.day ?? undefined,
      });
      e.values.base_quantity = Number(resolved.baseQuantity);
      const fresh = e.action === 'create' || product;
      if (fresh && e.values.unit_id === undefined) e.values.unit_id = resolved.unitId;
      if (e.values.unit_price === undefined && (fresh || unit)) {
        if (resolved.unitPriceMinor === null)
          throw validationError([
            {
              path: 'unit_price',
              message: `is required: the product has no price in ${doc.currency}`,
            },
          ]);
        e.values.unit_price = { minor: Number(resolved.unitPriceMinor), currency: doc.currency };
      }
      // Module code (a conversion) copies a line's tax as it was; a person's choice is priced now.
      if (tax && e.values.tax_id !== null && !e.options.system) {
        const t = await taxOf(ctx, String(e.values.tax_id));
        if (t) {
          e.values.tax_rate = t.rate;
          e.values.tax_included = t.included;
        }
      } else if (fresh && e.values.tax_id === undefined && !e.options.system) {
        e.values.tax_id = resolved.taxId;
        e.values.tax_rate = Number(resolved.taxRateBasisPoints);
        e.values.tax_included = resolved.taxIncluded;
      }
      applyLineAmounts(e);
    },
  };
}

/** Quote and order lines priced by the catalog. */
export const salesCatalogFlow: Flow = {
  name: 'sales-catalog',
  hooks: { quote_lines: linePricing(QUOTE), sales_order_lines: linePricing(SALES_ORDER) },
};
