import type { Module } from '../../core/kontor';
import { inventoryLabelsUk } from './labels';
import { warehouses } from './objects';
import { inventoryRoutes } from './routes';
import { stockedProductRules, stockedWarehouseRules } from './stock-rules';

export const inventoryModule: Module = {
  name: 'inventory',
  objects: [warehouses],
  labels: { uk: inventoryLabelsUk },
  routes: inventoryRoutes,
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
  },
};
