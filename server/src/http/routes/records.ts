import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql, type SqlBool } from 'kysely';
import { AppError, validationError, type ErrorDetail } from '../../core/errors';
import { canReadField } from '../../core/permissions/scope';
import type { RecordContext } from '../../core/kontor';
import type { ApiRecord } from '../../core/records/hooks';
import { listRecords, loadRecord, parseFields, type ListParams } from '../../core/records/read';
import { timeline } from '../../core/records/timeline';
import { aggregate } from '../../core/records/aggregate';
import { globalSearch } from '../../core/search/global-search';
import { mergeRecords } from '../../core/records/merge';
import { exportCsv, exportXlsx } from '../../core/import/export';
import { importTable } from '../../core/import/importer';
import { readTable } from '../../core/import/read-table';
import { createRecord, deleteRecord, restoreRecord, updateRecord } from '../../core/records/write';
import {
  etag,
  ifMatchVersion,
  queryFlag,
  queryText,
  readContext,
  requireActor,
  writeTransaction,
} from '../context';
import { idempotentWrite } from '../idempotency';
import { localizeMessage, requestLocale } from '../messages';

type ObjectParams = { object: string };
type RecordParams = { object: string; id: string };

export const MAX_BATCH = 1000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function allowDuplicates(request: FastifyRequest): boolean {
  return queryFlag(request.query, 'allow_duplicates');
}

