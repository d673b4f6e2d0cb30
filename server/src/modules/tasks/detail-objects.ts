import type { FieldDef, ObjectDef } from '../../core/metadata/types';

// Not `required` in metadata: deleting a task clears these references (so that restoring the task
// brings them back), which a required field would refuse. The hooks require it on every other write.
function taskField(reverseName: string, reverseLabel: string): FieldDef {
  return {
    name: 'task_id',
    label: 'Task',
    type: 'relation',
    target: 'tasks',
    indexed: true,
    reverseName,
    reverseLabel,
  };
}

export const taskChecklistItems: ObjectDef = {
  name: 'task_checklist_items',
  labelSingular: 'Checklist item',
  labelPlural: 'Checklist items',
  module: 'tasks',
  titleField: 'text',
  fields: [
    taskField('checklist', 'Checklist'),
    { name: 'text', label: 'Text', type: 'text', required: true },
    { name: 'done', label: 'Done', type: 'boolean' },
    { name: 'position', label: 'Position', type: 'integer' },
  ],
};

export const taskComments: ObjectDef = {
  name: 'task_comments',
  labelSingular: 'Comment',
  labelPlural: 'Comments',
  module: 'tasks',
  titleField: 'body',
  fields: [
    taskField('comments', 'Comments'),
    { name: 'body', label: 'Text', type: 'long_text', required: true, searchable: true },
    { name: 'author_id', label: 'Author', type: 'relation', target: 'users', readOnly: true },
  ],
};

/** "task_id starts when depends_on_id is done": an edge of the graph of tasks, never a cycle. */
export const taskDependencies: ObjectDef = {
  name: 'task_dependencies',
  labelSingular: 'Dependency',
  labelPlural: 'Dependencies',
  module: 'tasks',
  titleField: 'task_id',
  fields: [
    taskField('dependencies', 'Waits for'),
    {
      name: 'depends_on_id',
      label: 'Waits for task',
      type: 'relation',
      target: 'tasks',
      indexed: true,
      reverseName: 'dependents',
      reverseLabel: 'Blocks',
    },
  ],
};

/** A user told when the task changes hands, gets a comment or is completed. */
export const taskWatchers: ObjectDef = {
  name: 'task_watchers',
  labelSingular: 'Watcher',
  labelPlural: 'Watchers',
  module: 'tasks',
  titleField: 'user_id',
  fields: [
    taskField('watchers', 'Watchers'),
    { name: 'user_id', label: 'User', type: 'relation', target: 'users', indexed: true },
  ],
};
