import type { FastifyInstance } from 'fastify';
import { nextDocumentNumber } from '../../core/documents/numbering';
import { AppError, validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { decimalToScaled, scaledToDecimal } from '../../core/metadata/money';
import type { RecordHooks } from '../../core/records/hooks';
import { loadRecord, recordColumns, rowToRecord } from '../../core/records/read';
import { updateRecord } from '../../core/records/write';
import { idempotentWrite } from '../../http/idempotency';
import { postStock, QUANTITY_SCALE, stockLevels } from './ledger';

const scaled = (v: unknown): bigint | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return BigInt(v);
  const s = decimalToScaled(String(v), QUANTITY_SCALE);
  return typeof s === 'string' ? null : s;
};

/** A reorder point is one per product and warehouse, with quantities of zero or more. */
export const reorderPointRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create' && e.values.reorder_quantity === undefined)
      e.values.reorder_quantity = 0;
    for (const f of ['min_quantity', 'reorder_quantity']) {
      const v = scaled(e.values[f]);
      if (v !== null && v < 0n)
        throw validationError([{ path: f, message: 'must not be negative' }]);
    }
    const productId = e.values.product_id ?? e.before?.product_id;
    const warehouseId = e.values.warehouse_id ?? e.before?.warehouse_id;
    if (e.values.product_id === undefined && e.values.warehouse_id === undefined) return;
    // Limitation: two creates of the same pair at the same instant on PostgreSQL may both pass
    // (record tables have no composite unique index yet).
    const other = await ctx.db
      .selectFrom('reorder_points')
      .select('id')
      .where('product_id', '=', productId as string)
      .where('warehouse_id', '=', warehouseId as string)
      .where('deleted_at', 'is', null)
      .where('id', '!=', e.before?.id ?? '')
      .executeTakeFirst();
    if (other)
      throw new AppError(
        'conflict',
        'This product already has a reorder point in this warehouse',
        [{ path: 'product_id', message: `has a reorder point here already: ${String(other.id)}` }],
        { existing_id: other.id },
      );
  },
};

/** A stock count is numbered `SC-000001`, starts as a draft and is posted by its action only. */
export const stockCountRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create') {
      e.values.status = 'draft';
      e.values.number = await nextDocumentNumber(ctx, 'SC');
      if (e.values.counted_at === undefined) e.values.counted_at = ctx.k.clock.now().toISOString();
    } else if (e.before?.status === 'posted' && !e.options.system) {
      throw new AppError('conflict', 'A posted stock count is not changed', [
        { path: 'status', message: 'is posted' },
      ]);
    }
  },
  async afterWrite(_ctx, e) {
    if ((e.action === 'delete' || e.action === 'restore') && e.before?.status === 'posted')
      throw new AppError('conflict', 'A posted stock count stays; its adjustment was posted');
  },
};

