import { sql, type Expression, type SqlBool } from 'kysely';
import type { ZodType } from 'zod';
import { diff, emitEvent, writeAudit, type Changes } from '../audit/audit-log';
import { isoNow } from '../clock';
import { AppError, validationError, type ErrorDetail } from '../errors';
import { newId } from '../ids';
import type { RecordContext } from '../kontor';
import { fieldHandler, type WriteContext } from '../metadata/field-types';
import { countryCode } from '../metadata/phone';
import type { FieldMeta, ObjectMeta } from '../metadata/types';
import { assertCan, canReadField, canWriteField, scopeCondition } from '../permissions/scope';
import { grantFor } from '../permissions/grants';
import { indexRecord, isSearchable, searchBody } from '../search/search-index';
import type { ApiRecord, WriteOptions } from './hooks';
import { loadRecord, recordColumns, rowToRecord } from './read';
import { flushRollups, markRollups, recompute } from './rollups';

type Values = Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function zodPath(key: string, path: PropertyKey[]): string {
  return [key, ...path.map(String)].join('.');
}

// Building a zod schema costs more than using one; field metadata objects are replaced on every
// metadata reload, so a cache keyed by them never serves a stale schema.
const schemas = new WeakMap<FieldMeta, ZodType>();
function inputSchema(field: FieldMeta): ZodType {
  let schema = schemas.get(field);
  if (!schema) schemas.set(field, (schema = fieldHandler(field.type).input(field)));
  return schema;
}

/** Checks API input against the object's fields; returns parsed values or throws a 400. */
export function parseInput(
  ctx: RecordContext,
  object: ObjectMeta,
  input: unknown,
  mode: 'create' | 'update',
  options: WriteOptions,
): Values {
  if (!isPlainObject(input)) {
    throw validationError([
      { path: '', message: 'the body must be a JSON object of field values' },
    ]);
  }
  const errors: ErrorDetail[] = [];
  const values: Values = {};
  for (const [key, raw] of Object.entries(input)) {
    const field = object.field(key);
    if (!field) {
      errors.push({ path: key, message: `unknown field; ${object.name} has no field "${key}"` });
      continue;
    }
    const writable =
      (!field.readOnly || options.system) && field.type !== 'computed' && field.name !== 'id';
    if (!writable || (!options.system && !canWriteField(ctx.actor, object, key))) {
      errors.push({ path: key, message: 'is read-only' });
      continue;
    }
    if (raw === null) {
      if (field.required) errors.push({ path: key, message: 'is required' });
      else values[key] = null;
      continue;
    }
    const parsed = inputSchema(field).safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ path: zodPath(key, issue.path), message: issueMessage(issue, field) });
      }
      continue;
    }
    const v = parsed.data;
    const blank = typeof v === 'string' && v.replace(/[\s\p{Cf}]/gu, '') === '';
    if (field.required && (blank || (Array.isArray(v) && v.length === 0))) {
      errors.push({ path: key, message: 'is required' });
      continue;
    }
    values[key] = v;
  }
  if (mode === 'create') {
    for (const f of object.fields) {
      if (
        f.required &&
        !f.isSystem &&
        values[f.name] === undefined &&
        !errors.some((e) => e.path === f.name)
      ) {
        errors.push({ path: f.name, message: 'is required' });
      }
    }
  }
  if (errors.length) throw validationError(errors.slice(0, MAX_ERRORS));
  return values;
}

const MAX_ERRORS = 100;

function issueMessage(
  issue: { code: string; message: string; expected?: unknown },
  field: FieldMeta,
) {
  if (issue.code === 'invalid_type') return `must be ${expectedOf(field)}`;
  if (issue.code === 'unrecognized_keys')
    return issue.message.replace(/^Unrecognized keys?/, 'unknown key');
  return issue.message;
}

function expectedOf(field: FieldMeta): string {
  switch (field.type) {
    case 'integer':
      return 'a whole number';
    case 'decimal':
      return 'a decimal number (as a string like "12.50" or a number)';
    case 'currency':
      return 'an object like {"amount_minor": 1250, "currency": "EUR"}';
    case 'boolean':
      return 'true or false';
    case 'multi_select':
      return 'a list of option values';
    default:
      return 'a text';
  }
}

function writeContext(
  ctx: RecordContext,
  object: ObjectMeta,
  values: Values,
  before: ApiRecord | null,
): WriteContext {
  const country = object.field('country') ? (values.country ?? before?.country) : undefined;
  return {
    dialect: ctx.k.database.dialect,
    phoneRegion:
      countryCode(country as string | undefined) ?? (ctx.k.settings.phoneRegion || undefined),
  };
}

