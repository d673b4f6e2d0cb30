import type { Module } from '../../core/kontor';
import { purchasingLabelsUk } from './labels';
import { purchasingObjects } from './objects';
import { purchaseOrderLineRules, purchaseOrderRules } from './order-rules';
import { receiptLineRules, receiptRules } from './receipt-rules';
import { purchasingRoutes } from './routes';
import { supplierPriceRules } from './supplier-prices';

export const purchasingModule: Module = {
  name: 'purchasing',
  objects: purchasingObjects,
  labels: { uk: purchasingLabelsUk },
  routes: purchasingRoutes,
  hooks: {
    purchase_orders: purchaseOrderRules,
    purchase_order_lines: purchaseOrderLineRules,
    supplier_prices: supplierPriceRules,
    receipts: receiptRules,
    receipt_lines: receiptLineRules,
  },
};
