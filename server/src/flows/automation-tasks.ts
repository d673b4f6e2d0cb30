import { AppError } from '../core/errors';
import type { Flow } from '../core/kontor';
import { ACTIONS_EXTENSION, type AutomationAction } from '../modules/automation/actions';
import { applyTaskTemplate } from '../modules/tasks/templates';

/** Creates a task template's tasks on the run's record (due times from the run's start). */
const applyTemplate: AutomationAction = {
  label: 'Create tasks from a template',
  settings: [{ name: 'template_id', label: 'Task template', type: 'id' }],
  producesTasks: true,
  validate(settings) {
    return typeof settings.template_id === 'string' && settings.template_id
      ? []
      : [{ path: 'template_id', message: 'name the task template' }];
  },
  async run(ctx, settings, env) {
    if (!env.record) throw new AppError('validation', 'this run has no record to set tasks on');
    const tasks = await applyTaskTemplate(ctx, String(settings.template_id), env.record);
    return { status: 'done', output: { task_ids: tasks.map((t) => t.id) } };
  },
};

export const automationTasksFlow: Flow = {
  name: 'automation-tasks',
  extensions: { [ACTIONS_EXTENSION]: { apply_task_template: applyTemplate } },
};
