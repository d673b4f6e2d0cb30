import { AppError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { ApiRecord } from '../../core/records/hooks';
import { loadRecord, recordColumns, rowToRecord } from '../../core/records/read';
import { updateRecord } from '../../core/records/write';
import type { PurchaseOrderStatus } from './objects';

/** A purchase order the actor may change, with its lines in position order. */
export async function loadOrderForUpdate(ctx: RecordContext, id: string) {
  const order = await loadRecord(ctx, ctx.k.meta.get('purchase_orders'), id, {
    action: 'update',
    raw: true,
  });
  // The lines go with the order: whoever may change the order acts on all of them.
  const lineObject = ctx.k.meta.get('purchase_order_lines');
  const rows = (await ctx.db
    .selectFrom(lineObject.table)
    .select(recordColumns(lineObject, ctx.k.database.dialect))
    .where('order_id', '=', order.id)
    .where('deleted_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute()) as Record<string, unknown>[];
  const full = rows.map((r) => rowToRecord(lineObject, r));
  return { order, lines: full };
}

/**
 * Moves an order to another status if it is in one of `from`; 409 otherwise. The write
 * expects the version read, so of two actions on one order at once the second gets 412.
 */
export async function moveStatus(
  ctx: RecordContext,
  order: ApiRecord,
  from: PurchaseOrderStatus[],
  to: PurchaseOrderStatus,
  verb: string,
) {
  const status = order.status as PurchaseOrderStatus;
  if (!from.includes(status))
    throw new AppError('conflict', `A ${status} purchase order cannot be ${verb}`, [
      { path: 'status', message: `is ${status}; it must be ${from.join(' or ')}` },
    ]);
  return updateRecord(
    ctx,
    'purchase_orders',
    order.id,
    { status: to },
    { expectedVersion: order.version, options: { system: true } },
  );
}

/** Sending an order to its supplier: a draft with at least one line becomes sent. */
export async function sendOrder(ctx: RecordContext, id: string) {
  const { order, lines } = await loadOrderForUpdate(ctx, id);
  if (order.status === 'draft' && lines.length === 0)
    throw new AppError('conflict', 'A purchase order without lines cannot be sent', [
      { path: 'lines', message: 'add at least one line first' },
    ]);
  return moveStatus(ctx, order, ['draft'], 'sent', 'sent');
}
