import type { Actor } from '../core/actor';
import type { Kontor } from '../core/kontor';
import { buildObjectMeta } from '../core/metadata/registry';
import { grantFor } from '../core/permissions/grants';
import { canReadField } from '../core/permissions/scope';
import { FILTER_OPS, fieldHandler } from '../core/metadata/field-types';
import type { FieldMeta, ObjectMeta } from '../core/metadata/types';
import { productionPaths } from './openapi-production';
import { documentPdfPaths, salesPaths } from './openapi-sales';
import { slaPaths } from './openapi-sla';
import { viewPaths, viewSchemas } from './openapi-views';
import { webhookPaths, webhookSchemas } from './openapi-webhooks';

type Schema = Record<string, unknown>;

function visibleObjects(k: Kontor, actor: Actor | null): ObjectMeta[] {
  return k.meta
    .all()
    .filter((o) => (actor ? grantFor(actor.role, o.name).read !== 'none' : !o.isCustom))
    .map((o) =>
      buildObjectMeta(
        o,
        o.fields.filter(
          (f) => !f.isSystem && (actor ? canReadField(actor, o, f.name) : !f.isCustom),
        ),
      ),
    );
}

function aOrAn(label: string): string {
  const word = label.toLowerCase();
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function pascal(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());
}

function nullable(s: Schema): Schema {
  if (typeof s.type === 'string') return { ...s, type: [s.type, 'null'] };
  return { oneOf: [s, { type: 'null' }] };
}

