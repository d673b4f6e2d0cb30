import { sql } from 'kysely';
import { AppError, validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { decimalToScaled, roundHalfEven, scaledToDecimal } from '../../core/metadata/money';
import type { ApiRecord } from '../../core/records/hooks';
import { loadRecord, recordColumns, rowToRecord } from '../../core/records/read';
import { updateRecord } from '../../core/records/write';

/** What differs between a quote and a sales order; everything else they share. */
export interface DocumentKind {
  object: 'quotes' | 'sales_orders';
  lines: 'quote_lines' | 'sales_order_lines';
  /** The line's relation to its document. */
  via: 'quote_id' | 'order_id';
  prefix: 'QT' | 'SO';
  dateField: 'quote_date' | 'order_date';
  /** How messages name it: "the quote", "the sales order". */
  label: string;
}

export const QUOTE: DocumentKind = {
  object: 'quotes',
  lines: 'quote_lines',
  via: 'quote_id',
  prefix: 'QT',
  dateField: 'quote_date',
  label: 'quote',
};

export const SALES_ORDER: DocumentKind = {
  object: 'sales_orders',
  lines: 'sales_order_lines',
  via: 'order_id',
  prefix: 'SO',
  dateField: 'order_date',
  label: 'sales order',
};

export const QUANTITY_SCALE = 3;

/** A decimal field's value as the API gives it ("12.500"), in scaled units. */
export function scaled(value: unknown, scale = QUANTITY_SCALE): bigint {
  if (value === null || value === undefined) return 0n;
  const v = decimalToScaled(String(value), scale);
  if (typeof v === 'string') throw new Error(`not a decimal: ${String(value)}`);
  return v;
}

export const quantityText = (v: bigint) => scaledToDecimal(v, QUANTITY_SCALE);

/**
 * A document the caller may change, locked for the rest of the transaction (on PostgreSQL a row
 * lock; SQLite has one writer), so two actions on one document take turns and each sees the
 * state the other left.
 */
export async function lockDocument(
  ctx: RecordContext,
  kind: DocumentKind,
  id: string,
): Promise<ApiRecord> {
  const meta = ctx.k.meta.get(kind.object);
  const found = await loadRecord(ctx, meta, id, { action: 'update', raw: true });
  if (ctx.k.database.dialect === 'postgres')
    await sql`select id from ${sql.table(meta.table)} where id = ${found.id} for update`.execute(
      ctx.db,
    );
  return loadRecord(ctx, meta, found.id, { action: 'update', raw: true });
}

/** The live lines of a document in their order. */
export async function linesOf(
  ctx: RecordContext,
  kind: DocumentKind,
  documentId: string,
): Promise<ApiRecord[]> {
  const meta = ctx.k.meta.get(kind.lines);
  const rows = await ctx.db
    .selectFrom(meta.table)
    .select(recordColumns(meta, ctx.k.database.dialect))
    .where(kind.via, '=', documentId)
    .where('deleted_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => rowToRecord(meta, r as Record<string, unknown>));
}

/** Moves a document to another state (and sets what goes with it), as module code may. */
export async function changeDocument(
  ctx: RecordContext,
  kind: DocumentKind,
  doc: ApiRecord,
  values: Record<string, unknown>,
): Promise<ApiRecord> {
  return updateRecord(ctx, kind.object, doc.id, values, {
    expectedVersion: doc.version,
    options: { system: true },
  });
}

/** Refuses an action in a state it does not apply to; the message names the state. */
export function refuseUnless(
  kind: DocumentKind,
  doc: ApiRecord,
  allowed: string[],
  action: string,
) {
  if (allowed.includes(String(doc.status))) return;
  const words = (s: string) => s.replace('_', ' ');
  throw new AppError(
    'conflict',
    `The ${kind.label} ${String(doc.number)} is ${words(String(doc.status))}; it must be ${allowed.map(words).join(' or ')} to ${action}`,
    [{ path: 'status', message: `is ${String(doc.status)}` }],
    { code_detail: 'invalid_state' },
  );
}

/** A document needs lines before it is sent or confirmed. */
export function requireLines(kind: DocumentKind, lines: ApiRecord[]) {
  if (lines.length === 0)
    throw validationError([{ path: 'lines', message: `the ${kind.label} has no lines` }]);
}

/**
 * A quantity in the product's base unit expressed in the line's unit. Exact when the line is in
 * the base unit; otherwise rounded half-even to thousandths.
 * Limitation: a partial reservation of a line in a larger unit (a box of 12) may not be a whole
 * number of thousandths of a box; the line shows it rounded, the ledger keeps it exact.
 */
export function toLineUnit(base: bigint, line: ApiRecord): bigint {
  const quantity = scaled(line.quantity);
  const baseQuantity = scaled(line.base_quantity);
  if (quantity === baseQuantity || baseQuantity === 0n) return base;
  return roundHalfEven(base * quantity, baseQuantity);
}

/** A quantity in the line's unit in the product's base unit; null when it is not exact. */
export function toBaseUnit(q: bigint, line: ApiRecord): bigint | null {
  const quantity = scaled(line.quantity);
  const baseQuantity = scaled(line.base_quantity);
  if (quantity === baseQuantity) return q;
  const product = q * baseQuantity;
  return product % quantity === 0n ? product / quantity : null;
}
