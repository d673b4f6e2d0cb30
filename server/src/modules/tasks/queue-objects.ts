import type { ObjectDef } from '../../core/metadata/types';

/** A department that takes tasks as a group (Production, Installation). */
export const queues: ObjectDef = {
  name: 'queues',
  labelSingular: 'Queue',
  labelPlural: 'Queues',
  module: 'tasks',
  titleField: 'name',
  fields: [
    {
      name: 'name',
      label: 'Name',
      type: 'text',
      required: true,
      unique: true,
      indexed: true,
      searchable: true,
    },
    { name: 'description', label: 'Description', type: 'long_text' },
  ],
};

/** A user's membership of a queue: members see the queue's tasks as theirs to take. */
export const queueMembers: ObjectDef = {
  name: 'queue_members',
  labelSingular: 'Queue member',
  labelPlural: 'Queue members',
  module: 'tasks',
  titleField: 'user_id',
  fields: [
    {
      name: 'queue_id',
      label: 'Queue',
      type: 'relation',
      target: 'queues',
      indexed: true,
      reverseName: 'members',
      reverseLabel: 'Members',
    },
    { name: 'user_id', label: 'User', type: 'relation', target: 'users', indexed: true },
  ],
};
