import { nextDocumentNumber } from '../../core/documents/numbering';
import { AppError } from '../../core/errors';
import type { RecordHooks } from '../../core/records/hooks';

/**
 * A receipt and its lines are written only by receiving a purchase order, which posts their
 * stock in the same transaction; they are never changed or deleted afterwards, since the
 * stock they posted stays (a correction is an adjustment).
 */
export const receiptLineRules: RecordHooks = {
  async beforeWrite(_ctx, e) {
    if (!e.options.system)
      throw new AppError(
        'conflict',
        e.action === 'create'
          ? 'Receipts are made by receiving a purchase order: POST /api/v1/purchase_orders/{id}/receive'
          : 'A receipt is not changed once its stock is posted',
      );
  },
  async afterWrite(_ctx, e) {
    if (e.action === 'delete' || e.action === 'restore')
      throw new AppError(
        'conflict',
        'A receipt posted stock and stays; correct the stock with an adjustment',
      );
  },
};

/** A receipt is numbered `RC-000001` when it is made. */
export const receiptRules: RecordHooks[] = [
  receiptLineRules,
  {
    async beforeWrite(ctx, e) {
      if (e.action === 'create') e.values.number = await nextDocumentNumber(ctx, 'RC');
    },
  },
];
