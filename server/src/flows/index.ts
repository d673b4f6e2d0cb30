import type { Flow } from '../core/kontor';
import { productionStockFlow } from './production-stock';

/** Every flow: rules and routes that join modules, registered after the modules' own. */
export const FLOWS: Flow[] = [productionStockFlow];