/** The generic REST API every object gets from its metadata. */
export async function recordRoutes(app: FastifyInstance) {
  const k = app.kontor;

  app.get<{ Querystring: { q?: string } }>('/api/v1/search', async (request) => {
    return { data: await globalSearch(readContext(request), request.query.q) };
  });

  app.get<{ Params: ObjectParams; Querystring: ListParams }>('/api/v1/:object', async (request) => {
    const ctx = readContext(request);
    return listRecords(ctx, k.meta.get(request.params.object), request.query);
  });

  app.post<{ Params: ObjectParams }>('/api/v1/:object', async (request, reply) => {
    k.meta.get(request.params.object);
    const allow = allowDuplicates(request);
    return idempotentWrite(request, reply, 201, async (ctx) => {
      const rec = await createRecord(ctx, request.params.object, request.body, {
        allowDuplicates: allow,
      });
      reply.header('location', `/api/v1/${request.params.object}/${rec.id}`);
      return rec;
    });
  });

  app.get<{ Params: ObjectParams; Querystring: ListParams & { format?: string; fields?: string } }>(
    '/api/v1/:object/export',
    async (request, reply) => {
      const ctx = readContext(request);
      const object = k.meta.get(request.params.object);
      const format = request.query.format ?? 'csv';
      const stamp = ctx.k.clock.now().toISOString().slice(0, 10);
      if (format === 'csv') {
        const body = await exportCsv(ctx, object, request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${object.name}-${stamp}.csv"`)
          .send(body);
      }
      if (format === 'xlsx') {
        const body = await exportXlsx(ctx, object, request.query);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${object.name}-${stamp}.xlsx"`)
          .send(body);
      }
      throw new AppError('validation', 'Unknown export format', [
        { path: 'format', message: 'must be csv or xlsx' },
      ]);
    },
  );

  app.get<{ Params: ObjectParams; Querystring: ListParams & { group_by?: string; sum?: string } }>(
    '/api/v1/:object/aggregate',
    async (request) => {
      const ctx = readContext(request);
      return { data: await aggregate(ctx, k.meta.get(request.params.object), request.query) };
    },
  );

  // Files for import arrive as the raw body: CSV as text/csv, XLSX as its own type.
  app.addContentTypeParser(
    ['text/csv', XLSX_TYPE, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: 200 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Params: ObjectParams; Querystring: Record<string, string | undefined> }>(
    '/api/v1/:object/import',
    async (request, reply) => {
      const actor = requireActor(request);
      const object = k.meta.get(request.params.object);
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(
          'unsupported_media_type',
          'Send the file as the body, with Content-Type text/csv or the XLSX type',
          [{ path: 'body', message: 'must be a CSV or XLSX file' }],
        );
      }
      const q = request.query;
      let mapping: Record<string, string> | undefined;
      const mappingText = queryText(q, 'mapping');
      if (mappingText !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(mappingText);
        } catch {
          parsed = null;
        }
        if (
          !parsed ||
          typeof parsed !== 'object' ||
          Array.isArray(parsed) ||
          Object.values(parsed).some((v) => typeof v !== 'string')
        ) {
          throw new AppError('validation', 'Invalid mapping', [
            { path: 'mapping', message: 'must be a JSON object of "Header": "field"' },
          ]);
        }
        mapping = parsed as Record<string, string>;
      }
      const isXlsx = String(request.headers['content-type']).startsWith(XLSX_TYPE);
      const table = await readTable(request.body, isXlsx ? 'upload.xlsx' : 'upload.csv', {
        encoding: queryText(q, 'encoding'),
        delimiter: queryText(q, 'delimiter'),
        sheet: queryText(q, 'sheet'),
      });
      const imported = await importTable(k, actor, object.name, table, {
        mapping,
        dryRun: queryFlag(q, 'dry_run'),
        upsertField: queryText(q, 'upsert'),
        allowDuplicates: queryFlag(q, 'allow_duplicates'),
      });
      // The rows' problems are read by a person: in their language, as other errors are.
      const locale = requestLocale(request);
      const report = {
        ...imported,
        errors: imported.errors.map((e) => ({ ...e, message: localizeMessage(e.message, locale) })),
        warnings: imported.warnings.map((w) => localizeMessage(w, locale)),
      };
      if (report.failed && !report.dry_run) {
        throw new AppError(
          'validation',
          `${report.failed} of ${report.rows} rows failed, so nothing was imported`,
          report.errors.map((e) => ({ path: `line ${e.line}.${e.field}`, message: e.message })),
          { report },
        );
      }
      return reply.status(200).send(report);
    },
  );

  app.get<{ Params: RecordParams }>('/api/v1/:object/:id', async (request, reply) => {
    const ctx = readContext(request);
    const q = request.query as Record<string, unknown>;
    const object = k.meta.get(request.params.object);
    const rec = await loadRecord(ctx, object, request.params.id, {
      includeDeleted: queryFlag(q, 'include_deleted'),
    });
    reply.header('etag', etag(rec.version));
    const fields = queryText(q, 'fields');
    if (!fields) return rec;
    const only = parseFields(fields, object, ctx.actor)!;
    return Object.fromEntries(Object.entries(rec).filter(([key]) => only.has(key)));
  });

  app.patch<{ Params: RecordParams }>('/api/v1/:object/:id', async (request, reply) => {
    const object = k.meta.get(request.params.object);
    const expectedVersion = ifMatchVersion(request);
    const rec = await writeTransaction(request, (ctx) =>
      updateRecord(ctx, object.name, request.params.id, request.body, { expectedVersion }),
    );
    reply.header('etag', etag(rec.version));
    return rec;
  });

  app.delete<{ Params: RecordParams }>('/api/v1/:object/:id', async (request) => {
    const object = k.meta.get(request.params.object);
    const expectedVersion = ifMatchVersion(request);
    return writeTransaction(request, (ctx) =>
      deleteRecord(ctx, object.name, request.params.id, { expectedVersion }),
    );
  });

  app.post<{ Params: RecordParams }>('/api/v1/:object/:id/restore', async (request) => {
    const object = k.meta.get(request.params.object);
    return writeTransaction(request, (ctx) => restoreRecord(ctx, object.name, request.params.id));
  });

  app.get<{ Params: RecordParams; Querystring: { limit?: string; cursor?: string } }>(
    '/api/v1/:object/:id/timeline',
    async (request) => {
      const ctx = readContext(request);
      return timeline(ctx, k.meta.get(request.params.object), request.params.id, request.query);
    },
  );

  app.get<{ Params: RecordParams & { relation: string }; Querystring: ListParams }>(
    '/api/v1/:object/:id/related/:relation',
    async (request) => {
      const ctx = readContext(request);
      const object = k.meta.get(request.params.object);
      await loadRecord(ctx, object, request.params.id);
      const { child, condition } = relatedList(
        ctx,
        object.name,
        request.params.id,
        request.params.relation,
      );
      return listRecords(ctx, child, request.query, [condition]);
    },
  );

  app.post<{ Params: ObjectParams }>('/api/v1/:object/merge', async (request, reply) => {
    const object = k.meta.get(request.params.object);
    return idempotentWrite(request, reply, 200, (ctx) =>
      mergeRecords(ctx, object.name, request.body),
    );
  });

  app.post<{ Params: ObjectParams }>('/api/v1/:object/batch', async (request, reply) => {
    const object = k.meta.get(request.params.object);
    return idempotentWrite(request, reply, 200, (ctx) =>
      runBatch(ctx, object.name, request.body, allowDuplicates(request)),
    );
  });
}

