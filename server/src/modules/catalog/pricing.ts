import { sql } from 'kysely';
import { boolToDb } from '../../db/column-types';
import { isoNow } from '../../core/clock';
import { validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { isDate, normaliseDatetime } from '../../core/metadata/field-types';
import { isCurrencyCode, roundHalfEven, scaledToDecimal } from '../../core/metadata/money';
import { liveRecord, moneyOf, scaledText, shortDecimal } from './lookup';

/** Quantities and unit factors are thousandths. */
const THOUSAND = 1000n;

export interface LineRequest {
  productId: string;
  /** The unit the quantity and price are in; absent or null: the product's base unit. */
  unitId?: string | null;
  /** Thousandths of that unit. */
  quantity: bigint;
  /** The document's currency (ISO 4217). */
  currency: string;
  /** The customer: its customer group chooses the price lists. */
  companyId?: string | null;
  /** A price list chosen on the document; it alone is searched. */
  priceListId?: string | null;
  /** When the price applies (a date or an instant); today by default. */
  at?: string;
}

export interface ResolvedLine {
  /** The quantity in thousandths of the product's base unit, exact. */
  baseQuantity: bigint;
  /** The unit of the line: the one asked for, or the product's base unit (null when it has none). */
  unitId: string | null;
  /** The price of one unit of the line, minor units of the currency; null when none is known. */
  unitPriceMinor: bigint | null;
  taxId: string | null;
  taxRateBasisPoints: bigint;
  taxIncluded: boolean;
}

const fail = (path: string, message: string) => validationError([{ path, message }]);

interface UnitOfLine {
  unitId: string | null;
  /** Thousandths of the base unit in one unit of the line. */
  factor: bigint;
  isBase: boolean;
}

async function unitOfLine(
  ctx: RecordContext,
  product: Record<string, unknown>,
  unitId: string | null | undefined,
): Promise<UnitOfLine> {
  const base = (product.unit_id as string | null) ?? null;
  if (!unitId || unitId === base) return { unitId: base, factor: THOUSAND, isBase: true };
  const row = (await ctx.db
    .selectFrom(ctx.k.meta.get('product_units').table)
    .select('factor')
    .where('product_id', '=', product.id as string)
    .where('unit_id', '=', unitId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as { factor: unknown } | undefined;
  if (!row)
    throw fail(
      'unit_id',
      base
        ? 'is not a unit of this product; add it to the product’s units (with its factor) first'
        : 'is not a unit of this product, which has no base unit',
    );
  return { unitId, factor: BigInt(String(row.factor)), isBase: false };
}

/** The quantity in thousandths of the base unit, or a 400 when it is not a whole number of them. */
function toBase(quantity: bigint, factor: bigint): bigint {
  const scaled = quantity * factor;
  if (scaled % THOUSAND !== 0n) {
    const exact = shortDecimal(scaledToDecimal(scaled, 6));
    throw fail(
      'quantity',
      `does not convert exactly: it is ${exact} base units, and stock counts thousandths`,
    );
  }
  return scaled / THOUSAND;
}

/** The day a price applies on, from a date or an instant. */
function dayOf(ctx: RecordContext, at: string | undefined): string {
  if (at === undefined) return isoNow(ctx.k.clock).slice(0, 10);
  if (isDate(at)) return at;
  const instant = normaliseDatetime(at);
  if (!instant) throw fail('at', 'must be a date like 2026-03-31 or an ISO 8601 instant');
  return instant.slice(0, 10);
}

interface ListChoice {
  /** Price lists to search, with their rank: 0 (chosen or the customer's group), 1 (everyone's). */
  ranks: Map<string, number>;
}

async function chosenList(
  ctx: RecordContext,
  id: string,
  currency: string,
  day: string,
): Promise<ListChoice> {
  const list = await liveRecord(ctx, 'price_lists', id);
  if (!list) throw fail('price_list_id', 'no such price list');
  if (list.currency !== currency)
    throw fail('price_list_id', `is in ${String(list.currency)}, not ${currency}`);
  if (list.is_active !== true) throw fail('price_list_id', 'is not active');
  const from = list.valid_from as string | null;
  const to = list.valid_to as string | null;
  if ((from && day < from) || (to && day > to))
    throw fail('price_list_id', `is not valid on ${day}`);
  return { ranks: new Map([[list.id, 0]]) };
}

async function customerLists(
  ctx: RecordContext,
  companyId: string | null | undefined,
  currency: string,
  day: string,
): Promise<ListChoice> {
  let group: string | null = null;
  if (companyId) {
    const company = await liveRecord(ctx, 'companies', companyId);
    if (!company) throw fail('company_id', 'no such company');
    group = (company.customer_group_id as string | null) ?? null;
  }
  const rows = (await ctx.db
    .selectFrom(ctx.k.meta.get('price_lists').table)
    .select(['id', 'customer_group_id'])
    .where('deleted_at', 'is', null)
    .where('is_active', '=', boolToDb(ctx.k.database.dialect, true))
    .where('currency', '=', currency)
    .where(sql<boolean>`(valid_from is null or valid_from <= ${day})`)
    .where(sql<boolean>`(valid_to is null or valid_to >= ${day})`)
    .where((eb) =>
      group
        ? eb.or([eb('customer_group_id', 'is', null), eb('customer_group_id', '=', group)])
        : eb('customer_group_id', 'is', null),
    )
    .execute()) as { id: string; customer_group_id: string | null }[];
  return { ranks: new Map(rows.map((r) => [r.id, r.customer_group_id ? 0 : 1])) };
}

interface Candidate {
  id: string;
  rank: number;
  /** 0: priced in the line's unit; 1: priced per base unit and converted. */
  unitRank: number;
  /** In the unit the item is priced in; compared only among items of the same unitRank. */
  minQuantity: bigint;
  priceMinor: bigint;
}

/** A price per base unit as a price per a unit holding `factor` thousandths of it. */
function perUnit(basePriceMinor: bigint, factor: bigint): bigint {
  // Rounded half to even to the currency's minor unit, once, as every amount in Kontor is.
  return roundHalfEven(basePriceMinor * factor, THOUSAND);
}

/**
 * The best price list item for a line. Lists chosen on the document or made for the
 * customer's group come before lists for everyone; within them a price in the line's unit
 * comes before a base-unit price converted by the unit's factor; then the highest least
 * quantity the line reaches; then the lowest price.
 */
async function listPrice(
  ctx: RecordContext,
  productId: string,
  unit: UnitOfLine,
  quantity: bigint,
  baseQuantity: bigint,
  currency: string,
  choice: ListChoice,
): Promise<bigint | null> {
  if (choice.ranks.size === 0) return null;
  const rows = (await ctx.db
    .selectFrom(ctx.k.meta.get('price_list_items').table)
    .select(['id', 'price_list_id', 'unit_id', 'min_quantity', 'price_minor', 'price_currency'])
    .where('deleted_at', 'is', null)
    .where('product_id', '=', productId)
    .where('price_list_id', 'in', [...choice.ranks.keys()])
    .execute()) as Record<string, unknown>[];
  const abs = (v: bigint) => (v < 0n ? -v : v);
  const candidates: Candidate[] = [];
  for (const r of rows) {
    if (r.price_currency !== currency || r.price_minor === null) continue;
    const itemUnit = (r.unit_id as string | null) ?? null;
    const min = BigInt(String(r.min_quantity ?? 0));
    const price = BigInt(String(r.price_minor));
    const rank = choice.ranks.get(r.price_list_id as string)!;
    if (unit.isBase ? itemUnit === null : itemUnit === unit.unitId) {
      if (min <= abs(quantity))
        candidates.push({
          id: r.id as string,
          rank,
          unitRank: 0,
          minQuantity: min,
          priceMinor: price,
        });
    } else if (!unit.isBase && itemUnit === null && min <= abs(baseQuantity)) {
      candidates.push({
        id: r.id as string,
        rank,
        unitRank: 1,
        minQuantity: min,
        priceMinor: perUnit(price, unit.factor),
      });
    }
  }
  candidates.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.unitRank - b.unitRank ||
      (a.minQuantity === b.minQuantity ? 0 : a.minQuantity > b.minQuantity ? -1 : 1) ||
      (a.priceMinor === b.priceMinor ? 0 : a.priceMinor < b.priceMinor ? -1 : 1) ||
      a.id.localeCompare(b.id),
  );
  return candidates[0]?.priceMinor ?? null;
}

/**
 * A document line's quantity in the product's base unit, its unit price and its tax. The
 * quantity converts exactly or not at all (400 at `quantity`); a unit the product is not
 * counted in is a 400 at `unit_id`. The price is the best price list item (see listPrice),
 * else the product's own price when it is in the line's currency (converted by the unit's
 * factor), else null. The tax is the product's.
 */
export async function resolveLine(ctx: RecordContext, line: LineRequest): Promise<ResolvedLine> {
  if (!isCurrencyCode(line.currency) || !/^[A-Z]{3}$/.test(line.currency))
    throw fail('currency', 'must be an ISO 4217 code like EUR');
  const product = await liveRecord(ctx, 'products', line.productId);
  if (!product) throw fail('product_id', 'no such product');
  const unit = await unitOfLine(ctx, product, line.unitId);
  const baseQuantity = toBase(line.quantity, unit.factor);
  const day = dayOf(ctx, line.at);

  const choice = line.priceListId
    ? await chosenList(ctx, line.priceListId, line.currency, day)
    : await customerLists(ctx, line.companyId, line.currency, day);
  let unitPriceMinor = await listPrice(
    ctx,
    product.id,
    unit,
    line.quantity,
    baseQuantity,
    line.currency,
    choice,
  );
  if (unitPriceMinor === null) {
    const own = moneyOf(product.price);
    if (own && own.currency === line.currency) unitPriceMinor = perUnit(own.minor, unit.factor);
  }

  const tax = await liveRecord(ctx, 'taxes', product.tax_id as string | null);
  return {
    baseQuantity,
    unitId: unit.unitId,
    unitPriceMinor,
    taxId: tax?.id ?? null,
    taxRateBasisPoints: tax ? (scaledText(tax.rate, 2) ?? 0n) : 0n,
    taxIncluded: tax?.included === true,
  };
}

/** The direct components of a kit and their quantities (thousandths of each one's base unit). */
export async function kitComponents(
  ctx: RecordContext,
  kitId: string,
): Promise<{ componentId: string; quantity: bigint }[]> {
  const rows = (await ctx.db
    .selectFrom(ctx.k.meta.get('kit_components').table)
    .select(['component_id', 'quantity'])
    .where('kit_id', '=', kitId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as { component_id: string; quantity: unknown }[];
  return rows.map((r) => ({ componentId: r.component_id, quantity: BigInt(String(r.quantity)) }));
}
