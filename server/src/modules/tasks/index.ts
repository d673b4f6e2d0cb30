import type { Module } from '../../core/kontor';
import { relatedRecordHook } from '../../core/records/related-record';
import { tasks } from './objects';
import { taskStatusHook } from './task-rules';
import { tasksLabelsUk } from './labels';

export const tasksModule: Module = {
  name: 'tasks',
  objects: [tasks],
  labels: { uk: tasksLabelsUk },
  hooks: { tasks: [relatedRecordHook, taskStatusHook] },
};
