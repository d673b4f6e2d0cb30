import { sql, type SqlBool } from 'kysely';
import { scopeCondition } from '../../core/permissions/scope';
import { boolFromDb } from '../../db/column-types';
import { validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { decimalToScaled } from '../../core/metadata/money';

/** An amount in minor units of a currency. */
export interface Money {
  minor: bigint;
  currency: string;
}

/**
 * A decimal field's value as a scaled integer, whether it comes parsed from input (a number of
 * 10^-scale units) or as a record holds it (a decimal string); null when empty.
 */
export function scaledOf(v: unknown, scale: number): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return BigInt(v);
  const scaled = decimalToScaled(String(v), scale);
  if (typeof scaled === 'string') throw new Error(`not a decimal: ${String(v)}`);
  return scaled;
}

/** A currency field's value, parsed from input (`minor`) or as a record holds it (`amount_minor`). */
export function moneyOf(v: unknown): Money | null {
  if (!v || typeof v !== 'object') return null;
  const o = v as { minor?: number; amount_minor?: number; currency: string };
  const minor = o.minor ?? o.amount_minor;
  if (minor === undefined || minor === null) return null;
  return { minor: BigInt(minor), currency: o.currency };
}

/** A currency value as the records engine takes it from module code. */
export function moneyValue(m: Money): { minor: number; currency: string } {
  return { minor: Number(m.minor), currency: m.currency };
}

/** The value a write leaves a field with: the new one if given, else the one the record had. */
export function valueAfter(
  values: Record<string, unknown>,
  before: Record<string, unknown> | null,
  name: string,
): unknown {
  return values[name] !== undefined ? values[name] : (before?.[name] ?? null);
}

/** Whether a company is marked as a supplier; null when there is no such company. */
export async function isSupplier(ctx: RecordContext, companyId: string): Promise<boolean | null> {
  // Only a company the actor may see: another is reported missing by the relation check.
  const scope = scopeCondition(ctx.actor, ctx.k.meta.get('companies'), 'read');
  const row = await ctx.db
    .selectFrom('companies')
    .select('is_supplier')
    .where('id', '=', companyId)
    .where('deleted_at', 'is', null)
    .where(scope ?? sql<SqlBool>`1 = 1`)
    .executeTakeFirst();
  return row ? boolFromDb(row.is_supplier) : null;
}

/** Refuses a company that is not marked as a supplier (a missing one is left to the relation check). */
export async function assertSupplier(ctx: RecordContext, companyId: unknown, path: string) {
  if (typeof companyId !== 'string') return;
  if ((await isSupplier(ctx, companyId)) === false)
    throw validationError([
      { path, message: 'is not a supplier; mark the company as a supplier first' },
    ]);
}
