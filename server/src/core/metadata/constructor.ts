import { sql } from 'kysely';
import { z } from 'zod';
import { boolToDb } from '../../db/column-types';
import { isoNow } from '../clock';
import { AppError, validationError, parseInput } from '../errors';
import { newId } from '../ids';
import type { RecordContext } from '../kontor';
import { fieldColumns } from './field-types';
import { buildObjectMeta, MetadataRegistry } from './registry';
import {
  addFieldColumns,
  archiveFieldColumns,
  createRecordTable,
  existingColumns,
  ftsTable,
  renameFieldColumns,
} from './schema';
import { reindexObject } from '../search/search-index';
import { renameFieldInViews } from '../views/views';
import { rowToRecord } from '../records/read';
import {
  FIELD_TYPES,
  RESERVED_COLUMN_NAMES,
  type FieldDef,
  type FieldMeta,
  type ObjectMeta,
} from './types';
import type { Permissions } from '../permissions/grants';

/**
 * The constructor: custom fields and custom objects created, changed and removed at run time,
 * as real columns and tables. Only administrators may use it.
 */

const NAME = /^[a-z][a-z0-9_]{0,47}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const label = () =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(100)
    .refine((v) => !CONTROL.test(v), 'must not contain control or direction characters');
const nameSchema = z
  .string()
  .regex(NAME, 'must be snake_case: a lowercase letter, then letters, digits or _ (at most 48)');

const RESERVED_OBJECT_NAMES = new Set([
  'metadata',
  'users',
  'roles',
  'teams',
  'sessions',
  'api_keys',
  'audit_log',
  'outbox_events',
  'jobs',
  'idempotency_keys',
  'auth',
  'openapi',
  'health',
  'import',
  'export',
  'search',
  'batch',
  'deal_stage_history',
  'aggregate',
  'views',
  // /api/v1/webhooks/... belongs to the webhooks module.
  'webhooks',
]);

const optionSchema = z.strictObject({
  value: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, _ or -'),
  label: label(),
  color: z.string().max(20).optional(),
});

const fieldInputSchema = z.strictObject({
  name: nameSchema,
  label: label(),
  type: z.enum(FIELD_TYPES.filter((t) => t !== 'computed') as [string, ...string[]]),
  description: z.string().max(1000).optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  indexed: z.boolean().optional(),
  searchable: z.boolean().optional(),
  max_length: z.int().min(1).max(100_000).optional(),
  scale: z.int().min(0).max(6).optional(),
  options: z.array(optionSchema).max(500).optional(),
  target: z.string().optional(),
  reverse_name: nameSchema.optional(),
  reverse_label: label().optional(),
  on_delete: z.enum(['clear', 'restrict']).optional(),
});

const fieldPatchSchema = z.strictObject({
  name: nameSchema.optional(),
  label: label().optional(),
  description: z.string().max(1000).optional(),
  required: z.boolean().optional(),
  searchable: z.boolean().optional(),
  options: z.array(optionSchema).max(500).optional(),
  reverse_label: label().optional(),
});

const objectInputSchema = z.strictObject({
  name: nameSchema,
  label_singular: label(),
  label_plural: label(),
  fields: z.array(fieldInputSchema).max(200).optional(),
});

const objectPatchSchema = z.strictObject({
  name: nameSchema.optional(),
  label_singular: label().optional(),
  label_plural: label().optional(),
});

function assertAdmin(ctx: RecordContext) {
  if (!ctx.actor.role.isAdmin)
    throw new AppError('forbidden', 'Only administrators may change objects and fields');
}

/** Roles grant by name, so a renamed object or field takes its grants with it. */
async function renameInGrants(ctx: RecordContext, change: (p: Permissions) => void) {
  const roles = (await ctx.db.selectFrom('roles').select(['id', 'permissions']).execute()) as {
    id: string;
    permissions: string;
  }[];
  for (const r of roles) {
    const p = JSON.parse(r.permissions) as Permissions;
    const before = JSON.stringify(p);
    change(p);
    const after = JSON.stringify(p);
    if (after !== before)
      await ctx.db
        .updateTable('roles')
        .set({ permissions: after })
        .where('id', '=', r.id)
        .execute();
  }
}

