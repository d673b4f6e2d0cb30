import type { Module } from '../../core/kontor';
import { relatedRecordHook } from '../../core/records/related-record';
import { tasks } from './objects';
import { taskStatusHook } from './task-rules';

export const tasksModule: Module = {
  name: 'tasks',
  objects: [tasks],
  hooks: { tasks: [relatedRecordHook, taskStatusHook] },
};