function toColumns(object: ObjectMeta, values: Values, wctx: WriteContext): Values {
  const cols: Values = {};
  for (const [name, v] of Object.entries(values)) {
    const f = object.field(name)!;
    Object.assign(cols, fieldHandler(f.type).toDb(f, v, wctx));
  }
  return cols;
}

/** Relations must point at records that exist and that the actor can see. */
async function checkRelations(ctx: RecordContext, object: ObjectMeta, values: Values) {
  const errors: ErrorDetail[] = [];
  for (const [name, v] of Object.entries(values)) {
    const f = object.field(name)!;
    if (f.type !== 'relation' || v === null || v === undefined) continue;
    if (f.target === 'users') {
      const u = await ctx.db
        .selectFrom('users')
        .select('id')
        .where('id', '=', v as string)
        .executeTakeFirst();
      if (!u) errors.push({ path: name, message: `no user with id ${String(v)}` });
      continue;
    }
    const target = ctx.k.meta.find(f.target ?? '');
    if (!target) continue;
    const conds: Expression<SqlBool>[] = [
      sql<SqlBool>`id = ${v}`,
      sql<SqlBool>`deleted_at is null`,
    ];
    const scope = scopeCondition(ctx.actor, target, 'read');
    if (scope) conds.push(scope);
    const row = await ctx.db
      .selectFrom(target.table)
      .select('id')
      .where(sql<SqlBool>`${sql.join(conds, sql` and `)}`)
      .executeTakeFirst();
    if (!row)
      errors.push({
        path: name,
        message: `no ${target.labelSingular.toLowerCase()} with id ${String(v)}`,
      });
  }
  if (errors.length) throw validationError(errors);
}

async function checkUnique(ctx: RecordContext, object: ObjectMeta, cols: Values, id: string) {
  for (const f of object.fields) {
    if (!f.unique) continue;
    const column =
      f.type === 'phone' ? `${f.column}_e164` : (fieldHandler(f.type).column(f) as string);
    const v = cols[column];
    if (v === undefined || v === null) continue;
    const lhs = f.type === 'email' ? sql`lower(${sql.ref(column)})` : sql.ref(column);
    const rhs = f.type === 'email' ? sql`lower(${String(v)})` : v;
    const other = await ctx.db
      .selectFrom(object.table)
      .select('id')
      .where(sql<SqlBool>`${lhs} = ${rhs} and deleted_at is null and id <> ${id}`)
      .executeTakeFirst();
    if (other) {
      // Name the other record only to someone who may see it.
      const scope = scopeCondition(ctx.actor, object, 'read');
      const visible =
        !scope ||
        !!(await ctx.db
          .selectFrom(object.table)
          .select('id')
          .where('id', '=', other.id)
          .where(scope)
          .executeTakeFirst());
      throw new AppError(
        'conflict',
        `Another ${object.labelSingular.toLowerCase()} already has this ${f.label.toLowerCase()}`,
        [
          {
            path: f.name,
            message: visible
              ? `must be unique; ${String(other.id)} has it`
              : 'must be unique; a record you cannot see has it',
          },
        ],
        visible ? { existing_id: other.id } : {},
      );
    }
  }
}

function auditedFields(object: ObjectMeta): string[] {
  return object.fields
    .filter((f) => (!f.isSystem || f.name === 'owner_id') && f.type !== 'computed')
    .map((f) => f.name);
}

async function readRow(ctx: RecordContext, object: ObjectMeta, id: string): Promise<ApiRecord> {
  const row = await ctx.db
    .selectFrom(object.table)
    .select(recordColumns(object, ctx.k.database.dialect))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return rowToRecord(object, row as Record<string, unknown>);
}

async function afterWrite(
  ctx: RecordContext,
  object: ObjectMeta,
  action: 'create' | 'update' | 'delete' | 'restore',
  before: ApiRecord | null,
  after: ApiRecord,
  searchChanged: boolean,
  extraChanges: Changes = {},
) {
  if (searchChanged && isSearchable(object)) {
    const body = searchBody(object, after);
    const pending = ctx.pending.bulk?.search;
    const waiting = pending?.get(object.name);
    if (pending && (action === 'create' || waiting?.has(after.id))) {
      // A new record's text waits for the bulk write; a later change in the same import replaces it.
      const map = waiting ?? new Map<string, string>();
      map.set(after.id, body);
      pending.set(object.name, map);
    } else {
      await indexRecord(
        ctx.db,
        ctx.k.database.dialect,
        object,
        after.id,
        body,
        action === 'create',
      );
    }
  }
  const changes = { ...diff(before, after, auditedFields(object)), ...extraChanges };
  await writeAudit(ctx, { object: object.name, recordId: after.id, action, changes });
  const eventType =
    action === 'create'
      ? 'created'
      : action === 'update'
        ? 'updated'
        : action === 'delete'
          ? 'deleted'
          : 'restored';
  await emitEvent(ctx, {
    type: `${object.name}.${eventType}`,
    object: object.name,
    recordId: after.id,
    payload: { changes },
  });
  markRollups(ctx, object, before, after);
  for (const h of ctx.k.hooksFor(object.name)) {
    await h.afterWrite?.(ctx, { action, object, before, after });
  }
}

