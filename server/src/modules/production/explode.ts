import { validationError } from '../../core/errors';
import { boolToDb } from '../../db/column-types';
import type { RecordContext } from '../../core/kontor';

/** How deep bills of materials may nest: a bill, its components' bills, and so on. */
export const MAX_BOM_DEPTH = 20;

/** One component of a bill: its quantity in thousandths per the bill's output quantity. */
export interface BillLine {
  componentId: string;
  quantity: bigint;
}

/** A bill to explode: the product it makes, how much one run makes (thousandths), its lines. */
export interface Bill {
  productId: string;
  outputQuantity: bigint;
  lines: BillLine[];
}

/** How much of a leaf component a production order takes, in thousandths of its unit. */
export interface ComponentNeed {
  componentId: string;
  quantity: bigint;
}

/** Why a bill cannot be exploded; the products along the way, outermost first. */
export class BomStructureError extends Error {
  constructor(
    readonly kind: 'cycle' | 'too_deep',
    readonly chain: string[],
  ) {
    super(kind === 'cycle' ? 'The bill of materials contains its own product' : 'Too deep');
  }
}

const big = (v: unknown) => BigInt(String(v));
const table = (ctx: RecordContext, name: string) => ctx.k.meta.get(name).table;

async function linesOf(ctx: RecordContext, bomId: string): Promise<BillLine[]> {
  const rows = await ctx.db
    .selectFrom(table(ctx, 'bom_lines'))
    .select(['component_id', 'quantity'])
    .where('bom_id', '=', bomId)
    .where('deleted_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ componentId: String(r.component_id), quantity: big(r.quantity) }));
}

/** A bill of materials as stored (deleted ones are not found). */
export async function loadBill(ctx: RecordContext, bomId: string): Promise<Bill | null> {
  const row = await ctx.db
    .selectFrom(table(ctx, 'bills_of_materials'))
    .select(['product_id', 'output_quantity'])
    .where('id', '=', bomId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    productId: String(row.product_id),
    outputQuantity: big(row.output_quantity ?? 1000),
    lines: await linesOf(ctx, bomId),
  };
}

/**
 * The active bill of a product, if it has one. A product has at most one (the rules see to
 * that); should two ever be active, the older one counts.
 */
export async function activeBomId(ctx: RecordContext, productId: string): Promise<string | null> {
  const row = await ctx.db
    .selectFrom(table(ctx, 'bills_of_materials'))
    .select('id')
    .where('product_id', '=', productId)
    .where('is_active', '=', boolToDb(ctx.k.database.dialect, true))
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row ? String(row.id) : null;
}

/** A fraction of thousandths, kept exact until the end. */
interface Fraction {
  n: bigint;
  d: bigint;
}
const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
};
function reduce(f: Fraction): Fraction {
  const g = gcd(f.n, f.d) || 1n;
  return { n: f.n / g, d: f.d / g };
}
/** Rounds a non-negative fraction up to a whole number (of thousandths). */
const ceil = (f: Fraction) => (f.n + f.d - 1n) / f.d;

const times = (a: Fraction, b: Fraction) => reduce({ n: a.n * b.n, d: a.d * b.d });
function add(into: Map<string, Fraction>, id: string, f: Fraction) {
  const had = into.get(id);
  into.set(id, had ? reduce({ n: had.n * f.d + f.n * had.d, d: had.d * f.d }) : f);
}

/** A bill flattened: leaf needs per thousandth of its product, every product it reaches, its levels. */
interface Flat {
  leaves: Map<string, Fraction>;
  reach: Set<string>;
  height: number;
}

