import type { Module } from '../../core/kontor';
import { catalogObjects } from './objects';
import { catalogLabelsUk } from './labels';
import { catalogRoutes } from './routes';
import {
  kitComponentRules,
  priceItemRules,
  priceListRules,
  productRules,
  productUnitRules,
  taxRules,
} from './rules';

export const catalogModule: Module = {
  name: 'catalog',
  objects: catalogObjects,
  labels: { uk: catalogLabelsUk },
  routes: catalogRoutes,
  hooks: {
    products: productRules,
    product_units: productUnitRules,
    taxes: taxRules,
    price_lists: priceListRules,
    price_list_items: priceItemRules,
    kit_components: kitComponentRules,
  },
};
