import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, parseInput, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import { decimalToScaled, minorDigits, scaledToDecimal } from '../../core/metadata/money';
import { assertCan } from '../../core/permissions/scope';
import { loadRecord } from '../../core/records/read';
import { readContext } from '../../http/context';
import { resolveLine } from './pricing';

const priceQuery = z.strictObject({
  product_id: z.string(),
  quantity: z.string().optional(),
  unit_id: z.string().optional(),
  currency: z.string().optional(),
  company_id: z.string().optional(),
  price_list_id: z.string().optional(),
  at: z.string().optional(),
});

function idOrFail(v: string | undefined, path: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (!isId(v)) throw validationError([{ path, message: 'must be a record id (UUID)' }]);
  return v.toLowerCase();
}

/** A trillion units, in thousandths: as far as the stock ledger counts. */
const MAX_QUANTITY = 10n ** 15n;

/** A record the caller cannot read is, to them, a record that does not exist. */
function notFoundAt(path: string, message: string) {
  return (err: unknown): never => {
    if (err instanceof AppError && err.code === 'not_found')
      throw validationError([{ path, message }]);
    throw err;
  };
}

/** What a document line would get: base quantity, unit price and tax, as a screen shows them. */
async function linePrice(ctx: RecordContext, query: unknown) {
  const q = parseInput(priceQuery, query);
  const products = ctx.k.meta.get('products');
  assertCan(ctx.actor, products, 'read');
  const productId = idOrFail(q.product_id, 'product_id')!;
  // The caller sees prices only of what they may read.
  await loadRecord(ctx, products, productId).catch(notFoundAt('product_id', 'no such product'));
  const companyId = idOrFail(q.company_id, 'company_id');
  if (companyId)
    await loadRecord(ctx, ctx.k.meta.get('companies'), companyId).catch(
      notFoundAt('company_id', 'no such company'),
    );
  const quantity = decimalToScaled(q.quantity ?? '1', 3);
  if (typeof quantity === 'string')
    throw validationError([{ path: 'quantity', message: quantity }]);
  if (quantity > MAX_QUANTITY || -quantity > MAX_QUANTITY)
    throw validationError([{ path: 'quantity', message: 'is too large' }]);
  const currency = q.currency ?? ctx.k.settings.currency;
  const line = await resolveLine(ctx, {
    productId,
    unitId: idOrFail(q.unit_id, 'unit_id') ?? null,
    quantity,
    currency,
    companyId: companyId ?? null,
    priceListId: idOrFail(q.price_list_id, 'price_list_id') ?? null,
    at: q.at,
  });
  return {
    product_id: productId,
    unit_id: line.unitId,
    quantity: scaledToDecimal(quantity, 3),
    base_quantity: scaledToDecimal(line.baseQuantity, 3),
    unit_price:
      line.unitPriceMinor === null
        ? null
        : {
            amount_minor: Number(line.unitPriceMinor),
            amount: scaledToDecimal(line.unitPriceMinor, minorDigits(currency)),
            currency,
          },
    tax_id: line.taxId,
    tax_rate: scaledToDecimal(line.taxRateBasisPoints, 2),
    tax_included: line.taxIncluded,
  };
}

/** Catalog actions beyond the generic record API. */
export async function catalogRoutes(app: FastifyInstance) {
  app.get('/api/v1/catalog/price', async (request) =>
    linePrice(readContext(request), request.query),
  );
}
