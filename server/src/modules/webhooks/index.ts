import type { Module } from '../../core/kontor';
import { matchEvents, WEBHOOK_JOBS } from './delivery';
import { webhookRoutes } from './routes';

/**
 * Outbound webhooks: administrators subscribe a URL to an object's record events; each matched
 * event becomes a signed delivery, retried with backoff, logged per attempt, and replayable.
 */
export const webhooksModule: Module = {
  name: 'webhooks',
  objects: [],
  routes: webhookRoutes,
  jobs: WEBHOOK_JOBS,
  onEvents: matchEvents,
};
