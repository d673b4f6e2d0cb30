import type { Flow } from '../core/kontor';
import { automationFormsFlow } from './automation-forms';
import { automationOperationsFlow } from './automation-operations';
import { automationTasksFlow } from './automation-tasks';
import { productionStockFlow } from './production-stock';
import { purchasingStockFlow } from './purchasing-stock';
import { reorderFlow } from './reorder';
import { salesCatalogFlow } from './sales-catalog';
import { salesStockFlow } from './sales-stock';

/** Every flow: rules and routes that join modules, registered after the modules' own. */
export const FLOWS: Flow[] = [
  purchasingStockFlow,
  reorderFlow,
  salesCatalogFlow,
  salesStockFlow,
  productionStockFlow,
  automationOperationsFlow,
  automationTasksFlow,
  automationFormsFlow,
];