function fieldSchema(f: FieldMeta, forInput: boolean): Schema {
  const base: Schema = { title: f.label, ...(f.description ? { description: f.description } : {}) };
  switch (f.type) {
    case 'text':
    case 'long_text':
      return {
        ...base,
        type: 'string',
        maxLength: f.maxLength ?? (f.type === 'text' ? 1000 : 100_000),
      };
    case 'integer':
      return { ...base, type: 'integer' };
    case 'decimal':
      return {
        ...base,
        type: 'string',
        pattern: `^-?\\d+(\\.\\d{1,${f.scale ?? 2}})?$`,
        description: `decimal with up to ${f.scale ?? 2} places`,
      };
    case 'currency':
      return {
        ...base,
        $ref: forInput ? '#/components/schemas/MoneyInput' : '#/components/schemas/Money',
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'date':
      return { ...base, type: 'string', format: 'date' };
    case 'datetime':
      return { ...base, type: 'string', format: 'date-time' };
    case 'select':
      return { ...base, type: 'string', enum: (f.options ?? []).map((o) => o.value) };
    case 'multi_select':
      return {
        ...base,
        type: 'array',
        items: { type: 'string', enum: (f.options ?? []).map((o) => o.value) },
        uniqueItems: true,
      };
    case 'email':
      return { ...base, type: 'string', format: 'email' };
    case 'phone':
      return { ...base, type: 'string', maxLength: 64 };
    case 'url':
      return { ...base, type: 'string', format: 'uri' };
    case 'relation':
      return {
        ...base,
        type: 'string',
        format: 'uuid',
        description: `id of a record of ${f.target}`,
      };
    case 'computed':
      return f.resultType === 'currency'
        ? { ...base, $ref: '#/components/schemas/Money', readOnly: true }
        : { ...base, type: f.resultType === 'decimal' ? 'string' : 'integer', readOnly: true };
    default: {
      const never: never = f.type;
      return { type: String(never) };
    }
  }
}

function objectSchemas(o: ObjectMeta): Record<string, Schema> {
  const props: Schema = {};
  const input: Schema = {};
  const required: string[] = [];
  for (const f of o.fields) {
    const s = fieldSchema(f, false);
    props[f.name] =
      f.name === 'id' || f.name === 'version' || f.name === 'created_at' || f.name === 'updated_at'
        ? s
        : nullable(s);
    const writable = !f.readOnly && f.type !== 'computed' && f.name !== 'id';
    if (writable)
      input[f.name] = f.required ? fieldSchema(f, true) : nullable(fieldSchema(f, true));
    if (f.required && writable) required.push(f.name);
  }
  const name = pascal(o.name);
  return {
    [name]: { type: 'object', title: o.labelSingular, properties: props },
    [`${name}Create`]: {
      type: 'object',
      additionalProperties: false,
      properties: input,
      ...(required.length ? { required } : {}),
    },
    [`${name}Update`]: { type: 'object', additionalProperties: false, properties: input },
  };
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const ERRORS = {
  '400': problem('Bad input; errors[] names each field'),
  '401': problem('No valid session or API key'),
  '403': problem('The role does not allow this'),
  '404': problem('No such object or record'),
};

function objectPaths(o: ObjectMeta): Record<string, Schema> {
  const name = pascal(o.name);
  const ref = { $ref: `#/components/schemas/${name}` };
  const one = {
    description: o.labelSingular,
    content: { 'application/json': { schema: ref } },
    headers: {
      ETag: { schema: { type: 'string' }, description: 'the record version, for If-Match' },
    },
  };
  const page = {
    description: `A page of ${o.labelPlural.toLowerCase()}`,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            data: { type: 'array', items: ref },
            next_cursor: { type: ['string', 'null'] },
            total: { type: 'integer' },
          },
          required: ['data', 'next_cursor'],
        },
      },
    },
  };
  const filterable = o.fields
    .filter((f) => fieldHandler(f.type).ops.length)
    .map((f) => `${f.name} (${fieldHandler(f.type).ops.join(', ')})`);
  const idParam = {
    name: 'id',
    in: 'path',
    required: true,
    schema: { type: 'string', format: 'uuid' },
  };
  const tag = [o.labelPlural];
  const body = (schema: string) => ({
    required: true,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  });
  return {
    [`/api/v1/${o.name}`]: {
      get: {
        tags: tag,
        operationId: `list${name}`,
        summary: `List ${o.labelPlural.toLowerCase()}`,
        parameters: [
          {
            name: 'filter',
            in: 'query',
            style: 'deepObject',
            explode: true,
            schema: { type: 'object' },
            description: `filter[field]=v or filter[field][op]=v; OR groups as filter[or][0][field][op]=v. Fields and operators: ${filterable.join('; ')}`,
          },
          {
            name: 'sort',
            in: 'query',
            schema: { type: 'string' },
            description: 'comma-separated fields, - for descending: -amount,name',
          },
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: 'next_cursor of the previous page',
          },
          {
            name: 'fields',
            in: 'query',
            schema: { type: 'string' },
            description: 'comma-separated fields to return',
          },
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string' },
            description: 'full-text search; every word must match (as a prefix)',
          },
          {
            name: 'count',
            in: 'query',
            schema: { type: 'boolean' },
            description: 'also return total',
          },
          {
            name: 'include_deleted',
            in: 'query',
            schema: { type: 'boolean' },
            description: 'deleted records too',
          },
        ],
        responses: { '200': page, ...ERRORS },
      },
      post: {
        tags: tag,
        operationId: `create${name}`,
        summary: `Create ${aOrAn(o.labelSingular)}`,
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            schema: { type: 'string' },
            description: 'a retry with the same key returns the first result',
          },
          {
            name: 'allow_duplicates',
            in: 'query',
            schema: { type: 'boolean' },
            description: 'create a contact even if its e-mail or phone exists',
          },
        ],
        requestBody: body(`${name}Create`),
        responses: {
          '201': one,
          ...ERRORS,
          '409': problem('A unique value or a duplicate exists'),
        },
      },
    },
    [`/api/v1/${o.name}/{id}`]: {
      get: {
        tags: tag,
        operationId: `get${name}`,
        summary: `Get ${aOrAn(o.labelSingular)}`,
        parameters: [idParam],
        responses: { '200': one, ...ERRORS },
      },
      patch: {
        tags: tag,
        operationId: `update${name}`,
        summary: `Change fields of ${aOrAn(o.labelSingular)}`,
        parameters: [
          idParam,
          {
            name: 'If-Match',
            in: 'header',
            schema: { type: 'string' },
            description: 'ETag of the version you edited; a stale one gets 412',
          },
        ],
        requestBody: body(`${name}Update`),
        responses: {
          '200': one,
          ...ERRORS,
          '412': problem('The record changed since that version'),
        },
      },
      delete: {
        tags: tag,
        operationId: `delete${name}`,
        summary: `Delete (soft) ${aOrAn(o.labelSingular)}`,
        parameters: [idParam, { name: 'If-Match', in: 'header', schema: { type: 'string' } }],
        responses: { '200': one, ...ERRORS, '409': problem('Other records depend on it') },
      },
    },
    [`/api/v1/${o.name}/{id}/restore`]: {
      post: {
        tags: tag,
        operationId: `restore${name}`,
        summary: 'Restore a deleted record',
        parameters: [idParam],
        responses: { '200': one, ...ERRORS },
      },
    },
    [`/api/v1/${o.name}/{id}/timeline`]: {
      get: {
        tags: tag,
        operationId: `timeline${name}`,
        summary: 'Changes, activities and tasks, newest first',
        parameters: [idParam],
        responses: { '200': { description: 'timeline page' }, ...ERRORS },
      },
    },
    [`/api/v1/${o.name}/export`]: {
      get: {
        tags: tag,
        operationId: `export${name}`,
        summary: 'The list as a CSV or XLSX file (same filter, sort, q and fields as the list)',
        parameters: [
          { name: 'format', in: 'query', schema: { enum: ['csv', 'xlsx'], default: 'csv' } },
        ],
        responses: { '200': { description: 'the file' }, ...ERRORS },
      },
    },
    [`/api/v1/${o.name}/import`]: {
      post: {
        tags: tag,
        operationId: `import${name}`,
        summary: 'Import a CSV or XLSX file, all rows or none',
        parameters: [
          'dry_run',
          'upsert',
          'mapping',
          'encoding',
          'delimiter',
          'sheet',
          'allow_duplicates',
        ].map((p) => ({ name: p, in: 'query', schema: { type: 'string' } })),
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        responses: { '200': { description: 'the import report' }, ...ERRORS },
      },
    },
    [`/api/v1/${o.name}/{id}/related/{list}`]: {
      get: {
        tags: tag,
        operationId: `related${name}`,
        summary:
          'A related list (records of another object pointing here), with the list parameters',
        parameters: [
          idParam,
          { name: 'list', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'a page of related records' }, ...ERRORS },
      },
    },
    [`/api/v1/${o.name}/batch`]: {
      post: {
        tags: tag,
        operationId: `batch${name}`,
        summary: 'Up to 1,000 creates, updates and deletes; all or none',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  operations: {
                    type: 'array',
                    maxItems: 1000,
                    items: {
                      type: 'object',
                      properties: {
                        op: { enum: ['create', 'update', 'delete'] },
                        id: { type: 'string' },
                        version: { type: 'integer' },
                        data: { type: 'object' },
                      },
                      required: ['op'],
                    },
                  },
                },
                required: ['operations'],
              },
            },
          },
        },
        responses: { '200': { description: 'the records, in order' }, ...ERRORS },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 document, generated from the metadata in force. A signed-in caller sees every
 * object and field their role may read, custom ones included; an anonymous one the standard API.
 */
