import type { Module } from '../../core/kontor';
import { catalogObjects } from './objects';
import { catalogLabelsUk } from './labels';
import { catalogRoutes } from './routes';
import { seedCatalog } from './seed';
import {
  kitComponentRules,
  priceItemRules,
  priceListRules,
  productRules,
  productUnitRules,
  taxRules,
  unitRules,
} from './rules';

export const catalogModule: Module = {
  name: 'catalog',
  objects: catalogObjects,
  labels: { uk: catalogLabelsUk },
  routes: catalogRoutes,
  seed: seedCatalog,
  hooks: {
    units: unitRules,
    products: productRules,
    product_units: productUnitRules,
    taxes: taxRules,
    price_lists: priceListRules,
    price_list_items: priceItemRules,
    kit_components: kitComponentRules,
  },
};