/**
 * Flattens a bill into what it takes from stock to make `quantity` (thousandths) of its product.
 * A component that has an active bill of its own, with lines, is made from that bill in turn
 * (nested), down to components that have none. The arithmetic is exact: each need is carried as
 * a fraction through every level and summed per component, and only the total is rounded, up
 * to the next thousandth, so a production order never takes less than it needs. Components come
 * in the order they first appear (by line position, depth first). A bill that reaches its own
 * product again, or nests more than MAX_BOM_DEPTH levels, throws a BomStructureError. A nested
 * bill met on several paths is flattened once.
 */
export async function explodeBill(
  ctx: RecordContext,
  bill: Bill,
  quantity: bigint,
): Promise<ComponentNeed[]> {
  const billOf = new Map<string, Bill | null>();
  const nested = async (productId: string) => {
    if (!billOf.has(productId)) {
      const id = await activeBomId(ctx, productId);
      const b = id ? await loadBill(ctx, id) : null;
      billOf.set(productId, b && b.lines.length ? b : null);
    }
    return billOf.get(productId) ?? null;
  };
  const memo = new Map<string, Flat>();
  // `chain` holds the products from the outermost bill's down to this bill's.
  const flatten = async (b: Bill, chain: string[]): Promise<Flat> => {
    if (chain.length > MAX_BOM_DEPTH) throw new BomStructureError('too_deep', chain);
    const flat: Flat = { leaves: new Map(), reach: new Set(), height: 1 };
    for (const line of b.lines) {
      const path = [...chain, line.componentId];
      if (chain.includes(line.componentId)) throw new BomStructureError('cycle', path);
      flat.reach.add(line.componentId);
      // Thousandths of the component per thousandth of the product.
      const per = reduce({ n: line.quantity, d: b.outputQuantity });
      const sub = await nested(line.componentId);
      if (!sub) {
        add(flat.leaves, line.componentId, per);
        continue;
      }
      let inner = memo.get(line.componentId);
      // Flattened before on another path: reused unless, from here, it would close a circle
      // or nest too deep; walked again then, to name the way it does.
      if (
        !inner ||
        path.length + inner.height - 1 > MAX_BOM_DEPTH ||
        chain.some((p) => inner!.reach.has(p))
      ) {
        inner = await flatten(sub, path);
        memo.set(line.componentId, inner);
      }
      flat.height = Math.max(flat.height, inner.height + 1);
      for (const p of inner.reach) flat.reach.add(p);
      for (const [leaf, f] of inner.leaves) add(flat.leaves, leaf, times(per, f));
    }
    return flat;
  };
  const root = await flatten(bill, [bill.productId]);
  return [...root.leaves].map(([componentId, f]) => ({
    componentId,
    quantity: ceil(times(f, { n: quantity, d: 1n })),
  }));
}

/**
 * What a production order of `quantity` (thousandths) made from a bill of materials takes from
 * stock, per leaf component (see explodeBill). A missing bill or a broken structure is a 400 on
 * `bom_id`.
 */
export async function explode(
  ctx: RecordContext,
  bomId: string,
  quantity: bigint,
): Promise<ComponentNeed[]> {
  const bill = await loadBill(ctx, bomId);
  if (!bill) throw validationError([{ path: 'bom_id', message: 'no such bill of materials' }]);
  try {
    return await explodeBill(ctx, bill, quantity);
  } catch (err) {
    if (err instanceof BomStructureError)
      throw validationError([{ path: 'bom_id', message: await describeStructureError(ctx, err) }]);
    throw err;
  }
}

/** A structure error in words, naming the products along the way. */
export async function describeStructureError(ctx: RecordContext, err: BomStructureError) {
  if (err.kind === 'too_deep')
    return `nests bills of materials more than ${MAX_BOM_DEPTH} levels deep`;
  const rows = await ctx.db
    .selectFrom(table(ctx, 'products'))
    .select(['id', 'name'])
    .where('id', 'in', err.chain)
    .execute();
  const name = new Map(rows.map((r) => [String(r.id), String(r.name)]));
  return `would contain its own product: ${err.chain.map((id) => name.get(id) ?? id).join(' → ')}`;
}