/** Metadata of an object as the API shows it. */
export function describeObject(ctx: RecordContext, o: ObjectMeta) {
  return {
    name: o.name,
    label_singular: o.labelSingular,
    label_plural: o.labelPlural,
    module: o.module,
    is_custom: o.isCustom,
    title_field: o.titleField,
    fields: o.fields.map(describeField),
    related_lists: ctx.k.meta.reverseRelations(o.name).map(({ object, field }) => ({
      name: field.reverseName ?? `${object.name}_by_${field.name}`,
      label: field.reverseLabel ?? object.labelPlural,
      object: object.name,
      field: field.name,
    })),
  };
}

export function describeField(f: FieldMeta) {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    description: f.description ?? null,
    required: !!f.required,
    unique: !!f.unique,
    indexed: !!f.indexed,
    searchable: !!f.searchable,
    read_only: !!f.readOnly || f.type === 'computed',
    is_custom: f.isCustom,
    is_system: f.isSystem,
    ...(f.maxLength ? { max_length: f.maxLength } : {}),
    ...(f.type === 'decimal' ? { scale: f.scale ?? 2 } : {}),
    ...(f.options ? { options: f.options } : {}),
    ...(f.type === 'relation'
      ? { target: f.target, reverse_name: f.reverseName ?? null, on_delete: f.onDelete ?? 'clear' }
      : {}),
    ...(f.rollup ? { rollup: f.rollup, result_type: f.resultType } : {}),
  };
}

type FieldInput = z.infer<typeof fieldInputSchema>;

function toFieldDef(input: FieldInput): FieldDef {
  const def: FieldDef = {
    name: input.name,
    label: input.label,
    type: input.type as FieldDef['type'],
  };
  if (input.description) def.description = input.description;
  if (input.required) def.required = true;
  if (input.unique) def.unique = true;
  if (input.indexed) def.indexed = true;
  if (input.searchable) def.searchable = true;
  if (input.max_length) def.maxLength = input.max_length;
  if (input.scale !== undefined) def.scale = input.scale;
  if (input.options) def.options = input.options;
  if (input.target) def.target = input.target;
  if (input.reverse_name) def.reverseName = input.reverse_name;
  if (input.reverse_label) def.reverseLabel = input.reverse_label;
  if (input.on_delete) def.onDelete = input.on_delete;
  return def;
}

function checkFieldDef(
  ctx: RecordContext,
  object: ObjectMeta,
  def: FieldDef,
  prefix: string,
  renamedFrom?: string,
) {
  const errs = (path: string, message: string) =>
    validationError([{ path: prefix ? `${prefix}.${path}` : path, message }]);
  if (object.field(def.name))
    throw errs('name', `${object.name} already has a field "${def.name}"`);
  if (RESERVED_COLUMN_NAMES.has(def.name)) throw errs('name', `"${def.name}" is reserved`);
  const taken = new Set(
    object.fields.flatMap((f) => fieldColumns(f, ctx.k.database.dialect).map((c) => c.name)),
  );
  for (const c of fieldColumns({ ...def, column: def.name } as FieldMeta, ctx.k.database.dialect)) {
    if (taken.has(c.name) || RESERVED_COLUMN_NAMES.has(c.name))
      throw errs('name', `would clash with the column "${c.name}"`);
  }
  const isSelect = def.type === 'select' || def.type === 'multi_select';
  if (isSelect) {
    if (!def.options?.length) throw errs('options', 'a select field needs at least one option');
    const values = def.options.map((o) => o.value);
    if (new Set(values).size !== values.length)
      throw errs('options', 'option values must be unique');
  } else if (def.options) throw errs('options', `only select fields have options, not ${def.type}`);
  if (def.type === 'relation') {
    if (!def.target) throw errs('target', 'a relation needs the object it points to');
    if (def.target !== 'users' && !ctx.k.meta.find(def.target))
      throw errs('target', `no object named "${def.target}"`);
    if (def.reverseName) {
      const target = ctx.k.meta.find(def.target);
      const clash = ctx.k.meta
        .reverseRelations(def.target)
        .some(
          (r) =>
            r.field.reverseName === def.reverseName &&
            !(r.object.id === object.id && r.field.name === (renamedFrom ?? def.name)),
        );
      if (clash || target?.field(def.reverseName))
        throw errs('reverse_name', `"${def.reverseName}" is already used on ${def.target}`);
    }
  } else if (def.target || def.reverseName)
    throw errs('target', 'only relation fields have a target');
  if (def.scale !== undefined && def.type !== 'decimal')
    throw errs('scale', 'only decimal fields have a scale');
  if (def.maxLength !== undefined && !['text', 'long_text'].includes(def.type))
    throw errs('max_length', 'only text fields have a maximum length');
  if (def.unique && ['long_text', 'multi_select', 'boolean', 'currency'].includes(def.type))
    throw errs('unique', `a ${def.type} field cannot be unique`);
}

