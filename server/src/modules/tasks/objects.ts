import type { ObjectDef } from '../../core/metadata/types';

export const tasks: ObjectDef = {
  name: 'tasks',
  labelSingular: 'Task',
  labelPlural: 'Tasks',
  module: 'tasks',
  titleField: 'title',
  fields: [
    { name: 'title', label: 'Title', type: 'text', required: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text', searchable: true },
    { name: 'assignee_id', label: 'Assignee', type: 'relation', target: 'users', indexed: true },
    { name: 'due_date', label: 'Due date', type: 'date', indexed: true },
    { name: 'due_at', label: 'Due time', type: 'datetime', indexed: true },
    {
      name: 'status',
      label: 'Status',
      type: 'select',
      indexed: true,
      options: [
        { value: 'open', label: 'Open' },
        { value: 'in_progress', label: 'In progress' },
        { value: 'done', label: 'Done' },
        { value: 'cancelled', label: 'Cancelled' },
      ],
    },
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
    { name: 'completed_at', label: 'Completed', type: 'datetime', readOnly: true },
    { name: 'related_object', label: 'Related object', type: 'text', indexed: true },
    { name: 'related_id', label: 'Related record', type: 'text', indexed: true },
    {
      name: 'project_id',
      label: 'Project',
      type: 'relation',
      target: 'projects',
      indexed: true,
      reverseName: 'tasks',
      reverseLabel: 'Tasks',
    },
  ],
};

/** A set of tasks towards one result (an installation, a launch), with its progress. */
export const projects: ObjectDef = {
  name: 'projects',
  labelSingular: 'Project',
  labelPlural: 'Projects',
  module: 'tasks',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text', searchable: true },
    {
      name: 'status',
      label: 'Status',
      type: 'select',
      indexed: true,
      options: [
        { value: 'planned', label: 'Planned' },
        { value: 'active', label: 'Active' },
        { value: 'on_hold', label: 'On hold' },
        { value: 'done', label: 'Done' },
        { value: 'cancelled', label: 'Cancelled' },
      ],
    },
    { name: 'start_date', label: 'Start date', type: 'date' },
    { name: 'due_date', label: 'Due date', type: 'date', indexed: true },
    {
      name: 'company_id',
      label: 'Company',
      type: 'relation',
      target: 'companies',
      reverseName: 'projects',
      reverseLabel: 'Projects',
    },
    {
      name: 'deal_id',
      label: 'Deal',
      type: 'relation',
      target: 'deals',
      reverseName: 'projects',
      reverseLabel: 'Projects',
    },
    {
      name: 'tasks_count',
      label: 'Tasks',
      type: 'computed',
      resultType: 'integer',
      rollup: { aggregate: 'count', object: 'tasks', via: 'project_id' },
    },
    {
      name: 'done_tasks_count',
      label: 'Tasks done',
      type: 'computed',
      resultType: 'integer',
      rollup: { aggregate: 'count', object: 'tasks', via: 'project_id', where: { status: 'done' } },
    },
  ],
};
