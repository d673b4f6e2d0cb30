import type { Module } from '../../core/kontor';
import { productionLabelsUk } from './labels';
import { productionObjects } from './objects';
import { billRules, bomLineRules, productInBillsRule, productionOrderRules } from './rules';

export const productionModule: Module = {
  name: 'production',
  objects: productionObjects,
  labels: { uk: productionLabelsUk },
  hooks: {
    bills_of_materials: billRules,
    bom_lines: bomLineRules,
    production_orders: productionOrderRules,
    products: productInBillsRule,
  },
};