/** Creates a record: validation, module rules, audit, event and search index in one go. */
export async function createRecord(
  ctx: RecordContext,
  objectName: string,
  input: unknown,
  options: WriteOptions = {},
): Promise<ApiRecord> {
  const object = ctx.k.meta.get(objectName);
  assertCan(ctx.actor, object, 'create');
  const values = parseInput(ctx, object, input, 'create', options);
  for (const h of ctx.k.hooksFor(object.name)) {
    await h.beforeWrite?.(ctx, { action: 'create', object, before: null, values, options });
  }
  // Yes/no fields a module left unset start as no, so "is not a supplier" finds every non-supplier.
  for (const f of object.fields) {
    if (f.type === 'boolean' && !f.isSystem && values[f.name] === undefined) values[f.name] = false;
  }
  await checkRelations(ctx, object, values);

  const id = newId();
  const now = isoNow(ctx.k.clock);
  const cols = toColumns(object, values, writeContext(ctx, object, values, null));
  await checkUnique(ctx, object, cols, id);
  const row = {
    ...cols,
    id,
    created_at: now,
    updated_at: now,
    created_by: ctx.actor.userId,
    updated_by: ctx.actor.userId,
    owner_id: values.owner_id !== undefined ? values.owner_id : ctx.actor.userId,
    version: 1,
  };
  await ctx.db.insertInto(object.table).values(row).execute();
  // A new record's own totals start from what already points at it (usually nothing).
  const computed = object.fields.filter((f) => f.type === 'computed');
  for (const f of computed) await recompute(ctx, object, f, id);
  // The row as written is the row as stored, unless a total was just computed into it.
  const after = computed.length ? await readRow(ctx, object, id) : rowToRecord(object, row);
  await afterWrite(ctx, object, 'create', null, after, true);
  return visibleTo(ctx, object, after);
}

/** Changes the given fields of a record; a stale expectedVersion gets 412, nothing written. */
export async function updateRecord(
  ctx: RecordContext,
  objectName: string,
  id: string,
  input: unknown,
  opts: { expectedVersion?: number; options?: WriteOptions; skipScope?: boolean } = {},
): Promise<ApiRecord> {
  const object = ctx.k.meta.get(objectName);
  const options = opts.options ?? {};
  const before = opts.skipScope
    ? await loadRecordUnscoped(ctx, object, id)
    : await loadRecord(ctx, object, id, { action: 'update', raw: true });
  id = before.id;
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== before.version) {
    throw staleVersion(object, before.version);
  }
  const values = parseInput(ctx, object, input, 'update', options);
  for (const h of ctx.k.hooksFor(object.name)) {
    await h.beforeWrite?.(ctx, { action: 'update', object, before, values, options });
  }
  for (const [k, v] of Object.entries(values)) {
    if (JSON.stringify(before[k] ?? null) === JSON.stringify(outputOf(object, k, v, ctx)))
      delete values[k];
  }
  if (Object.keys(values).length === 0) return visibleTo(ctx, object, before);
  // Phones are read with the record's country: a new country re-reads them.
  if (values.country !== undefined) {
    for (const f of object.fields) {
      if (f.type === 'phone' && values[f.name] === undefined && before[f.name])
        values[f.name] = before[f.name];
    }
  }
  await checkRelations(ctx, object, values);

  const cols = toColumns(object, values, writeContext(ctx, object, values, before));
  await checkUnique(ctx, object, cols, id);
  await writeVersioned(ctx, object, before, cols);

  const after = await readRow(ctx, object, id);
  const searchChanged = Object.keys(values).some((k) => object.field(k)?.searchable);
  await afterWrite(ctx, object, 'update', before, after, searchChanged);
  return visibleTo(ctx, object, after);
}

