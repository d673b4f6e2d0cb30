import type { Flow } from '../core/kontor';

/** Every flow: rules and routes that join modules, registered after the modules' own. */
export const FLOWS: Flow[] = [];
