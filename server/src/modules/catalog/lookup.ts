import type { RecordContext } from '../../core/kontor';
import { decimalToScaled } from '../../core/metadata/money';
import type { ApiRecord, WriteEvent } from '../../core/records/hooks';
import { recordColumns, rowToRecord } from '../../core/records/read';

/**
 * A live record in API form, read without the actor's scope: the catalog's rules and prices
 * hold for everyone, whatever each person may see.
 */
export async function liveRecord(
  ctx: RecordContext,
  objectName: string,
  id: string | null | undefined,
): Promise<ApiRecord | undefined> {
  if (!id) return undefined;
  const object = ctx.k.meta.get(objectName);
  const row = (await ctx.db
    .selectFrom(object.table)
    .select(recordColumns(object, ctx.k.database.dialect))
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as Record<string, unknown> | undefined;
  return row ? rowToRecord(object, row) : undefined;
}

/** The field's value once the write is done: the new value when given, else the stored one. */
export function nextValue(e: WriteEvent, name: string): unknown {
  return e.values[name] !== undefined ? e.values[name] : (e.before?.[name] ?? null);
}

/**
 * A decimal field's value once the write is done, as an integer count of 10^-scale (parsed
 * input holds that count already; a stored record holds the decimal text).
 */
export function nextScaled(e: WriteEvent, name: string, scale: number): bigint | null {
  const given = e.values[name];
  if (given !== undefined) return given === null ? null : BigInt(given as number);
  return scaledText(e.before?.[name], scale);
}

/** A decimal as the API writes it ("12.500"), as an integer count of 10^-scale. */
export function scaledText(v: unknown, scale: number): bigint | null {
  if (v === null || v === undefined) return null;
  const scaled = decimalToScaled(String(v), scale);
  if (typeof scaled === 'string') throw new Error(`stored decimal "${String(v)}" ${scaled}`);
  return scaled;
}

/** A currency field's value once the write is done, in minor units. */
export function nextMoney(e: WriteEvent, name: string): { minor: bigint; currency: string } | null {
  const given = e.values[name] as { minor: number; currency: string } | null | undefined;
  if (given !== undefined) return given && { minor: BigInt(given.minor), currency: given.currency };
  return moneyOf(e.before?.[name]);
}

/** A currency field as the API writes it, in minor units. */
export function moneyOf(v: unknown): { minor: bigint; currency: string } | null {
  const m = v as { amount_minor: number; currency: string } | null | undefined;
  return m ? { minor: BigInt(m.amount_minor), currency: m.currency } : null;
}

/** A decimal without the trailing zeros its scale pads it with: "12.500" → "12.5". */
export function shortDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