async function nextPosition(ctx: RecordContext, objectId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('sys_fields')
    .select(sql<number>`coalesce(max(position), 0)`.as('p'))
    .where('object_id', '=', objectId)
    .executeTakeFirstOrThrow();
  return Number(r.p) + 10;
}

async function insertField(
  ctx: RecordContext,
  object: ObjectMeta,
  def: FieldDef,
): Promise<FieldMeta> {
  const now = isoNow(ctx.k.clock);
  const id = newId();
  const position = await nextPosition(ctx, object.id);
  await ctx.db
    .insertInto('sys_fields')
    .values({
      id,
      object_id: object.id,
      api_name: def.name,
      column_name: def.name,
      type: def.type,
      label: def.label,
      is_custom: boolToDb(ctx.k.database.dialect, true),
      position,
      definition: JSON.stringify(def),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { ...def, id, column: def.name, isCustom: true, isSystem: false, position };
}

async function reindex(ctx: RecordContext, objectName: string) {
  // Read the new metadata inside the transaction so the index covers the new field set.
  const fresh = new MetadataRegistry();
  await fresh.load(ctx.db);
  const object = fresh.get(objectName);
  await reindexObject(ctx.db, ctx.k.database.dialect, object, (row) => rowToRecord(object, row));
}

export async function createField(ctx: RecordContext, objectName: string, input: unknown) {
  assertAdmin(ctx);
  const object = ctx.k.meta.get(objectName);
  const def = toFieldDef(parseInput(fieldInputSchema, input));
  checkFieldDef(ctx, object, def, '');
  const field = await insertField(ctx, object, def);
  await addFieldColumns(ctx.db, ctx.k.database.dialect, object, field);
  if (def.searchable) await reindex(ctx, object.name);
  return field;
}

async function fieldRow(ctx: RecordContext, object: ObjectMeta, name: string) {
  const f = object.field(name);
  if (!f || f.isSystem)
    throw new AppError('not_found', `No field "${name}" on ${object.name}`, [
      { path: 'field', message: `unknown field "${name}"` },
    ]);
  return f;
}

export async function updateField(
  ctx: RecordContext,
  objectName: string,
  fieldName: string,
  input: unknown,
) {
  assertAdmin(ctx);
  const object = ctx.k.meta.get(objectName);
  const field = await fieldRow(ctx, object, fieldName);
  const patch = parseInput(fieldPatchSchema, input);
  if (field.name === object.titleField && patch.name !== undefined && patch.name !== field.name) {
    throw validationError([
      {
        path: 'name',
        message: `"${field.name}" names the records of ${object.name} and keeps its name`,
      },
    ]);
  }
  if (!field.isCustom && (patch.name !== undefined || patch.required !== undefined)) {
    throw validationError([
      {
        path: patch.name !== undefined ? 'name' : 'required',
        message: 'cannot be changed on a standard field',
      },
    ]);
  }
  const next: FieldDef = { ...stripMeta(field) };
  if (patch.label !== undefined) next.label = patch.label;
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.required !== undefined) next.required = patch.required;
  if (patch.searchable !== undefined) next.searchable = patch.searchable;
  if (patch.reverse_label !== undefined) {
    if (field.type !== 'relation')
      throw validationError([{ path: 'reverse_label', message: 'only relation fields have one' }]);
    next.reverseLabel = patch.reverse_label;
  }
  if (patch.options !== undefined) {
    if (field.type !== 'select' && field.type !== 'multi_select')
      throw validationError([{ path: 'options', message: 'only select fields have options' }]);
    const values = patch.options.map((o) => o.value);
    if (new Set(values).size !== values.length)
      throw validationError([{ path: 'options', message: 'option values must be unique' }]);
    for (const old of field.options ?? []) {
      if (values.includes(old.value)) continue;
      const pattern = field.type === 'multi_select' ? `%${JSON.stringify(old.value)}%` : old.value;
      const used = await ctx.db
        .selectFrom(object.table)
        .select('id')
        .where(sql.ref(field.column), field.type === 'multi_select' ? 'like' : '=', pattern)
        .where('deleted_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      if (used)
        throw validationError([
          {
            path: 'options',
            message: `option "${old.value}" is still used by records; change them first`,
          },
        ]);
    }
    next.options = patch.options;
  }
  let column = field.column;
  if (patch.name !== undefined && patch.name !== field.name) {
    const probe = { ...next, name: patch.name };
    const others = buildObjectMeta(
      object,
      object.fields.filter((f) => f.name !== field.name && !f.isSystem),
    );
    checkFieldDef(ctx, others, probe, '', field.name);
    next.name = patch.name;
    column = patch.name;
    await renameFieldColumns(ctx.db, ctx.k.database.dialect, object, field, column);
    await renameInGrants(ctx, (p) => {
      const grant = Object.hasOwn(p.objects, object.name) ? p.objects[object.name] : undefined;
      if (grant && Object.hasOwn(grant.fields, field.name)) {
        grant.fields[patch.name!] = grant.fields[field.name];
        delete grant.fields[field.name];
      }
    });
    await renameFieldInViews(ctx, object, field.name, patch.name);
  }
  // Standard fields remember what an administrator changed, so the start-up sync keeps it.
  if (!field.isCustom) {
    const edited = new Set((field as FieldMeta & { edited?: string[] }).edited ?? []);
    if (patch.label !== undefined) edited.add('label');
    if (patch.description !== undefined) edited.add('description');
    if (patch.searchable !== undefined) edited.add('searchable');
    if (patch.reverse_label !== undefined) edited.add('reverseLabel');
    (next as FieldDef & { edited?: string[] }).edited = [...edited];
  }
  await ctx.db
    .updateTable('sys_fields')
    .set({
      api_name: next.name,
      column_name: column,
      label: next.label,
      definition: JSON.stringify(next),
      updated_at: isoNow(ctx.k.clock),
    })
    .where('id', '=', field.id)
    .execute();
  if (patch.searchable !== undefined && patch.searchable !== !!field.searchable)
    await reindex(ctx, object.name);
  if (patch.options && next.searchable) await reindex(ctx, object.name);
}

function stripMeta(f: FieldMeta): FieldDef {
  const { id: _id, column: _c, isCustom: _ic, isSystem: _is, position: _p, ...def } = f;
  return def;
}

/** Removes a custom field. Its column is renamed aside, not dropped, so no data is destroyed. */
export async function deleteField(ctx: RecordContext, objectName: string, fieldName: string) {
  assertAdmin(ctx);
  const object = ctx.k.meta.get(objectName);
  const field = await fieldRow(ctx, object, fieldName);
  if (!field.isCustom)
    throw validationError([{ path: 'field', message: 'standard fields cannot be removed' }]);
  if (field.name === object.titleField)
    throw validationError([
      {
        path: 'field',
        message: `"${field.name}" names the records of ${object.name} and cannot be removed`,
      },
    ]);
  const suffix = newId().replace(/-/g, '').slice(-8);
  await archiveFieldColumns(ctx.db, ctx.k.database.dialect, object, field, suffix);
  await ctx.db
    .updateTable('sys_fields')
    .set({ deleted_at: isoNow(ctx.k.clock), column_name: `zz_removed_${suffix}_${field.column}` })
    .where('id', '=', field.id)
    .execute();
  if (field.searchable) await reindex(ctx, object.name);
}

export async function createObject(ctx: RecordContext, input: unknown) {
  assertAdmin(ctx);
  const body = parseInput(objectInputSchema, input);
  if (
    RESERVED_OBJECT_NAMES.has(body.name) ||
    body.name.startsWith('sys_') ||
    ctx.k.meta.find(body.name)
  ) {
    throw validationError([{ path: 'name', message: `"${body.name}" is taken` }]);
  }
  const table = `c_${body.name}`;
  const existing = await existingColumns(ctx.db, ctx.k.database.dialect, table);
  if (existing.size)
    throw validationError([{ path: 'name', message: `a table ${table} already exists` }]);
  const now = isoNow(ctx.k.clock);
  const id = newId();
  await ctx.db
    .insertInto('sys_objects')
    .values({
      id,
      api_name: body.name,
      table_name: table,
      label_singular: body.label_singular,
      label_plural: body.label_plural,
      module: 'custom',
      is_custom: boolToDb(ctx.k.database.dialect, true),
      title_field: 'name',
      options: '{}',
      created_at: now,
      updated_at: now,
    })
    .execute();
  const shell = buildObjectMeta(
    {
      id,
      name: body.name,
      table,
      labelSingular: body.label_singular,
      labelPlural: body.label_plural,
      module: 'custom',
      isCustom: true,
      titleField: 'name',
    },
    [],
  );
  const nameDef: FieldDef = {
    name: 'name',
    label: 'Name',
    type: 'text',
    required: true,
    indexed: true,
    searchable: true,
  };
  const fields: FieldMeta[] = [await insertField(ctx, shell, nameDef)];
  let current = buildObjectMeta(shell, fields);
  for (const [i, f] of (body.fields ?? []).entries()) {
    if (f.name === 'name') {
      throw validationError([
        {
          path: `fields.${i}.name`,
          message: 'every object has a text field "name" already; choose another name',
        },
      ]);
    }
    const def = toFieldDef(f);
    checkFieldDef(ctx, current, def, `fields.${i}`);
    fields.push(await insertField(ctx, current, def));
    current = buildObjectMeta(shell, fields);
  }
  await createRecordTable(ctx.db, ctx.k.database.dialect, current);
  return current;
}

export async function updateObject(ctx: RecordContext, objectName: string, input: unknown) {
  assertAdmin(ctx);
  const object = ctx.k.meta.get(objectName);
  const patch = parseInput(objectPatchSchema, input);
  if (patch.name !== undefined && patch.name !== object.name) {
    if (!object.isCustom)
      throw validationError([{ path: 'name', message: 'standard objects keep their name' }]);
    if (
      RESERVED_OBJECT_NAMES.has(patch.name) ||
      patch.name.startsWith('sys_') ||
      ctx.k.meta.find(patch.name)
    ) {
      throw validationError([{ path: 'name', message: `"${patch.name}" is taken` }]);
    }
    // Relations that point at the object follow the new name.
    const fields = (await ctx.db
      .selectFrom('sys_fields')
      .select(['id', 'definition'])
      .where('deleted_at', 'is', null)
      .execute()) as { id: string; definition: string }[];
    for (const f of fields) {
      const def = JSON.parse(f.definition) as FieldDef;
      if (def.type === 'relation' && def.target === object.name) {
        await ctx.db
          .updateTable('sys_fields')
          .set({ definition: JSON.stringify({ ...def, target: patch.name }) })
          .where('id', '=', f.id)
          .execute();
      }
    }
    await ctx.db
      .updateTable('activities')
      .set({ related_object: patch.name })
      .where('related_object', '=', object.name)
      .execute();
    await ctx.db
      .updateTable('tasks')
      .set({ related_object: patch.name })
      .where('related_object', '=', object.name)
      .execute();
    await ctx.db
      .updateTable('audit_log')
      .set({ object: patch.name })
      .where('object', '=', object.name)
      .execute();
    await renameInGrants(ctx, (p) => {
      if (Object.hasOwn(p.objects, object.name)) {
        p.objects[patch.name!] = p.objects[object.name];
        delete p.objects[object.name];
      }
    });
  }
  await ctx.db
    .updateTable('sys_objects')
    .set({
      api_name: patch.name ?? object.name,
      label_singular: patch.label_singular ?? object.labelSingular,
      label_plural: patch.label_plural ?? object.labelPlural,
      updated_at: isoNow(ctx.k.clock),
    })
    .where('id', '=', object.id)
    .execute();
}

/** Removes a custom object; its table is renamed aside with its data, never dropped. */
export async function deleteObject(ctx: RecordContext, objectName: string) {
  assertAdmin(ctx);
  const object = ctx.k.meta.get(objectName);
  if (!object.isCustom)
    throw validationError([{ path: 'object', message: 'standard objects cannot be removed' }]);
  const pointing = ctx.k.meta
    .reverseRelations(object.name)
    .filter((r) => r.object.name !== object.name);
  if (pointing.length) {
    throw new AppError(
      'conflict',
      `Other objects still point at ${object.name}`,
      pointing.map((p) => ({
        path: `${p.object.name}.${p.field.name}`,
        message: 'remove this relation field first',
      })),
    );
  }
  const suffix = newId().replace(/-/g, '').slice(-8);
  const archived = `zz_removed_${suffix}_${object.table}`.slice(0, 63);
  await ctx.db.schema.alterTable(object.table).renameTo(archived).execute();
  if (ctx.k.database.dialect === 'sqlite') {
    await sql`drop table if exists ${sql.table(ftsTable(object.table))}`.execute(ctx.db);
  }
  await ctx.db
    .updateTable('sys_objects')
    .set({ deleted_at: isoNow(ctx.k.clock), table_name: archived })
    .where('id', '=', object.id)
    .execute();
}