/** Drops the fields the actor may not read from a record loaded without field checks. */
function visibleTo(ctx: RecordContext, object: ObjectMeta, rec: ApiRecord): ApiRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) if (canReadField(ctx.actor, object, k)) out[k] = v;
  return out as ApiRecord;
}

/** The API form a parsed value will have once stored, to skip writes that change nothing. */
function outputOf(object: ObjectMeta, name: string, v: unknown, ctx: RecordContext): unknown {
  const f = object.field(name)!;
  const cols = fieldHandler(f.type).toDb(f, v, { dialect: ctx.k.database.dialect });
  if (f.type === 'phone') return v === '' ? null : v;
  return fieldHandler(f.type).fromDb(f, cols);
}

async function loadRecordUnscoped(ctx: RecordContext, object: ObjectMeta, id: string) {
  const row = await ctx.db
    .selectFrom(object.table)
    .select(recordColumns(object, ctx.k.database.dialect))
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `${object.labelSingular} ${id} not found`);
  return rowToRecord(object, row as Record<string, unknown>);
}

/**
 * Writes columns of a record only if it is still at the version it was read at, stamping who
 * and when and bumping the version; a concurrent change makes it a 412 instead.
 */
export async function writeVersioned(
  ctx: RecordContext,
  object: ObjectMeta,
  before: { id: string; version: number },
  cols: Values,
) {
  const res = await ctx.db
    .updateTable(object.table)
    .set({
      ...cols,
      updated_at: isoNow(ctx.k.clock),
      updated_by: ctx.actor.userId,
      version: before.version + 1,
    })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw staleVersion(object, null);
}

export function staleVersion(object: ObjectMeta, current: number | null) {
  return new AppError(
    'version_mismatch',
    `This ${object.labelSingular.toLowerCase()} was changed by someone else; reload it and try again`,
    [
      {
        path: 'version',
        message: current === null ? 'is stale' : `is stale; the current version is ${current}`,
      },
    ],
    current === null ? {} : { current_version: current },
  );
}

/**
 * Soft-deletes a record. References to it are cleared (each change audited) or, where a
 * relation says `restrict`, the delete is refused with the list of dependents.
 */
export async function deleteRecord(
  ctx: RecordContext,
  objectName: string,
  id: string,
  opts: { expectedVersion?: number } = {},
): Promise<ApiRecord> {
  const object = ctx.k.meta.get(objectName);
  const before = await loadRecord(ctx, object, id, { action: 'delete', raw: true });
  id = before.id;
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== before.version) {
    throw staleVersion(object, before.version);
  }
  const dependents: { object: string; field: string; count: number; ids: string[] }[] = [];
  const toClear: { object: ObjectMeta; field: FieldMeta; ids: string[] }[] = [];
  for (const { object: other, field } of ctx.k.meta.reverseRelations(object.name)) {
    const rows = (await ctx.db
      .selectFrom(other.table)
      .select('id')
      .where(field.column, '=', id)
      .where('deleted_at', 'is', null)
      .execute()) as { id: string }[];
    if (rows.length === 0) continue;
    if (field.onDelete === 'restrict') {
      // Ids only of dependents the user may see; the count is always given.
      const scope = scopeCondition(ctx.actor, other, 'read');
      const readable =
        grantFor(ctx.actor.role, other.name).read === 'none'
          ? []
          : ((await ctx.db
              .selectFrom(other.table)
              .select('id')
              .where(
                'id',
                'in',
                rows.slice(0, 20).map((r) => r.id),
              )
              .where(scope ?? sql<SqlBool>`1 = 1`)
              .execute()) as { id: string }[]);
      dependents.push({
        object: other.name,
        field: field.name,
        count: rows.length,
        ids: readable.map((r) => r.id),
      });
    } else {
      toClear.push({ object: other, field, ids: rows.map((r) => r.id) });
    }
  }
  // Clearing a reference changes another record: only where the deleting user may change it.
  for (const c of toClear) {
    if (!canWriteField(ctx.actor, c.object, c.field.name)) {
      dependents.push({ object: c.object.name, field: c.field.name, count: c.ids.length, ids: [] });
      continue;
    }
    const scope = scopeCondition(ctx.actor, c.object, 'update');
    if (!scope) continue;
    const reachable = await ctx.db
      .selectFrom(c.object.table)
      .select(sql<number>`count(*)`.as('n'))
      .where('id', 'in', c.ids)
      .where(scope)
      .executeTakeFirstOrThrow();
    const hidden = c.ids.length - Number(reachable.n);
    if (hidden > 0)
      dependents.push({ object: c.object.name, field: c.field.name, count: hidden, ids: [] });
  }
  if (dependents.length) {
    const list = dependents.map((d) => `${d.count} ${d.object}`).join(', ');
    throw new AppError(
      'conflict',
      `This ${object.labelSingular.toLowerCase()} is still used by ${list}`,
      dependents.map((d) => ({
        path: `${d.object}.${d.field}`,
        message: `${d.count} record(s) point here`,
      })),
      { dependents },
    );
  }
  for (const c of toClear) {
    for (const depId of c.ids) {
      await updateRecord(
        ctx,
        c.object.name,
        depId,
        { [c.field.name]: null },
        { skipScope: true, options: { system: true } },
      );
    }
  }
  const cleared = toClear.map((c) => ({ object: c.object.name, field: c.field.name, ids: c.ids }));
  await writeVersioned(ctx, object, before, { deleted_at: isoNow(ctx.k.clock) });
  const after = await readRow(ctx, object, id);
  await afterWrite(
    ctx,
    object,
    'delete',
    before,
    after,
    false,
    cleared.length ? { references_cleared: [cleared, null] } : {},
  );
  return visibleTo(ctx, object, after);
}

