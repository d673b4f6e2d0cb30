import type { Module } from '../../core/kontor';
import { dateJob, DATE_JOB, onAutomationEvents, SCHEDULE_JOB, scheduleJob } from './dispatch';
import { automationRoutes } from './routes';
import { STEP_JOB, stepJob } from './runs';

/** Business processes: triggers, conditions and steps, run as chains of durable jobs. */
export const automationModule: Module = {
  name: 'automation',
  objects: [],
  routes: automationRoutes,
  onEvents: onAutomationEvents,
  jobs: {
    [STEP_JOB]: stepJob,
    [DATE_JOB]: dateJob,
    [SCHEDULE_JOB]: scheduleJob,
  },
};
