import {
  basisPointsOf,
  companyParty,
  minorOf,
  recordsById,
  visibleToReader,
} from '../../core/documents/pdf-data';
import {
  optionLabel,
  OWN_COMPANY,
  renderDocumentPdf,
  type PdfLocale,
} from '../../core/documents/pdf';
import type { RecordContext } from '../../core/kontor';
import { loadRecord, recordColumns, rowToRecord } from '../../core/records/read';

/**
 * A purchase order as a PDF, for a reader who may read it (404 for one out of their reach).
 * Quantities are in the product's base unit; a line's tax rate is its tax's rate.
 */
export async function purchaseOrderPdf(
  ctx: RecordContext,
  id: string,
  locale: PdfLocale,
): Promise<{ number: string; bytes: Buffer }> {
  const meta = ctx.k.meta.get('purchase_orders');
  const order = await loadRecord(ctx, meta, id, { action: 'read' });
  const lineMeta = ctx.k.meta.get('purchase_order_lines');
  const lines = (
    (await ctx.db
      .selectFrom(lineMeta.table)
      .select(recordColumns(lineMeta, ctx.k.database.dialect))
      .where('order_id', '=', order.id)
      .where('deleted_at', 'is', null)
      .orderBy('position')
      .orderBy('id')
      .execute()) as Record<string, unknown>[]
  ).map((r) => visibleToReader(ctx, 'purchase_order_lines', rowToRecord(lineMeta, r)));
  const products = await recordsById(
    ctx,
    'products',
    lines.map((l) => l.product_id as string | null),
  );
  const units = await recordsById(
    ctx,
    'units',
    [...products.values()].map((p) => p.unit_id as string | null),
  );
  const taxes = await recordsById(
    ctx,
    'taxes',
    lines.map((l) => l.tax_id as string | null),
  );
  const number = String(order.number ?? order.id);
  const bytes = await renderDocumentPdf(
    {
      kind: 'purchase_order',
      number,
      status:
        typeof order.status === 'string'
          ? optionLabel(ctx.k, 'purchase_orders', 'status', order.status, locale)
          : '',
      dates: [
        { label: 'date', value: (order.order_date as string | null) ?? null },
        { label: 'expected_date', value: (order.expected_date as string | null) ?? null },
      ],
      own: OWN_COMPANY,
      counterparty: await companyParty(ctx, order.supplier_id as string | null),
      currency: String(order.currency ?? ctx.k.settings.currency),
      lines: lines.map((l) => {
        const product = products.get(String(l.product_id));
        const unit = product ? units.get(String(product.unit_id)) : undefined;
        const tax = taxes.get(String(l.tax_id));
        return {
          position: typeof l.position === 'number' ? l.position : null,
          description: String(l.description ?? product?.name ?? ''),
          quantity: String(l.quantity ?? '0'),
          unit: unit ? String(unit.name) : null,
          unitPriceMinor: minorOf(l.unit_price),
          discountBasisPoints: basisPointsOf(l.discount),
          taxRateBasisPoints: tax ? basisPointsOf(tax.rate) : null,
          netMinor: minorOf(l.net),
          totalMinor: minorOf(l.total),
        };
      }),
      totals: {
        netMinor: minorOf(order.net),
        taxMinor: minorOf(order.tax),
        totalMinor: minorOf(order.total),
        freightMinor: null,
      },
      notes: typeof order.notes === 'string' ? order.notes : null,
    },
    locale,
  );
  return { number, bytes };
}
