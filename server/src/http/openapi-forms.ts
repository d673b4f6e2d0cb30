type Schema = Record<string, unknown>;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const ERRORS = {
  '400': problem('Bad input; errors[] names each part, like fields.1.target_field'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow this'),
  '404': problem('No such form, link, task or record'),
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const objectParam = { name: 'object', in: 'path', required: true, schema: { type: 'string' } };

const formField: Schema = {
  type: 'object',
  required: ['name', 'label', 'type'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
    label: { type: 'string' },
    type: {
      enum: [
        'text',
        'long_text',
        'date',
        'datetime',
        'number',
        'boolean',
        'select',
        'email',
        'phone',
        'photo',
        'file',
      ],
    },
    required: { type: 'boolean' },
    help: { type: ['string', 'null'] },
    options: { type: ['array', 'null'], items: { type: 'object' } },
    target_field: {
      type: ['string', 'null'],
      description: 'object.field the value is written into, like deals.description',
    },
  },
};
const form: Schema = {
  type: 'object',
  required: ['name', 'kind', 'fields'],
  properties: {
    name: { type: 'string' },
    kind: { enum: ['task', 'web'] },
    description: { type: ['string', 'null'] },
    fields: { type: 'array', items: formField },
    allowed_origins: { type: 'array', items: { type: 'string' } },
    require_consent: { type: 'boolean' },
    consent_text: { type: ['string', 'null'] },
    success_message: { type: ['string', 'null'] },
  },
};
const body = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const ok = (description: string, status = '200') => ({ [status]: { description }, ...ERRORS });
const tags = ['Forms'];

/** Files of records and forms for people without a login, for the OpenAPI document. */
export function formPaths(): Record<string, Schema> {
  return {
    '/api/v1/{object}/{id}/files': {
      get: {
        tags: ['Files'],
        operationId: 'listFiles',
        summary: "A record's files (needs the right to read the record)",
        parameters: [objectParam, idParam],
        responses: ok('{data: [file]}'),
      },
      post: {
        tags: ['Files'],
        operationId: 'uploadFiles',
        summary:
          'Attach files (multipart/form-data; JPEG, PNG, WebP, HEIC or PDF by content; 10 files of 15 MB at most)',
        parameters: [objectParam, idParam],
        requestBody: { content: { 'multipart/form-data': { schema: { type: 'object' } } } },
        responses: ok('{data: [file]}', '201'),
      },
    },
    '/api/v1/files/{id}': {
      get: {
        tags: ['Files'],
        operationId: 'getFile',
        summary: "A file's description",
        parameters: [idParam],
        responses: ok('{id, name, mime, size, sha256, object, record_id, created_at, created_by}'),
      },
    },
    '/api/v1/files/{id}/content': {
      get: {
        tags: ['Files'],
        operationId: 'getFileContent',
        summary: "A file's content, with its detected type",
        parameters: [idParam],
        responses: ok('the content'),
      },
    },
    '/api/v1/forms': {
      get: { tags, operationId: 'listForms', summary: 'Form definitions', responses: ok('{data}') },
      post: {
        tags,
        operationId: 'createForm',
        summary: 'Create a form (administrators); targets are checked against metadata',
        requestBody: body(form),
        responses: ok('the form', '201'),
      },
    },
    '/api/v1/forms/{id}': {
      get: {
        tags,
        operationId: 'getForm',
        summary: 'A form; a web form carries embed_snippet',
        parameters: [idParam],
        responses: ok('the form'),
      },
      patch: {
        tags,
        operationId: 'updateForm',
        summary: 'Change a form (administrators); the whole definition is checked again',
        parameters: [idParam],
        requestBody: body({ type: 'object' }),
        responses: ok('the form'),
      },
      delete: {
        tags,
        operationId: 'archiveForm',
        summary: 'Archive a form: its links and public endpoints stop working',
        parameters: [idParam],
        responses: ok('the form'),
      },
    },
    '/api/v1/forms/{id}/submissions': {
      get: {
        tags,
        operationId: 'listFormSubmissions',
        summary: 'The last 200 submissions (administrators)',
        parameters: [idParam],
        responses: ok('{data}'),
      },
    },
    '/api/v1/tasks/{id}/form-links': {
      get: {
        tags,
        operationId: 'listFormLinks',
        summary: "A task's form links with their state and submission",
        parameters: [idParam],
        responses: ok('{data}'),
      },
      post: {
        tags,
        operationId: 'createFormLink',
        summary: 'A one-time link to a form for a person without a login; url and token shown once',
        parameters: [idParam],
        requestBody: body({
          type: 'object',
          required: ['form_id'],
          properties: {
            form_id: { type: 'string', format: 'uuid' },
            recipient_name: { type: ['string', 'null'] },
            recipient_email: { type: ['string', 'null'], format: 'email' },
            expires_at: { type: ['string', 'null'], format: 'date-time' },
            send_email: { type: 'boolean' },
            message: { type: ['string', 'null'] },
          },
        }),
        responses: ok('the link with url and token', '201'),
      },
    },
    '/api/v1/forms/links/{id}/revoke': {
      post: {
        tags,
        operationId: 'revokeFormLink',
        summary: 'Withdraw an unused link (409 once used)',
        parameters: [idParam],
        responses: ok('the link'),
      },
    },
    '/public/forms/{id}/submit': {
      post: {
        tags,
        operationId: 'submitWebForm',
        summary:
          "Send a public web form (no login; JSON or urlencoded; CORS for the form's allowed origins; 5 a minute per address)",
        security: [],
        parameters: [idParam],
        requestBody: body({ type: 'object' }),
        responses: ok('{status: "received", message}', '201'),
      },
    },
  };
}
