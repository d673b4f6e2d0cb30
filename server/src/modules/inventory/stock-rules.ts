import { sql } from 'kysely';
import { AppError, validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { RecordHooks } from '../../core/records/hooks';

/** How many product-and-warehouse balances of a record are not zero. */
async function stockHeld(ctx: RecordContext, column: 'product_id' | 'warehouse_id', id: string) {
  const row = await ctx.db
    .selectFrom('stock_balances')
    .select(sql<number>`count(*)`.as('n'))
    .where(column, '=', id)
    .where('on_hand', '!=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A product that holds stock stays goods and is not deleted: its stock would be stuck, since no
 * move may touch a service or a deleted product. Adjust it to zero first.
 */
export const stockedProductRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action !== 'update' || !e.before) return;
    // Average and FIFO keep different books (FIFO keeps layers), and every quantity held is
    // counted in the base unit: either changes only with no stock.
    for (const field of ['valuation_method', 'unit_id'])
      if (
        e.values[field] !== undefined &&
        e.values[field] !== e.before[field] &&
        (await stockHeld(ctx, 'product_id', e.before.id))
      )
        throw validationError([
          {
            path: field,
            message: 'cannot change while the product has stock; adjust it to zero first',
          },
        ]);
    if (e.values.kind !== 'service' || e.before.kind === 'service') return;
    if (await stockHeld(ctx, 'product_id', e.before.id))
      throw validationError([
        {
          path: 'kind',
          message: 'cannot become a service while it has stock; adjust it to zero first',
        },
      ]);
  },
  async afterWrite(ctx, e) {
    if (e.action !== 'delete' || !e.before) return;
    if (await stockHeld(ctx, 'product_id', e.before.id))
      throw new AppError('conflict', 'The product has stock on hand; adjust it to zero first');
  },
};

/** A warehouse that holds stock is not deleted: transfer or adjust its stock first. */
export const stockedWarehouseRules: RecordHooks = {
  async afterWrite(ctx, e) {
    if (e.action !== 'delete' || !e.before) return;
    if (await stockHeld(ctx, 'warehouse_id', e.before.id))
      throw new AppError('conflict', 'The warehouse holds stock; transfer or adjust it first');
  },
};
