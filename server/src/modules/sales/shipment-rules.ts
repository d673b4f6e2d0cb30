import { AppError } from '../../core/errors';
import type { RecordHooks } from '../../core/records/hooks';

/**
 * Shipments and their lines are made only by shipping a sales order, which posts their stock
 * moves; they are never made, changed (beyond notes) or deleted by hand.
 */
export const shipmentRules: RecordHooks = {
  async beforeWrite(_ctx, e) {
    if (e.action === 'create' && !e.options.system)
      throw new AppError(
        'conflict',
        'Shipments are made by shipping a sales order (POST /api/v1/sales_orders/{id}/ship)',
      );
  },
  async afterWrite(_ctx, e) {
    if (e.action === 'delete')
      throw new AppError(
        'conflict',
        `The ${e.object.labelSingular.toLowerCase()} is posted to stock and stays; a correction is a new stock move`,
      );
  },
};
