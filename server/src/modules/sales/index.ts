import type { Module } from '../../core/kontor';
import { documentRules } from './document-rules';
import { QUOTE, SALES_ORDER } from './documents';
import { salesLabelsUk } from './labels';
import { lineRules } from './line-rules';
import { salesObjects } from './objects';
import { salesRoutes } from './routes';
import { shipmentRules } from './shipment-rules';

export const salesModule: Module = {
  name: 'sales',
  objects: salesObjects,
  labels: { uk: salesLabelsUk },
  hooks: {
    quotes: documentRules(QUOTE),
    quote_lines: lineRules(QUOTE),
    sales_orders: documentRules(SALES_ORDER),
    sales_order_lines: lineRules(SALES_ORDER),
    shipments: shipmentRules,
    shipment_lines: shipmentRules,
  },
  routes: salesRoutes,
};