export function openapiDocument(k: Kontor, actor: Actor | null): Schema {
  const schemas: Record<string, Schema> = {
    Money: {
      type: 'object',
      properties: {
        amount_minor: { type: 'integer', description: 'amount in minor units (cents)' },
        currency: { type: 'string', description: 'ISO 4217 code' },
        amount: {
          type: 'string',
          readOnly: true,
          description: 'the same amount as a decimal string',
        },
      },
      required: ['amount_minor', 'currency'],
    },
    MoneyInput: {
      type: 'object',
      description:
        'give amount_minor, or amount as a decimal string with no more places than the currency has',
      properties: {
        amount_minor: { type: 'integer' },
        amount: { type: 'string' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      },
      required: ['currency'],
    },
    Problem: {
      type: 'object',
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        code: { type: 'string' },
        detail: { type: 'string' },
        instance: { type: 'string' },
        request_id: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  };
  let paths: Record<string, Schema> = {};
  for (const o of visibleObjects(k, actor)) {
    Object.assign(schemas, objectSchemas(o));
    paths = { ...paths, ...objectPaths(o) };
  }
  Object.assign(schemas, viewSchemas());
  Object.assign(paths, viewPaths());
  Object.assign(schemas, webhookSchemas());
  Object.assign(paths, webhookPaths());
  const visible = new Set(visibleObjects(k, actor).map((o) => o.name));
  Object.assign(paths, salesPaths(visible));
  Object.assign(paths, documentPdfPaths(visible));
  Object.assign(paths, productionPaths(visible));
  Object.assign(paths, slaPaths(visible));
  paths['/api/v1/leads/{id}/convert'] = {
    post: {
      tags: ['Leads'],
      operationId: 'convertLead',
      summary: 'Convert a lead into a contact, a company and optionally a deal',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                company_id: { type: 'string' },
                create_deal: { type: 'boolean' },
                deal: { type: 'object' },
              },
            },
          },
        },
      },
      responses: {
        '200': { description: 'what the lead became' },
        ...ERRORS,
        '409': problem('Already converted'),
      },
    },
  };
  paths['/api/v1/deals/{id}/stage-history'] = {
    get: {
      tags: ['Deals'],
      operationId: 'dealStageHistory',
      summary: 'Stays of a deal in its stages',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'history' }, ...ERRORS },
    },
  };
  paths['/api/v1/metadata/objects'] = {
    get: {
      tags: ['Metadata'],
      operationId: 'listObjects',
      summary: 'Objects and their fields',
      responses: { '200': { description: 'objects' } },
    },
    post: {
      tags: ['Metadata'],
      operationId: 'createObject',
      summary: 'Create a custom object (administrators)',
      responses: { '201': { description: 'the object' }, ...ERRORS },
    },
  };
  paths['/api/v1/metadata/objects/{object}/fields'] = {
    post: {
      tags: ['Metadata'],
      operationId: 'createField',
      summary: 'Add a custom field (administrators)',
      parameters: [{ name: 'object', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '201': { description: 'the field' }, ...ERRORS },
    },
  };
  paths['/api/auth/login'] = {
    post: {
      tags: ['Auth'],
      operationId: 'login',
      summary:
        'Sign in; sets an HttpOnly session cookie and returns the CSRF token for X-CSRF-Token',
      security: [],
      responses: {
        '200': { description: 'signed in' },
        '401': problem('wrong e-mail or password'),
        '429': problem('too many attempts'),
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kontor API',
      version: '1',
      description: `REST API of Kontor. Filter operators: ${FILTER_OPS.join(', ')}. Errors are application/problem+json.`,
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    tags: [
      ...visibleObjects(k, actor).map((o) => ({ name: o.labelPlural })),
      { name: 'Views' },
      { name: 'Webhooks' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API key from `kontor api-key create`',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'kontor_session' },
      },
    },
  };
}
