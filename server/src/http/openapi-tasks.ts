type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each problem, like object or start_at'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow this, or the caller is not a user'),
};
const idParam = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: what,
  schema: { type: 'string', format: 'uuid' },
});
const tags = ['Notifications'];

/** Applying a task template, and a user's notifications, for the OpenAPI document. */
export function tasksPaths(visible: Set<string>): Record<string, Schema> {
  const paths: Record<string, Schema> = {
    '/api/v1/notifications': {
      get: {
        tags,
        operationId: 'listNotifications',
        summary: "The caller's notifications, newest first, with the unread count",
        parameters: [
          { name: 'unread', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          {
            name: 'before',
            in: 'query',
            description: 'next_before of the previous page',
            schema: { type: 'string', format: 'uuid' },
          },
        ],
        responses: {
          '200': {
            description:
              '{data: [{id, kind, title, body, object, record_id, read_at, created_at}], next_before, unread_count}',
          },
          ...ERRORS,
        },
      },
    },
    '/api/v1/notifications/unread_count': {
      get: {
        tags,
        operationId: 'countUnreadNotifications',
        summary: "How many of the caller's notifications are unread",
        responses: { '200': { description: '{count}' }, ...ERRORS },
      },
    },
    '/api/v1/notifications/{id}/read': {
      post: {
        tags,
        operationId: 'readNotification',
        summary: 'Marks one of the caller’s notifications read',
        parameters: [idParam('the notification')],
        responses: {
          '200': { description: 'the notification' },
          '404': problem('No such notification of the caller'),
          ...ERRORS,
        },
      },
    },
    '/api/v1/notifications/read-all': {
      post: {
        tags,
        operationId: 'readAllNotifications',
        summary: 'Marks every notification of the caller read',
        responses: { '200': { description: '{marked}' }, ...ERRORS },
      },
    },
  };
  if (visible.has('task_templates') && visible.has('tasks')) {
    paths['/api/v1/task_templates/{id}/apply'] = {
      post: {
        tags: ['Task templates'],
        operationId: 'applyTaskTemplate',
        summary:
          "Creates the template's tasks on a record in one step: due at their offsets from start_at (days on the assignee's clock), waiting for one another as the template says",
        parameters: [idParam('the task template')],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['object', 'id'],
                properties: {
                  object: { type: 'string', description: 'the API name of the record’s object' },
                  id: { type: 'string', format: 'uuid' },
                  start_at: {
                    type: 'string',
                    format: 'date-time',
                    description: 'offsets count from here; now if left out',
                  },
                },
              },
            },
          },
        },
        responses: {
          '201': { description: '{data: [tasks as created]}' },
          '404': problem('No such task template'),
          ...ERRORS,
        },
      },
    };
  }
  return paths;
}
