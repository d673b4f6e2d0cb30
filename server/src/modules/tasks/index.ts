import type { Module } from '../../core/kontor';
import { relatedRecordHook } from '../../core/records/related-record';
import { dependencyRules, taskDependencyStatusRules } from './dependencies';
import { taskChecklistItems, taskComments, taskDependencies, taskWatchers } from './detail-objects';
import { tasksLabelsUk } from './labels';
import { projects, tasks } from './objects';
import { checklistPositionRule, commentAuthorRule, taskNumberRule } from './part-defaults';
import { requiredLinks, uniquePair } from './part-rules';
import { queueMembers, queues } from './queue-objects';
import { seedQueues } from './queues';
import { commentNotificationRules, taskNotificationRules } from './task-notifications';
import { dueTimeRule, sendReminder } from './reminders';
import { taskStatusHook } from './task-rules';
import { tasksRoutes } from './routes';
import { taskTemplateItems, taskTemplates } from './template-objects';
import { templateItemRules, templateRules } from './templates';

export { applyTaskTemplate, type ApplyOptions } from './templates';

export const tasksModule: Module = {
  name: 'tasks',
  objects: [
    tasks,
    projects,
    queues,
    queueMembers,
    taskChecklistItems,
    taskComments,
    taskDependencies,
    taskWatchers,
    taskTemplates,
    taskTemplateItems,
  ],
  labels: { uk: tasksLabelsUk },
  seed: seedQueues,
  routes: tasksRoutes,
  jobs: { 'tasks.remind': sendReminder },
  hooks: {
    tasks: [
      relatedRecordHook,
      taskStatusHook,
      taskNumberRule,
      taskDependencyStatusRules,
      dueTimeRule,
      taskNotificationRules,
    ],
    projects: {
      // A new project is under way unless said otherwise.
      async beforeWrite(_ctx, e) {
        if (e.action === 'create' && e.values.status === undefined) e.values.status = 'active';
      },
    },
    queue_members: [
      requiredLinks('queue_id', 'user_id'),
      uniquePair('queue_id', 'user_id', 'is already a member of this queue'),
    ],
    task_watchers: [
      requiredLinks('task_id', 'user_id'),
      uniquePair('task_id', 'user_id', 'already watches this task'),
    ],
    task_checklist_items: [requiredLinks('task_id'), checklistPositionRule],
    task_comments: [requiredLinks('task_id'), commentAuthorRule, commentNotificationRules],
    task_dependencies: [
      requiredLinks('task_id', 'depends_on_id'),
      uniquePair('task_id', 'depends_on_id', 'this task already waits for that one'),
      dependencyRules,
    ],
    task_templates: templateRules,
    task_template_items: [requiredLinks('template_id'), templateItemRules],
  },
};
