import type { Module } from '../../core/kontor';
import { breachTimer } from './breach';
import { slaLabelsUk } from './labels';
import { slaObjects } from './objects';
import { slaRoutes } from './routes';
import { calendarRulesHook, policyRulesHook } from './rules';
import { seedSla } from './seed';
import { BREACH_JOB, slaOnEvents } from './timers';

export const slaModule: Module = {
  name: 'sla',
  objects: slaObjects,
  labels: { uk: slaLabelsUk },
  hooks: { calendars: calendarRulesHook, sla_policies: policyRulesHook },
  seed: seedSla,
  routes: slaRoutes,
  jobs: { [BREACH_JOB]: breachTimer },
  onEvents: slaOnEvents,
};
