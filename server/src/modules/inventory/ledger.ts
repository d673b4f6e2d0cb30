import { sql } from 'kysely';
import { actorId } from '../../core/actor';
import { writeAudit } from '../../core/audit/audit-log';
import { isoNow } from '../../core/clock';
import { AppError, validationError, type ErrorDetail } from '../../core/errors';
import { newId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import { decimalToScaled, roundHalfEven, scaledToDecimal } from '../../core/metadata/money';

export { verifyStock } from './verify';

/** Quantities are kept in thousandths of the product's unit: exact, never binary fractions. */
export const QUANTITY_SCALE = 3;
const PER_UNIT = 1000n;
/**
 * The most a posting may move, and the most a balance may hold, either way: a trillion units
 * (in thousandths, 10^15, well inside what both databases and JavaScript count exactly).
 * Values are bounded the same way, in minor units.
 */
export const MAX_QUANTITY = 10n ** 15n;

export type StockMoveKind =
  | 'receipt'
  | 'shipment'
  | 'adjustment'
  | 'transfer'
  | 'production_in'
  | 'production_out'
  | 'reversal';

/** The document (and line) a move or a reservation belongs to. */
export interface DocumentRef {
  object: string;
  id: string;
  lineId?: string | null;
}

/** One row a posting writes: a product in a warehouse, the quantity signed. */
export interface StockLeg {
  productId: string;
  warehouseId: string;
  /** Signed thousandths of the product's base unit. */
  quantity: bigint;
  /** Incoming only: the cost of one unit in minor units; absent means the average cost. */
  unitCostMinor?: bigint | null;
  /** The currency of unitCostMinor; absent means the product's valuation currency. */
  currency?: string | null;
  /**
   * The exact value the leg moves, instead of its cost or the average: produced goods at what
   * they consumed, a reversal at what the original moved. Signed like the quantity.
   */
  valueMinor?: bigint | null;
  document?: DocumentRef;
}

export interface PostedMove {
  id: string;
  productId: string;
  warehouseId: string;
  quantity: bigint;
  valueMinor: bigint;
  document?: DocumentRef;
}

export interface PostOptions {
  note?: string | null;
  /** Outgoing legs with a document line first use up that line's reservation. */
  consumeReservations?: boolean;
  /** The error path of each leg, for shortages (`lines[2].quantity`). */
  paths?: string[];
  /** When the move took effect, if not now (a shipment dated earlier). */
  occurredAt?: string;
  reversesPostingId?: string | null;
}

const big = (v: unknown) => BigInt(String(v ?? 0));
const qty = (v: bigint) => scaledToDecimal(v, QUANTITY_SCALE);
const abs = (v: bigint) => (v < 0n ? -v : v);

/** A quantity as a person wrote it ("12.5"), in thousandths; an error names the field. */
export function parseQuantity(value: string | number, path: string): bigint {
  const scaled = decimalToScaled(String(value), QUANTITY_SCALE);
  if (typeof scaled === 'string') throw validationError([{ path, message: scaled }]);
  if (scaled > MAX_QUANTITY || -scaled > MAX_QUANTITY)
    throw validationError([{ path, message: 'must be at most 1000000000000 (a trillion)' }]);
  return scaled;
}

const byProductThenWarehouse = (
  a: { productId: string; warehouseId: string },
  b: { productId: string; warehouseId: string },
) =>
  a.productId === b.productId
    ? a.warehouseId < b.warehouseId
      ? -1
      : a.warehouseId > b.warehouseId
        ? 1
        : 0
    : a.productId < b.productId
      ? -1
      : 1;

/** Products among ids that may go below zero. */
async function negativeAllowed(ctx: RecordContext, productIds: string[]) {
  const products = ctx.k.meta.get('products');
  const column = products.field('allow_negative_stock')!.column;
  if (!productIds.length) return new Set<string>();
  const rows = await ctx.db
    .selectFrom(products.table)
    .select(['id', column])
    .where('id', 'in', productIds)
    .execute();
  return new Set(rows.filter((r) => r[column] === true || r[column] === 1).map((r) => r.id));
}

async function ensureBalance(ctx: RecordContext, productId: string, warehouseId: string) {
  await ctx.db
    .insertInto('stock_balances')
    .values({
      product_id: productId,
      warehouse_id: warehouseId,
      on_hand: 0,
      reserved: 0,
      incoming: 0,
      updated_at: isoNow(ctx.k.clock),
    })
    .onConflict((oc) => oc.columns(['product_id', 'warehouse_id']).doNothing())
    .execute();
}

async function readBalance(ctx: RecordContext, productId: string, warehouseId: string) {
  const row = await ctx.db
    .selectFrom('stock_balances')
    .select(['on_hand', 'reserved', 'incoming'])
    .where('product_id', '=', productId)
    .where('warehouse_id', '=', warehouseId)
    .executeTakeFirst();
  return {
    onHand: big(row?.on_hand),
    reserved: big(row?.reserved),
    incoming: big(row?.incoming),
  };
}

/**
 * Document rows are locked before their reservations are touched, so two actions on one
 * document (two shipments of one order) take turns instead of racing; then reservation rows,
 * then balance rows, always in that order. SQLite has one writer.
 */
async function lockDocuments(ctx: RecordContext, docs: (DocumentRef | undefined)[]) {
  const seen = new Map<string, { table: string; id: string }>();
  for (const d of docs) {
    if (!d) continue;
    const meta = ctx.k.meta.find(d.object);
    // A reservation without its document could never be released: a bug in the caller.
    if (!meta) throw new Error(`Stock for a document of an unknown object: ${d.object}`);
    seen.set(`${d.object}|${d.id}`, { table: meta.table, id: d.id });
  }
  for (const key of [...seen.keys()].sort()) {
    const { table, id } = seen.get(key)!;
    const found =
      ctx.k.database.dialect === 'postgres'
        ? await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(ctx.db)
        : await sql`select id from ${sql.table(table)} where id = ${id}`.execute(ctx.db);
    if (!found.rows.length) throw new Error(`Stock for a document that does not exist: ${key}`);
  }
}

/**
 * Writes a posting's moves and moves the balances and the valuation with them, in the caller's
 * transaction. Balance rows are taken in one order (product, then warehouse), then valuation
 * rows (product), so two postings never wait on each other crosswise. Each balance is moved by
 * a guarded update that matches no row when it would take stock below zero (unless the
 * product allows it), or take stock others have reserved: of two postings for the last unit
 * exactly one succeeds, on SQLite and on PostgreSQL, from any number of server processes.
 * A refused posting throws 409 `insufficient_stock` and, with the transaction, writes nothing.
 */
export async function postStock(
  ctx: RecordContext,
  kind: StockMoveKind,
  legs: StockLeg[],
  opts: PostOptions = {},
): Promise<{ postingId: string; moves: PostedMove[] }> {
  if (!legs.length) throw validationError([{ path: 'lines', message: 'has nothing to move' }]);
  legs.forEach((l, i) => {
    const path = opts.paths?.[i] ?? 'quantity';
    if (l.quantity === 0n) throw validationError([{ path, message: 'must not be zero' }]);
    if (l.quantity > MAX_QUANTITY || -l.quantity > MAX_QUANTITY)
      throw validationError([{ path, message: 'must be at most 1000000000000 (a trillion)' }]);
  });
  const now = isoNow(ctx.k.clock);
  const postingId = newId();
  const allowNegative = await negativeAllowed(ctx, [...new Set(legs.map((l) => l.productId))]);

  // What each leg takes from its document line's reservation.
  const consumed = legs.map(() => 0n);
  if (opts.consumeReservations) {
    await lockDocuments(
      ctx,
      legs.map((l) => l.document),
    );
    for (const [i, l] of legs.entries()) {
      if (l.quantity >= 0n || !l.document?.lineId) continue;
      let find = ctx.db
        .selectFrom('stock_reservations')
        .select(['id', 'quantity'])
        .where('document_object', '=', l.document.object)
        .where('document_id', '=', l.document.id)
        .where('document_line_id', '=', l.document.lineId)
        .where('product_id', '=', l.productId)
        .where('warehouse_id', '=', l.warehouseId);
      if (ctx.k.database.dialect === 'postgres') find = find.forUpdate();
      const r = await find.executeTakeFirst();
      if (!r) continue;
      const open = big(r.quantity);
      const take = open < -l.quantity ? open : -l.quantity;
      consumed[i] = take;
      if (take === open)
        await ctx.db.deleteFrom('stock_reservations').where('id', '=', r.id).execute();
      else
        await ctx.db
          .updateTable('stock_reservations')
          .set({ quantity: (open - take).toString(), updated_at: now })
          .where('id', '=', r.id)
          .execute();
    }
  }

  // Balances, summed per product and warehouse.
  const groups = new Map<
    string,
    { productId: string; warehouseId: string; quantity: bigint; consumed: bigint; legs: number[] }
  >();
  legs.forEach((l, i) => {
    const key = `${l.productId}|${l.warehouseId}`;
    const g = groups.get(key) ?? {
      productId: l.productId,
      warehouseId: l.warehouseId,
      quantity: 0n,
      consumed: 0n,
      legs: [],
    };
    g.quantity += l.quantity;
    g.consumed += consumed[i];
    g.legs.push(i);
    groups.set(key, g);
  });
  const shortages: ErrorDetail[] = [];
  const max = MAX_QUANTITY.toString();
  for (const g of [...groups.values()].sort(byProductThenWarehouse)) {
    await ensureBalance(ctx, g.productId, g.warehouseId);
    const q = g.quantity.toString();
    const c = g.consumed.toString();
    const mayGoNegative = allowNegative.has(g.productId);
    // Stock going out, by any kind of move, may not take what documents have reserved: they
    // release it first (a count that finds less than is reserved is refused, naming it).
    const guardAvailable = g.quantity < 0n && !mayGoNegative;
    const result = await ctx.db
      .updateTable('stock_balances')
      .set({
        on_hand: sql`on_hand + ${sql.raw(q)}`,
        reserved: sql`reserved - ${sql.raw(c)}`,
        updated_at: now,
      })
      .where('product_id', '=', g.productId)
      .where('warehouse_id', '=', g.warehouseId)
      .where(
        // Stock coming in is only bounded above: it may fill a hole left below zero.
        mayGoNegative || g.quantity > 0n
          ? sql<boolean>`on_hand + ${sql.raw(q)} between -${sql.raw(max)} and ${sql.raw(max)}`
          : sql<boolean>`on_hand + ${sql.raw(q)} between 0 and ${sql.raw(max)}`,
      )
      .where(
        guardAvailable
          ? sql<boolean>`on_hand + ${sql.raw(q)} - (reserved - ${sql.raw(c)}) >= 0`
          : sql<boolean>`1 = 1`,
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) continue;
    const had = await readBalance(ctx, g.productId, g.warehouseId);
    const path = opts.paths?.[g.legs[0]] ?? 'quantity';
    const after = had.onHand + g.quantity;
    if (after > MAX_QUANTITY || after < -MAX_QUANTITY)
      throw validationError([{ path, message: 'would take the balance past a trillion units' }]);
    shortages.push({
      path,
      message:
        guardAvailable && had.reserved - g.consumed > 0n
          ? `only ${qty(had.onHand - had.reserved + g.consumed)} available (${qty(had.onHand)} on hand, ${qty(had.reserved - g.consumed)} reserved for other documents); ${qty(-g.quantity)} needed`
          : `only ${qty(had.onHand)} on hand; ${qty(-g.quantity)} needed`,
    });
  }
  if (shortages.length)
    throw new AppError('conflict', 'Not enough stock', shortages, {
      code_detail: 'insufficient_stock',
    });

  const moveIds = legs.map(() => newId());
  const values = await valueLegs(ctx, kind, legs, moveIds, now);
  const occurredAt = opts.occurredAt ?? now;
  const rows = legs.map((l, i) => ({
    id: moveIds[i],
    posting_id: postingId,
    kind,
    product_id: l.productId,
    warehouse_id: l.warehouseId,
    quantity: l.quantity.toString(),
    // The cost of one unit: as given, or what the value comes to per unit.
    unit_cost_minor: (
      l.unitCostMinor ?? roundHalfEven(abs(values[i].value) * PER_UNIT, abs(l.quantity))
    ).toString(),
    currency: values[i].currency,
    value_minor: values[i].value.toString(),
    document_object: l.document?.object ?? null,
    document_id: l.document?.id ?? null,
    document_line_id: l.document?.lineId ?? null,
    reverses_posting_id: opts.reversesPostingId ?? null,
    note: opts.note ?? null,
    occurred_at: occurredAt,
    created_at: now,
    created_by: actorId(ctx.actor),
  }));
  await ctx.db.insertInto('stock_moves').values(rows).execute();
  for (const r of rows)
    await writeAudit(ctx, {
      object: 'stock_moves',
      recordId: r.id,
      action: 'create',
      changes: {
        kind: [null, kind],
        product_id: [null, r.product_id],
        warehouse_id: [null, r.warehouse_id],
        quantity: [null, qty(big(r.quantity))],
        ...(r.document_id ? { document: [null, `${r.document_object}/${r.document_id}`] } : {}),
      },
    });
  return {
    postingId,
    moves: rows.map((r, i) => ({
      id: r.id,
      productId: r.product_id,
      warehouseId: r.warehouse_id,
      quantity: legs[i].quantity,
      valueMinor: values[i].value,
      document: legs[i].document,
    })),
  };
}

/** Products among ids whose stock is valued first in, first out. */
async function fifoProducts(ctx: RecordContext, productIds: string[]) {
  const products = ctx.k.meta.get('products');
  const field = products.field('valuation_method');
  if (!field || !productIds.length) return new Set<string>();
  const rows = await ctx.db
    .selectFrom(products.table)
    .select(['id', field.column])
    .where('id', 'in', productIds)
    .execute();
  return new Set(rows.filter((r) => r[field.column] === 'fifo').map((r) => r.id));
}

/**
 * Takes a quantity out of a FIFO product's layers, oldest first, and returns the value it
 * takes: whole layers at their value, a part of a layer at its share, rounded half-even.
 */
async function takeFromLayers(ctx: RecordContext, productId: string, quantity: bigint) {
  let left = quantity;
  let value = 0n;
  const layers = await ctx.db
    .selectFrom('stock_layers')
    .select(['id', 'quantity', 'value_minor'])
    .where('product_id', '=', productId)
    .orderBy('id')
    .execute();
  for (const layer of layers) {
    if (left === 0n) break;
    const q = big(layer.quantity);
    const v = big(layer.value_minor);
    if (left >= q) {
      value += v;
      left -= q;
      await ctx.db.deleteFrom('stock_layers').where('id', '=', layer.id).execute();
    } else {
      const part = roundHalfEven(v * left, q);
      value += part;
      await ctx.db
        .updateTable('stock_layers')
        .set({ quantity: (q - left).toString(), value_minor: (v - part).toString() })
        .where('id', '=', layer.id)
        .execute();
      left = 0n;
    }
  }
  return value;
}

/**
 * The value each leg moves, and each product's quantity and value brought up to date, company
 * wide. Incoming stock is valued at its unit cost (or at the average when it has none).
 * Outgoing stock of an average-cost product takes the moving average, rounded half-even; of a
 * FIFO product, the oldest layers first. A transfer moves value between warehouses at the
 * average and changes no total. Whatever move brings a product to zero (or below) takes all
 * its remaining value, so no cent is left when nothing is.
 */
async function valueLegs(
  ctx: RecordContext,
  kind: StockMoveKind,
  legs: StockLeg[],
  moveIds: string[],
  now: string,
) {
  const out = legs.map(() => ({ value: 0n, currency: null as string | null }));
  const productIds = [...new Set(legs.map((l) => l.productId))].sort();
  const fifo = await fifoProducts(ctx, productIds);
  for (const productId of productIds) {
    await ctx.db
      .insertInto('stock_valuation')
      .values({
        product_id: productId,
        quantity: 0,
        value_minor: 0,
        currency: null,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('product_id').doNothing())
      .execute();
    const row =
      ctx.k.database.dialect === 'postgres'
        ? (
            await sql<{
              quantity: string;
              value_minor: string;
              currency: string | null;
            }>`select quantity, value_minor, currency from stock_valuation where product_id = ${productId} for update`.execute(
              ctx.db,
            )
          ).rows[0]
        : await ctx.db
            .selectFrom('stock_valuation')
            .select(['quantity', 'value_minor', 'currency'])
            .where('product_id', '=', productId)
            .executeTakeFirstOrThrow();
    let q = big(row.quantity);
    let v = big(row.value_minor);
    let currency: string | null = row.currency ?? null;
    const isFifo = fifo.has(productId);
    const mine = legs.map((l, i) => ({ l, i })).filter((x) => x.l.productId === productId);

    if (mine.length > 1 && mine.reduce((sum, x) => sum + x.l.quantity, 0n) === 0n) {
      // A transfer (or its reversal): value follows the stock from one warehouse to the other
      // at the average, and the product's quantity, value and layers stay as they are.
      for (const { l, i } of mine) {
        const part = l.quantity < 0n ? -l.quantity : l.quantity;
        const value = q <= part ? v : q > 0n ? roundHalfEven(v * part, q) : 0n;
        out[i] = { value: l.quantity < 0n ? -value : value, currency };
      }
      continue;
    }
    for (const { l, i } of mine) {
      let value: bigint;
      if (l.quantity > 0n) {
        const valued =
          (l.valueMinor !== undefined && l.valueMinor !== null) ||
          (l.unitCostMinor !== undefined && l.unitCostMinor !== null);
        if (valued) {
          // A product's stock is valued in one currency: the first value sets it.
          const c = l.currency ?? currency ?? ctx.k.settings.currency;
          if (currency !== null && c !== currency)
            throw validationError([
              {
                path: 'unit_cost.currency',
                message: `must be ${currency}, the currency this product's stock is valued in`,
              },
            ]);
          currency = c;
        }
        if (l.valueMinor !== undefined && l.valueMinor !== null) value = l.valueMinor;
        else if (l.unitCostMinor !== undefined && l.unitCostMinor !== null)
          value = roundHalfEven(l.quantity * l.unitCostMinor, PER_UNIT);
        else value = q > 0n && v > 0n ? roundHalfEven(v * l.quantity, q) : 0n;
      } else if (q + l.quantity <= 0n) value = -v;
      else if (isFifo) value = -(await takeFromLayers(ctx, productId, -l.quantity));
      else if (l.valueMinor !== undefined && l.valueMinor !== null)
        // A given value (a reversal's) takes out no more than there is.
        value = v >= 0n && l.valueMinor < -v ? -v : l.valueMinor;
      else value = roundHalfEven(v * l.quantity, q);
      if (l.quantity > 0n && q < 0n) {
        // Stock below zero holds no value, so only what rises above zero brings any.
        const above = q + l.quantity > 0n ? q + l.quantity : 0n;
        value = roundHalfEven(value * above, l.quantity);
      }
      q += l.quantity;
      v += value;
      if (q > MAX_QUANTITY || q < -MAX_QUANTITY)
        throw validationError([
          { path: 'quantity', message: "would take the product's stock past a trillion units" },
        ]);
      if (q <= 0n && v !== 0n) {
        // The move that empties the stock takes what value is left.
        value -= v;
        v = 0n;
      }
      if (v > MAX_QUANTITY || v < -MAX_QUANTITY)
        throw validationError([{ path: 'unit_cost.amount', message: 'is too large' }]);
      if (isFifo) {
        if (q <= 0n)
          await ctx.db.deleteFrom('stock_layers').where('product_id', '=', productId).execute();
        else if (l.quantity > 0n)
          await ctx.db
            .insertInto('stock_layers')
            .values({
              id: newId(),
              product_id: productId,
              move_id: moveIds[i],
              // Stock that fills a hole below zero is no layer; what rises above zero is.
              quantity: (l.quantity < q ? l.quantity : q).toString(),
              value_minor: value.toString(),
              created_at: now,
            })
            .execute();
      }
      out[i] = { value, currency };
    }
    await ctx.db
      .updateTable('stock_valuation')
      .set({ quantity: q.toString(), value_minor: v.toString(), currency, updated_at: now })
      .where('product_id', '=', productId)
      .execute();
  }
  return out;
}

/**
 * Reserves stock for document lines in the caller's transaction. Lines are summed per product
 * and warehouse (an order with one product on several lines is checked as a whole), and
 * balances are taken in product order with a guarded update (`on_hand - reserved >= q`): of two
 * documents for the last unit exactly one gets it. Strict (the default): all or nothing, a 409
 * `insufficient_stock` naming each short line. Partial: reserves what is available, lines in
 * their order, and returns the rest per line. Products that may go below zero reserve in full.
 */
export async function reserveStock(
  ctx: RecordContext,
  lines: { productId: string; warehouseId: string; quantity: bigint; document: DocumentRef }[],
  opts: { partial?: boolean; paths?: string[] } = {},
): Promise<{ reserved: bigint[]; short: bigint[] }> {
  lines.forEach((l, i) => {
    if (l.quantity <= 0n)
      throw validationError([
        { path: opts.paths?.[i] ?? 'quantity', message: 'must be more than zero' },
      ]);
    if (!l.document.lineId)
      throw new Error('A reservation belongs to a document line: lineId is missing');
  });
  await lockDocuments(
    ctx,
    lines.map((l) => l.document),
  );
  const now = isoNow(ctx.k.clock);
  const allowNegative = await negativeAllowed(ctx, [...new Set(lines.map((l) => l.productId))]);
  const reserved = lines.map(() => 0n);
  const short = lines.map(() => 0n);
  const groups = new Map<
    string,
    { productId: string; warehouseId: string; quantity: bigint; lines: number[] }
  >();
  lines.forEach((l, i) => {
    const key = `${l.productId}|${l.warehouseId}`;
    const g = groups.get(key) ?? {
      productId: l.productId,
      warehouseId: l.warehouseId,
      quantity: 0n,
      lines: [],
    };
    g.quantity += l.quantity;
    g.lines.push(i);
    groups.set(key, g);
  });
  const shortages: ErrorDetail[] = [];
  for (const g of [...groups.values()].sort(byProductThenWarehouse)) {
    await ensureBalance(ctx, g.productId, g.warehouseId);
    const take = async (amount: bigint, guarded: boolean) =>
      Number(
        (
          await ctx.db
            .updateTable('stock_balances')
            .set({ reserved: sql`reserved + ${sql.raw(amount.toString())}`, updated_at: now })
            .where('product_id', '=', g.productId)
            .where('warehouse_id', '=', g.warehouseId)
            .where(
              guarded
                ? sql<boolean>`on_hand - reserved >= ${sql.raw(amount.toString())}`
                : sql<boolean>`reserved + ${sql.raw(amount.toString())} <= ${sql.raw(MAX_QUANTITY.toString())}`,
            )
            .executeTakeFirst()
        ).numUpdatedRows,
      ) === 1;
    let got = 0n;
    if (await take(g.quantity, !allowNegative.has(g.productId))) got = g.quantity;
    else if (allowNegative.has(g.productId)) {
      throw validationError([
        {
          path: opts.paths?.[g.lines[0]] ?? 'quantity',
          message: 'would take the reservation past a trillion units',
        },
      ]);
    } else {
      if (ctx.k.database.dialect === 'postgres')
        await sql`select on_hand from stock_balances where product_id = ${g.productId} and warehouse_id = ${g.warehouseId} for update`.execute(
          ctx.db,
        );
      const had = await readBalance(ctx, g.productId, g.warehouseId);
      const available = had.onHand - had.reserved > 0n ? had.onHand - had.reserved : 0n;
      if (!opts.partial) {
        // Each short line is named, with what the whole group finds available.
        for (const i of g.lines)
          shortages.push({
            path: opts.paths?.[i] ?? 'quantity',
            message: `only ${qty(available)} available (${qty(had.onHand)} on hand, ${qty(had.reserved)} reserved); ${qty(g.quantity)} needed`,
          });
        continue;
      }
      if (available > 0n && (await take(available, true))) got = available;
    }
    // What the group got goes to its lines in their order.
    let left = got;
    for (const i of g.lines) {
      const part = left < lines[i].quantity ? left : lines[i].quantity;
      reserved[i] = part;
      short[i] = lines[i].quantity - part;
      left -= part;
    }
  }
  if (shortages.length)
    throw new AppError('conflict', 'Not enough stock available', shortages, {
      code_detail: 'insufficient_stock',
    });
  for (const [i, l] of lines.entries()) {
    if (reserved[i] === 0n) continue;
    const key = {
      document_object: l.document.object,
      document_id: l.document.id,
      document_line_id: l.document.lineId!,
      product_id: l.productId,
      warehouse_id: l.warehouseId,
    };
    const existing = await ctx.db
      .selectFrom('stock_reservations')
      .select(['id', 'quantity'])
      .where('document_object', '=', key.document_object)
      .where('document_id', '=', key.document_id)
      .where('document_line_id', '=', key.document_line_id)
      .where('product_id', '=', key.product_id)
      .where('warehouse_id', '=', key.warehouse_id)
      .executeTakeFirst();
    if (existing)
      await ctx.db
        .updateTable('stock_reservations')
        .set({ quantity: (big(existing.quantity) + reserved[i]).toString(), updated_at: now })
        .where('id', '=', existing.id)
        .execute();
    else
      await ctx.db
        .insertInto('stock_reservations')
        .values({
          id: newId(),
          ...key,
          quantity: reserved[i].toString(),
          created_at: now,
          updated_at: now,
        })
        .execute();
  }
  return { reserved, short };
}

/** Gives back what a document (or one of its lines) has reserved. */
export async function releaseReservations(ctx: RecordContext, document: DocumentRef) {
  await lockDocuments(ctx, [document]);
  let query = ctx.db
    .selectFrom('stock_reservations')
    .selectAll()
    .where('document_object', '=', document.object)
    .where('document_id', '=', document.id);
  if (document.lineId) query = query.where('document_line_id', '=', document.lineId);
  const rows = (await query.execute()).sort((a, b) =>
    byProductThenWarehouse(
      { productId: a.product_id, warehouseId: a.warehouse_id },
      { productId: b.product_id, warehouseId: b.warehouse_id },
    ),
  );
  const now = isoNow(ctx.k.clock);
  // Reservation rows first, then balances: the order every path takes them in.
  for (const r of rows)
    await ctx.db.deleteFrom('stock_reservations').where('id', '=', r.id).execute();
  for (const r of rows)
    await ctx.db
      .updateTable('stock_balances')
      .set({ reserved: sql`reserved - ${sql.raw(big(r.quantity).toString())}`, updated_at: now })
      .where('product_id', '=', r.product_id)
      .where('warehouse_id', '=', r.warehouse_id)
      .execute();
}

/** The open reserved quantity of each line of a document. */
export async function reservationsOf(
  ctx: RecordContext,
  document: { object: string; id: string },
): Promise<Map<string, bigint>> {
  const rows = await ctx.db
    .selectFrom('stock_reservations')
    .select(['document_line_id', 'quantity'])
    .where('document_object', '=', document.object)
    .where('document_id', '=', document.id)
    .execute();
  const out = new Map<string, bigint>();
  for (const r of rows)
    out.set(r.document_line_id, (out.get(r.document_line_id) ?? 0n) + big(r.quantity));
  return out;
}

/**
 * What is on order for a product in a warehouse: raised when a purchase order is confirmed,
 * lowered as it is received or cancelled, never below zero (over-delivery ends it at zero).
 */
export async function changeIncoming(
  ctx: RecordContext,
  productId: string,
  warehouseId: string,
  delta: bigint,
) {
  if (delta === 0n) return;
  await ensureBalance(ctx, productId, warehouseId);
  const d = delta.toString();
  await ctx.db
    .updateTable('stock_balances')
    .set({
      incoming: sql`case when incoming + ${sql.raw(d)} < 0 then 0 else incoming + ${sql.raw(d)} end`,
      updated_at: isoNow(ctx.k.clock),
    })
    .where('product_id', '=', productId)
    .where('warehouse_id', '=', warehouseId)
    .execute();
}

export interface StockLevel {
  onHand: bigint;
  reserved: bigint;
  available: bigint;
  incoming: bigint;
}

/** On hand, reserved, available and incoming per product, in one warehouse or in all. */
export async function stockLevels(
  ctx: RecordContext,
  productIds: string[],
  warehouseId?: string,
): Promise<Map<string, StockLevel>> {
  const out = new Map<string, StockLevel>();
  for (const id of productIds)
    out.set(id, { onHand: 0n, reserved: 0n, available: 0n, incoming: 0n });
  if (!productIds.length) return out;
  let query = ctx.db
    .selectFrom('stock_balances')
    .select([
      'product_id',
      sql<string>`sum(on_hand)`.as('on_hand'),
      sql<string>`sum(reserved)`.as('reserved'),
      sql<string>`sum(incoming)`.as('incoming'),
    ])
    .where('product_id', 'in', productIds)
    .groupBy('product_id');
  if (warehouseId) query = query.where('warehouse_id', '=', warehouseId);
  for (const r of await query.execute()) {
    const onHand = big(r.on_hand);
    const reserved = big(r.reserved);
    out.set(r.product_id, {
      onHand,
      reserved,
      available: onHand - reserved,
      incoming: big(r.incoming),
    });
  }
  return out;
}

/** The moving average cost of one unit, in minor units of the product's valuation currency. */
export async function averageUnitCost(
  ctx: RecordContext,
  productId: string,
): Promise<bigint | null> {
  const row = await ctx.db
    .selectFrom('stock_valuation')
    .select(['quantity', 'value_minor'])
    .where('product_id', '=', productId)
    .executeTakeFirst();
  if (!row) return null;
  const q = big(row.quantity);
  if (q <= 0n) return null;
  return roundHalfEven(big(row.value_minor) * PER_UNIT, q);
}