interface ClearedReferences {
  object: string;
  field: string;
  ids: string[];
}

/** A restored record may point at records deleted meanwhile: those references are cleared. */
async function clearDanglingRelations(
  ctx: RecordContext,
  object: ObjectMeta,
  id: string,
  rec: ApiRecord,
) {
  const cleared: Values = {};
  for (const f of object.fields) {
    const target =
      f.type === 'relation' && !f.isSystem ? ctx.k.meta.find(f.target ?? '') : undefined;
    const ref = rec[f.name];
    if (!target || typeof ref !== 'string') continue;
    const alive = await ctx.db
      .selectFrom(target.table)
      .select('id')
      .where('id', '=', ref)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!alive) cleared[f.name] = null;
  }
  if (Object.keys(cleared).length === 0) return;
  await ctx.db
    .updateTable(object.table)
    .set(toColumns(object, cleared, writeContext(ctx, object, {}, rec)))
    .where('id', '=', id)
    .execute();
}

/** Points records back at a restored one where its delete cleared them and nothing else took the place. */
async function relinkReferences(ctx: RecordContext, object: ObjectMeta, id: string) {
  const last = (await ctx.db
    .selectFrom('audit_log')
    .select('changes')
    .where('record_id', '=', id)
    .where('object', '=', object.name)
    .where('action', '=', 'delete')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()) as { changes: string } | undefined;
  const cleared = last
    ? ((JSON.parse(last.changes) as { references_cleared?: [ClearedReferences[], null] })
        .references_cleared?.[0] ?? [])
    : [];
  for (const group of cleared) {
    const other = ctx.k.meta.find(group.object);
    const field = other?.field(group.field);
    if (!other || !field || field.type !== 'relation') continue;
    const scope = scopeCondition(ctx.actor, other, 'update');
    const rows = (await ctx.db
      .selectFrom(other.table)
      .select('id')
      .where('id', 'in', group.ids.length ? group.ids : [''])
      .where(sql.ref(field.column), 'is', null)
      .where('deleted_at', 'is', null)
      .where(scope ?? sql<SqlBool>`1 = 1`)
      .execute()) as { id: string }[];
    for (const r of rows) {
      await updateRecord(
        ctx,
        other.name,
        r.id,
        { [field.name]: id },
        { skipScope: true, options: { system: true } },
      );
    }
  }
}

export async function restoreRecord(
  ctx: RecordContext,
  objectName: string,
  id: string,
): Promise<ApiRecord> {
  const object = ctx.k.meta.get(objectName);
  const before = await loadRecord(ctx, object, id, {
    action: 'delete',
    includeDeleted: true,
    raw: true,
  });
  id = before.id;
  if (!before.deleted_at) return visibleTo(ctx, object, before);
  // Unique values are checked as stored, column by column.
  const stored = (await ctx.db
    .selectFrom(object.table)
    .select(recordColumns(object, ctx.k.database.dialect))
    .where('id', '=', id)
    .executeTakeFirstOrThrow()) as Values;
  await checkUnique(ctx, object, stored, id);
  await writeVersioned(ctx, object, before, { deleted_at: null, merged_into_id: null });
  await clearDanglingRelations(ctx, object, id, before);
  await relinkReferences(ctx, object, id);
  await flushRollups(ctx);
  const after = await readRow(ctx, object, id);
  await afterWrite(ctx, object, 'restore', before, after, false);
  return visibleTo(ctx, object, after);
}
