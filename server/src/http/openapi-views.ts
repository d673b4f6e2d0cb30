import { MAX_COLUMNS, MAX_NAME, MAX_WIDTH, MIN_WIDTH } from '../core/views/views';

type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each part, like config.columns[2].field'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow this'),
  '404': problem('No such object, or no view of yours or shared'),
};
const json = (schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const tags = ['Views'];
const objectParam = { name: 'object', in: 'path', required: true, schema: { type: 'string' } };
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  schema: { type: 'string' },
  description: 'the ETag of the view read, like "3"; a stale one gets 412',
};

/** Schemas of saved views, for components.schemas. */
export function viewSchemas(): Record<string, Schema> {
  const config = {
    type: 'object',
    additionalProperties: false,
    description:
      'What the table shows. Parts that no longer resolve for the reader (a removed field, a field the role hides) are left out when read, and named in warnings.',
    properties: {
      columns: {
        type: 'array',
        maxItems: MAX_COLUMNS,
        description: 'the columns in order; empty for the automatic choice',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['field'],
          properties: {
            field: { type: 'string', description: 'a field the user may read' },
            width: { type: 'integer', minimum: MIN_WIDTH, maximum: MAX_WIDTH },
          },
        },
      },
      sort: { type: 'string', description: "the list endpoint's sort, like -amount,name" },
      filter: {
        type: 'object',
        description:
          'the list endpoint\'s filter object, as filter[...] parameters parse: {"status": "open", "or": [{"amount": {"gte": "100000"}}]}; values are text',
      },
      q: { type: 'string', maxLength: 200, description: 'search text' },
    },
  };
  const defaults = {
    type: 'object',
    properties: {
      object: { type: 'string' },
      default_view_id: {
        type: ['string', 'null'],
        description: 'the view that applies on opening: mine, else the shared one',
      },
      my_default_view_id: { type: ['string', 'null'] },
      shared_default_view_id: { type: ['string', 'null'] },
    },
  };
  return {
    ViewConfig: config,
    View: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        object: { type: 'string' },
        name: { type: 'string' },
        owner_id: { type: 'string', format: 'uuid' },
        shared: { type: 'boolean' },
        config: ref('ViewConfig'),
        version: { type: 'integer' },
        created_at: { type: 'string', format: 'date-time' },
        updated_at: { type: 'string', format: 'date-time' },
        can_edit: { type: 'boolean' },
        warnings: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
    ViewCreate: {
      type: 'object',
      additionalProperties: false,
      required: ['object', 'name'],
      properties: {
        object: { type: 'string' },
        name: { type: 'string', minLength: 1, maxLength: MAX_NAME },
        shared: {
          type: 'boolean',
          description: 'seen by every reader of the object (administrators)',
        },
        config: ref('ViewConfig'),
      },
    },
    ViewUpdate: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: MAX_NAME },
        shared: { type: 'boolean' },
        config: { ...ref('ViewConfig'), description: 'the parts given replace the stored ones' },
        version: { type: 'integer', description: 'instead of If-Match' },
      },
    },
    ViewDefaults: defaults,
  };
}

/** Paths of saved views, for paths. */
export function viewPaths(): Record<string, Schema> {
  const setBody = {
    required: true,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['view_id'],
          properties: { view_id: { type: 'string', format: 'uuid' } },
        },
      },
    },
  };
  const defaultsAnswer = { '200': json(ref('ViewDefaults'), 'the defaults now'), ...ERRORS };
  return {
    '/api/v1/views': {
      get: {
        tags,
        operationId: 'listViews',
        summary: "An object's views: your own and the shared ones, by name",
        parameters: [{ name: 'object', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': json(
            {
              type: 'object',
              properties: {
                data: { type: 'array', items: ref('View') },
                defaults: ref('ViewDefaults'),
                next_cursor: { type: 'null' },
              },
            },
            'the views',
          ),
          ...ERRORS,
        },
      },
      post: {
        tags,
        operationId: 'createView',
        summary: 'Save a view (only administrators share one)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('ViewCreate') } },
        },
        responses: {
          '201': json(ref('View'), 'the view'),
          ...ERRORS,
          '409': problem('You have a view of this object by that name'),
        },
      },
    },
    '/api/v1/views/{id}': {
      get: {
        tags,
        operationId: 'getView',
        summary: 'One view, with its ETag',
        parameters: [idParam],
        responses: { '200': json(ref('View'), 'the view'), ...ERRORS },
      },
      patch: {
        tags,
        operationId: 'updateView',
        summary: 'Rename, share or change a view (its owner; a shared one also administrators)',
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('ViewUpdate') } },
        },
        responses: {
          '200': json(ref('View'), 'the view'),
          ...ERRORS,
          '409': problem('You have a view of this object by that name'),
          '412': problem('The view changed since it was read'),
        },
      },
      delete: {
        tags,
        operationId: 'deleteView',
        summary: 'Delete a view (as for changes); defaults that named it are cleared',
        parameters: [idParam, ifMatch],
        responses: {
          '204': { description: 'deleted' },
          ...ERRORS,
          '412': problem('The view changed since it was read'),
        },
      },
    },
    '/api/v1/views/defaults/{object}': {
      get: {
        tags,
        operationId: 'getViewDefaults',
        summary: 'Which view opens the table of an object',
        parameters: [objectParam],
        responses: defaultsAnswer,
      },
    },
    '/api/v1/views/defaults/{object}/mine': {
      put: {
        tags,
        operationId: 'setMyDefaultView',
        summary: 'Make a view (yours or a shared one) your default for the object',
        parameters: [objectParam],
        requestBody: setBody,
        responses: defaultsAnswer,
      },
      delete: {
        tags,
        operationId: 'clearMyDefaultView',
        summary: 'Clear your default; the shared default applies again',
        parameters: [objectParam],
        responses: defaultsAnswer,
      },
    },
    '/api/v1/views/defaults/{object}/shared': {
      put: {
        tags,
        operationId: 'setSharedDefaultView',
        summary: 'Make a shared view the default for everyone (administrators)',
        parameters: [objectParam],
        requestBody: setBody,
        responses: defaultsAnswer,
      },
      delete: {
        tags,
        operationId: 'clearSharedDefaultView',
        summary: 'Clear the default for everyone (administrators)',
        parameters: [objectParam],
        responses: defaultsAnswer,
      },
    },
  };
}
