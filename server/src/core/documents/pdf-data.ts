import { sql, type SqlBool } from 'kysely';
import type { RecordContext } from '../kontor';
import { decimalToScaled } from '../metadata/money';
import { canReadField } from '../permissions/scope';
import { recordColumns, rowToRecord } from '../records/read';
import type { PdfParty } from './pdf';

/**
 * What a document PDF prints about the records it points to (the customer or supplier, units,
 * products), read by id. These belong to the document the reader may read, so they are read
 * as the document names them, whether or not the reader's role lists the other objects.
 */

/** Records of `object` by id, as the API gives them (deleted ones included: a document keeps naming them). */
export async function recordsById(
  ctx: RecordContext,
  object: string,
  ids: (string | null | undefined)[],
): Promise<Map<string, Record<string, unknown>>> {
  const meta = ctx.k.meta.find(object);
  const wanted = [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
  const out = new Map<string, Record<string, unknown>>();
  if (!meta || wanted.length === 0) return out;
  const rows = (await ctx.db
    .selectFrom(meta.table)
    .select(recordColumns(meta, ctx.k.database.dialect))
    .where(sql<SqlBool>`id in (${sql.join(wanted)})`)
    .execute()) as Record<string, unknown>[];
  for (const row of rows) {
    const r = rowToRecord(meta, row);
    out.set(String(r.id), r);
  }
  return out;
}

/** A company as a party on a document: its name, then its address, e-mail and phone. */
export async function companyParty(
  ctx: RecordContext,
  id: string | null | undefined,
): Promise<PdfParty | null> {
  if (!id) return null;
  const c = (await recordsById(ctx, 'companies', [id])).get(id);
  if (!c) return null;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const place = [text(c.postal_code), text(c.city)].filter(Boolean).join(' ');
  const details = [text(c.street), place || null, text(c.region), text(c.country)];
  details.push(text(c.email), text(c.phone));
  return { name: text(c.name) ?? '—', details: details.filter((x): x is string => x !== null) };
}

/** A currency value's minor units, or null. */
export function minorOf(v: unknown): bigint | null {
  if (!v || typeof v !== 'object') return null;
  const m = (v as { amount_minor?: unknown }).amount_minor;
  return typeof m === 'number' || typeof m === 'bigint' || typeof m === 'string' ? BigInt(m) : null;
}

/** A percentage field's value ("12.50") in basis points, or null. */
export function basisPointsOf(v: unknown): bigint | null {
  if (v === null || v === undefined || v === '') return null;
  const scaled = decimalToScaled(String(v), 2);
  return typeof scaled === 'string' ? null : scaled;
}

/**
 * A document's line as its reader may see it: fields the reader's role hides on the line
 * object print blank (the lines go with the document, whose read right lets them be read).
 */
export function visibleToReader(
  ctx: RecordContext,
  object: string,
  line: Record<string, unknown>,
): Record<string, unknown> {
  const meta = ctx.k.meta.get(object);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(line)) out[k] = canReadField(ctx.actor, meta, k) ? v : null;
  return out;
}
