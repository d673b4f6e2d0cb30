import { AppError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { ApiRecord } from '../../core/records/hooks';
import { loadRecord } from '../../core/records/read';
import { flushRollups } from '../../core/records/rollups';
import { createRecord } from '../../core/records/write';
import {
  QUOTE,
  SALES_ORDER,
  changeDocument,
  linesOf,
  lockDocument,
  refuseUnless,
  requireLines,
} from './documents';

type Transition = { from: string[]; to: string; verb: string };

const QUOTE_TRANSITIONS: Record<'send' | 'accept' | 'reject', Transition> = {
  send: { from: ['draft'], to: 'sent', verb: 'sent' },
  accept: { from: ['sent'], to: 'accepted', verb: 'accepted' },
  reject: { from: ['sent'], to: 'rejected', verb: 'rejected' },
};

/** Sends, accepts or rejects a quote; any other move between states is a 409. */
export async function moveQuote(
  ctx: RecordContext,
  id: string,
  action: keyof typeof QUOTE_TRANSITIONS,
) {
  const t = QUOTE_TRANSITIONS[action];
  const quote = await lockDocument(ctx, QUOTE, id);
  refuseUnless(QUOTE, quote, t.from, `be ${t.verb}`);
  const lines = await linesOf(ctx, QUOTE, quote.id);
  requireLines(QUOTE, lines);
  return { quote: await changeDocument(ctx, QUOTE, quote, { status: t.to }), lines };
}

/** A stored money value as input again. */
function money(v: unknown) {
  if (!v || typeof v !== 'object') return null;
  const m = v as { amount_minor: number; currency: string };
  return { amount_minor: m.amount_minor, currency: m.currency };
}

/**
 * Turns a quote into a draft sales order with the same lines, prices and taxes, links the two and
 * marks the quote accepted, in one transaction. A quote converts once.
 */
export async function convertQuote(ctx: RecordContext, id: string) {
  const quote = await lockDocument(ctx, QUOTE, id);
  if (quote.sales_order_id)
    throw new AppError(
      'conflict',
      `The quote ${String(quote.number)} is already converted`,
      [{ path: 'sales_order_id', message: 'is already set' }],
      { code_detail: 'already_converted', sales_order_id: quote.sales_order_id },
    );
  refuseUnless(QUOTE, quote, ['draft', 'sent', 'accepted'], 'be converted');
  const quoteLines = await linesOf(ctx, QUOTE, quote.id);
  requireLines(QUOTE, quoteLines);

  const created = await createRecord(
    ctx,
    SALES_ORDER.object,
    {
      company_id: quote.company_id,
      contact_id: quote.contact_id,
      deal_id: quote.deal_id,
      warehouse_id: quote.warehouse_id,
      currency: quote.currency,
      price_list_id: quote.price_list_id,
      freight: money(quote.freight),
      notes: quote.notes,
      quote_id: quote.id,
    },
    { system: true },
  );
  const lines: ApiRecord[] = [];
  for (const l of quoteLines) {
    lines.push(
      await createRecord(
        ctx,
        SALES_ORDER.lines,
        {
          order_id: created.id,
          position: l.position,
          product_id: l.product_id,
          description: l.description,
          quantity: l.quantity,
          unit_id: l.unit_id,
          base_quantity: l.base_quantity,
          unit_price: money(l.unit_price),
          discount: l.discount,
          tax_id: l.tax_id,
          tax_rate: l.tax_rate,
          tax_included: l.tax_included,
        },
        { system: true },
      ),
    );
  }
  const accepted = await changeDocument(ctx, QUOTE, quote, {
    status: 'accepted',
    sales_order_id: created.id,
  });
  await flushRollups(ctx);
  const order = await loadRecord(ctx, ctx.k.meta.get(SALES_ORDER.object), created.id);
  return { quote: accepted, sales_order: order, lines };
}
