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
import { loadRecord } from '../../core/records/read';
import { QUOTE, linesOf, type DocumentKind } from './documents';

/**
 * A quote or sales order as a PDF, for a reader who may read it (404 for one out of their
 * reach). Fields the reader's role hides on the document or its lines are left blank.
 */
export async function salesDocumentPdf(
  ctx: RecordContext,
  kind: DocumentKind,
  id: string,
  locale: PdfLocale,
): Promise<{ number: string; bytes: Buffer }> {
  const doc = await loadRecord(ctx, ctx.k.meta.get(kind.object), id, { action: 'read' });
  const lines = (await linesOf(ctx, kind, doc.id)).map((l) => visibleToReader(ctx, kind.lines, l));
  const units = await recordsById(
    ctx,
    'units',
    lines.map((l) => l.unit_id as string | null),
  );
  const products = await recordsById(
    ctx,
    'products',
    lines.map((l) => l.product_id as string | null),
  );
  const number = String(doc.number ?? doc.id);
  const currency = String(doc.currency ?? ctx.k.settings.currency);
  const bytes = await renderDocumentPdf(
    {
      kind: kind === QUOTE ? 'quote' : 'sales_order',
      number,
      status:
        typeof doc.status === 'string'
          ? optionLabel(ctx.k, kind.object, 'status', doc.status, locale)
          : '',
      dates:
        kind === QUOTE
          ? [
              { label: 'date', value: (doc.quote_date as string | null) ?? null },
              { label: 'valid_until', value: (doc.valid_until as string | null) ?? null },
            ]
          : [{ label: 'date', value: (doc.order_date as string | null) ?? null }],
      own: OWN_COMPANY,
      counterparty: await companyParty(ctx, doc.company_id as string | null),
      currency,
      lines: lines.map((l) => {
        const product = products.get(String(l.product_id));
        const unit = units.get(String(l.unit_id));
        return {
          position: typeof l.position === 'number' ? l.position : null,
          description: String(l.description ?? product?.name ?? ''),
          quantity: String(l.quantity ?? '0'),
          unit: unit ? String(unit.name) : null,
          unitPriceMinor: minorOf(l.unit_price),
          discountBasisPoints: basisPointsOf(l.discount),
          taxRateBasisPoints: basisPointsOf(l.tax_rate),
          netMinor: minorOf(l.net),
          totalMinor: minorOf(l.total),
        };
      }),
      totals: {
        netMinor: minorOf(doc.net_total),
        taxMinor: minorOf(doc.tax_total),
        totalMinor: minorOf(doc.total),
        freightMinor: minorOf(doc.freight),
      },
      notes: typeof doc.notes === 'string' ? doc.notes : null,
    },
    locale,
  );
  return { number, bytes };
}
