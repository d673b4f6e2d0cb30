import type { Module } from '../../core/kontor';
import { relatedRecordHook } from '../../core/records/related-record';
import { dealStagesHook, stageRulesHook } from './deal-stages';
import { contactDuplicatesHook } from './duplicates';
import { fullNameHook } from './names';
import { leadStatusHook } from './lead-conversion';
import { crmObjects } from './objects';
import { crmRoutes } from './routes';
import { seedCrm } from './seed';
import { crmLabelsUk } from './labels';

export const crmModule: Module = {
  name: 'crm',
  objects: crmObjects,
  labels: { uk: crmLabelsUk },
  hooks: {
    contacts: [fullNameHook, contactDuplicatesHook],
    leads: [fullNameHook, leadStatusHook],
    deals: dealStagesHook,
    stages: stageRulesHook,
    activities: relatedRecordHook,
  },
  seed: seedCrm,
  routes: crmRoutes,
};