async function countOf(ctx: RecordContext, id: string) {
  return (await ctx.db
    .selectFrom('stock_counts')
    .select(['id', 'status'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as { id: string; status: string } | undefined;
}

/** Count lines change while the count is a draft; one line per product; goods only. */
export const stockCountLineRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    const { values, before } = e;
    if (before && values.count_id !== undefined && values.count_id !== before.count_id)
      throw validationError([{ path: 'count_id', message: 'a line stays on the count it is on' }]);
    const countId = (values.count_id ?? before?.count_id) as string;
    const count = await countOf(ctx, countId);
    if (!count) return;
    if (count.status !== 'draft' && !e.options.system)
      throw new AppError('conflict', 'The stock count is posted; its lines are settled', [
        { path: 'count_id', message: 'is posted' },
      ]);
    const counted = scaled(values.counted_quantity);
    if (counted !== null && counted < 0n)
      throw validationError([{ path: 'counted_quantity', message: 'must not be negative' }]);
    if (values.product_id === undefined) return;
    const product = await ctx.db
      .selectFrom('products')
      .select('kind')
      .where('id', '=', values.product_id as string)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (product?.kind === 'service')
      throw validationError([
        { path: 'product_id', message: 'is a service, which holds no stock' },
      ]);
    const other = await ctx.db
      .selectFrom('stock_count_lines')
      .select('id')
      .where('count_id', '=', countId)
      .where('product_id', '=', values.product_id as string)
      .where('deleted_at', 'is', null)
      .where('id', '!=', before?.id ?? '')
      .executeTakeFirst();
    if (other)
      throw validationError([
        { path: 'product_id', message: `is counted on another line of this count: ${other.id}` },
      ]);
  },
  async afterWrite(ctx, e) {
    if (e.action !== 'delete' && e.action !== 'restore') return;
    const count = await countOf(ctx, e.after.count_id as string);
    if (count && count.status !== 'draft')
      throw new AppError('conflict', 'The stock count is posted; its lines are settled');
  },
};

/**
 * Posts a stock count: each line's expected quantity is what the ledger has on hand in the
 * count's warehouse now, and every difference is posted as one adjustment, in one transaction.
 * Lines that match post nothing; a count that matches everywhere posts no moves at all.
 */
export async function postStockCount(ctx: RecordContext, id: string) {
  const countObject = ctx.k.meta.get('stock_counts');
  const count = await loadRecord(ctx, countObject, id, { action: 'update', raw: true });
  if (count.status !== 'draft')
    throw new AppError('conflict', 'This stock count is posted already', [
      { path: 'status', message: 'is posted' },
    ]);
  // The lines go with the count: whoever may post the count posts all of them.
  const lineObject = ctx.k.meta.get('stock_count_lines');
  const rows = (await ctx.db
    .selectFrom(lineObject.table)
    .select(recordColumns(lineObject, ctx.k.database.dialect))
    .where('count_id', '=', count.id)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute()) as Record<string, unknown>[];
  if (!rows.length)
    throw new AppError('conflict', 'A stock count without lines posts nothing', [
      { path: 'lines', message: 'add a line per product counted' },
    ]);
  const lines = rows.map((r) => rowToRecord(lineObject, r));
  const warehouseId = count.warehouse_id as string;

  const levels = await stockLevels(
    ctx,
    lines.map((l) => l.product_id as string),
    warehouseId,
  );
  const figures = lines.map((l) => {
    const expected = levels.get(l.product_id as string)?.onHand ?? 0n;
    const counted = scaled(l.counted_quantity) ?? 0n;
    return { line: l, expected, counted, difference: counted - expected };
  });
  const moving = figures.filter((f) => f.difference !== 0n);
  let postingId: string | null = null;
  if (moving.length) {
    const posted = await postStock(
      ctx,
      'adjustment',
      moving.map((f) => ({
        productId: f.line.product_id as string,
        warehouseId,
        quantity: f.difference,
        document: { object: 'stock_counts', id: count.id, lineId: f.line.id },
      })),
      {
        note: `Stock count ${String(count.number)}`,
        paths: moving.map((f) => `lines[${figures.indexOf(f)}].counted_quantity`),
      },
    );
    postingId = posted.postingId;
  }

  const dec = (v: bigint) => scaledToDecimal(v, QUANTITY_SCALE);
  for (const f of figures)
    await updateRecord(
      ctx,
      'stock_count_lines',
      f.line.id,
      { expected_quantity: dec(f.expected), difference: dec(f.difference) },
      { options: { system: true }, skipScope: true },
    );
  const after = await updateRecord(
    ctx,
    'stock_counts',
    count.id,
    { status: 'posted', posting_id: postingId },
    { expectedVersion: count.version, options: { system: true } },
  );
  return {
    ...after,
    lines: figures.map((f) => ({
      id: f.line.id,
      product_id: f.line.product_id,
      counted_quantity: dec(f.counted),
      expected_quantity: dec(f.expected),
      difference: dec(f.difference),
    })),
  };
}

export async function stockCountRoutes(app: FastifyInstance) {
  app.post<{ Params: { id: string } }>('/api/v1/stock_counts/:id/post', async (request, reply) =>
    idempotentWrite(request, reply, 200, (ctx) => postStockCount(ctx, request.params.id)),
  );
}
