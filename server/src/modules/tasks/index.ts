import type { Module } from '../../core/kontor';
import { relatedRecordHook } from '../../core/records/related-record';
import { projects, tasks } from './objects';
import { taskStatusHook } from './task-rules';
import { tasksLabelsUk } from './labels';

export const tasksModule: Module = {
  name: 'tasks',
  objects: [tasks, projects],
  labels: { uk: tasksLabelsUk },
  hooks: {
    tasks: [relatedRecordHook, taskStatusHook],
    projects: {
      // A new project is under way unless said otherwise.
      async beforeWrite(_ctx, e) {
        if (e.action === 'create' && e.values.status === undefined) e.values.status = 'active';
      },
    },
  },
};
