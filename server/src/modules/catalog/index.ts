import type { Module } from '../../core/kontor';
import { productCategories, products } from './objects';
import { catalogLabelsUk } from './labels';

export const catalogModule: Module = {
  name: 'catalog',
  objects: [productCategories, products],
  labels: { uk: catalogLabelsUk },
  hooks: {
    products: {
      async beforeWrite(_ctx, e) {
        if (e.action === 'create') {
          if (e.values.kind === undefined) e.values.kind = 'goods';
          if (e.values.is_active === undefined) e.values.is_active = true;
        }
      },
    },
  },
};
