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
  ],
};