/** The records of another object that point at this one through a named reverse relation. */
export function relatedList(ctx: RecordContext, objectName: string, id: string, relation: string) {
  if (relation === 'activities' || relation === 'tasks') {
    const child = ctx.k.meta.get(relation);
    return {
      child,
      condition: sql<SqlBool>`related_object = ${objectName} and related_id = ${id}`,
    };
  }
  for (const { object: child, field } of ctx.k.meta.reverseRelations(objectName)) {
    const name = field.reverseName ?? `${child.name}_by_${field.name}`;
    if (name === relation && canReadField(ctx.actor, child, field.name)) {
      return { child, condition: sql<SqlBool>`${sql.ref(field.column)} = ${id}` };
    }
  }
  throw new AppError('not_found', `No related list "${relation}" on ${objectName}`, [
    { path: 'relation', message: `unknown related list "${relation}"` },
  ]);
}

interface BatchOp {
  op: 'create' | 'update' | 'delete';
  id?: string;
  data?: unknown;
  version?: number;
}

/**
 * Up to 1,000 creates, updates and deletes in one transaction: all of them happen, or, when
 * any fails, none, and the error says which operation and field.
 */
async function runBatch(ctx: RecordContext, object: string, body: unknown, allowDup: boolean) {
  const ops = (body as { operations?: unknown })?.operations;
  if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(ops)) {
    throw validationError([
      { path: 'operations', message: 'must be a list of {op, id, data, version}' },
    ]);
  }
  const extra = Object.keys(body).filter((key) => key !== 'operations');
  if (extra.length)
    throw validationError(extra.map((key) => ({ path: key, message: 'unknown key' })));
  if (ops.length === 0 || ops.length > MAX_BATCH) {
    throw validationError([
      { path: 'operations', message: `must hold 1 to ${MAX_BATCH} operations` },
    ]);
  }
  const results: ApiRecord[] = [];
  for (const [i, raw] of (ops as BatchOp[]).entries()) {
    const path = `operations[${i}]`;
    try {
      if (!raw || typeof raw !== 'object')
        throw validationError([{ path: '', message: 'must be an object' }]);
      const unknownKeys = Object.keys(raw).filter(
        (key) => !['op', 'id', 'data', 'version'].includes(key),
      );
      if (unknownKeys.length)
        throw validationError(unknownKeys.map((key) => ({ path: key, message: 'unknown key' })));
      if (raw.version !== undefined && !Number.isInteger(raw.version)) {
        throw validationError([{ path: 'version', message: 'must be a whole number' }]);
      }
      switch (raw.op) {
        case 'create':
          results.push(await createRecord(ctx, object, raw.data, { allowDuplicates: allowDup }));
          break;
        case 'update':
          results.push(
            await updateRecord(ctx, object, String(raw.id ?? ''), raw.data, {
              expectedVersion: raw.version,
            }),
          );
          break;
        case 'delete':
          results.push(
            await deleteRecord(ctx, object, String(raw.id ?? ''), { expectedVersion: raw.version }),
          );
          break;
        default:
          throw validationError([{ path: 'op', message: 'must be create, update or delete' }]);
      }
    } catch (err) {
      if (err instanceof AppError) {
        const errors: ErrorDetail[] = (
          err.errors.length ? err.errors : [{ path: '', message: err.message }]
        ).map((e) => ({
          path: e.path ? `${path}.${e.path}` : path,
          message: e.message,
        }));
        throw new AppError(
          err.code,
          `Operation ${i} failed, so none was applied: ${err.message}`,
          errors,
          { ...err.extra, failed_index: i },
        );
      }
      throw err;
    }
  }
  return { data: results };
}
