import type { Module } from '../../core/kontor';
import { inventoryLabelsUk } from './labels';
import { reorderPoints, stockCountLines, stockCounts, warehouses } from './objects';
import { inventoryRoutes } from './routes';
import {
  reorderPointRules,
  stockCountLineRules,
  stockCountRoutes,
  stockCountRules,
} from './stock-counts';
import { stockedProductRules, stockedWarehouseRules } from './stock-rules';

export const inventoryModule: Module = {
  name: 'inventory',
  objects: [warehouses, reorderPoints, stockCounts, stockCountLines],
  labels: { uk: inventoryLabelsUk },
  routes: async (app) => {
    await inventoryRoutes(app);
    await stockCountRoutes(app);
  },
  hooks: {
    warehouses: [
      {
        // A new warehouse is in use unless said otherwise.
        async beforeWrite(_ctx, e) {
          if (!e.before && e.values.is_active === undefined) e.values.is_active = true;
        },
      },
      stockedWarehouseRules,
    ],
    products: stockedProductRules,
    reorder_points: reorderPointRules,
    stock_counts: stockCountRules,
    stock_count_lines: stockCountLineRules,
  },
};
