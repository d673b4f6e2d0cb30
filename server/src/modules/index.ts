import type { Module } from '../core/kontor';
import { automationModule } from './automation';
import { catalogModule } from './catalog';
import { crmModule } from './crm';
import { inventoryModule } from './inventory';
import { productionModule } from './production';
import { purchasingModule } from './purchasing';
import { salesModule } from './sales';
import { tasksModule } from './tasks';

/** Every business module, in the order their objects are created. */
export const MODULES: Module[] = [
  crmModule,
  tasksModule,
  catalogModule,
  inventoryModule,
  purchasingModule,
  salesModule,
  productionModule,
  automationModule,
];
