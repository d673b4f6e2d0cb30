import type { ObjectDef } from '../../core/metadata/types';

/** A named set of tasks created in one step on a record ("Installation of a gate"). */
export const taskTemplates: ObjectDef = {
  name: 'task_templates',
  labelSingular: 'Task template',
  labelPlural: 'Task templates',
  module: 'tasks',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text' },
    // Empty: the template applies to a record of any object.
    { name: 'applies_to', label: 'Applies to object', type: 'text', indexed: true },
  ],
};

/** One task of a template: when it is due after the start, who takes it, what it waits for. */
export const taskTemplateItems: ObjectDef = {
  name: 'task_template_items',
  labelSingular: 'Template task',
  labelPlural: 'Template tasks',
  module: 'tasks',
  titleField: 'title',
  fields: [
    {
      name: 'template_id',
      label: 'Template',
      type: 'relation',
      target: 'task_templates',
      indexed: true,
      reverseName: 'items',
      reverseLabel: 'Tasks',
    },
    { name: 'title', label: 'Title', type: 'text', required: true },
    { name: 'description', label: 'Description', type: 'long_text' },
    { name: 'offset_days', label: 'Due after (days)', type: 'integer' },
    { name: 'offset_hours', label: 'Due after (hours)', type: 'integer' },
    { name: 'assignee_id', label: 'Assignee', type: 'relation', target: 'users' },
    { name: 'queue_id', label: 'Queue', type: 'relation', target: 'queues' },
    {
      name: 'priority',
      label: 'Priority',
      type: 'select',
      options: [
        { value: 'low', label: 'Low' },
        { value: 'normal', label: 'Normal' },
        { value: 'high', label: 'High' },
      ],
    },
    { name: 'position', label: 'Position', type: 'integer' },
    {
      name: 'depends_on_item_id',
      label: 'Waits for',
      type: 'relation',
      target: 'task_template_items',
      reverseName: 'dependents',
      reverseLabel: 'Blocks',
    },
  ],
};
