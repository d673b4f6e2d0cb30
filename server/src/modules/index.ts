import type { Module } from '../core/kontor';
import { automationModule } from './automation';
import { catalogModule } from './catalog';
import { crmModule } from './crm';
import { formsModule } from './forms';
import { inventoryModule } from './inventory';
import { productionModule } from './production';
import { purchasingModule } from './purchasing';
import { salesModule } from './sales';
import { slaModule } from './sla';
import { tasksModule } from './tasks';
import { webhooksModule } from './webhooks';

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
  formsModule,
  webhooksModule,
  slaModule,
];
