import { z } from 'zod';
import { isoNow } from '../../core/clock';
import { boolFromDb, boolToDb } from '../../db/column-types';
import {
  AppError,
  notFound,
  parseInput,
  validationError,
  type ErrorDetail,
} from '../../core/errors';
import { isId, newId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import type { FieldType } from '../../core/metadata/types';

export const FORM_FIELD_TYPES = [
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
] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** Which record field types a form field may be written into. */
const TARGET_TYPES: Record<FormFieldType, FieldType[]> = {
  text: ['text', 'long_text'],
  long_text: ['long_text'],
  date: ['date'],
  datetime: ['datetime'],
  number: ['integer', 'decimal'],
  boolean: ['boolean'],
  select: ['select', 'text'],
  email: ['email', 'text'],
  phone: ['phone', 'text'],
  photo: [],
  file: [],
};

/** Names a form field may not take: the spam trap and the consent box of web forms. */
export const HONEYPOT_FIELD = 'homepage';
export const CONSENT_FIELD = 'consent';
const RESERVED = new Set([HONEYPOT_FIELD, CONSENT_FIELD]);

/** Objects a public web form writes to (it creates or matches a lead). */
export const WEB_FORM_OBJECT = 'leads';

const optionSchema = z.strictObject({
  value: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1).max(200),
});

const fieldSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower-case letters, digits and _, from a letter'),
  label: z.string().trim().min(1, 'is required').max(200),
  type: z.enum(FORM_FIELD_TYPES),
  required: z.boolean().default(false),
  help: z.string().trim().max(500).nullish(),
  options: z.array(optionSchema).max(200).nullish(),
  target_field: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be object.field, like deals.description')
    .nullish(),
});
export type FormField = z.infer<typeof fieldSchema>;

const formSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(200),
  kind: z.enum(['task', 'web']),
  description: z.string().trim().max(2000).nullish(),
  fields: z.array(fieldSchema).min(1, 'a form needs at least one field').max(50),
  allowed_origins: z.array(z.string().max(300)).max(50).default([]),
  require_consent: z.boolean().default(false),
  consent_text: z.string().trim().max(2000).nullish(),
  success_message: z.string().trim().max(2000).nullish(),
});
type FormInput = z.infer<typeof formSchema>;

/** A form definition as the API shows it. */
export interface FormDef {
  id: string;
  name: string;
  kind: 'task' | 'web';
  description: string | null;
  fields: FormField[];
  allowed_origins: string[];
  require_consent: boolean;
  consent_text: string | null;
  success_message: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  archived_at: string | null;
}

/** The object and field a target names (`deals.description`). */
export function splitTarget(target: string): { object: string; field: string } {
  const i = target.indexOf('.');
  return { object: target.slice(0, i), field: target.slice(i + 1) };
}

/** Every problem of a definition, checked against the objects and fields that exist now. */
function checkDefinition(ctx: RecordContext, form: FormInput): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const seen = new Set<string>();
  form.fields.forEach((f, i) => {
    const at = `fields.${i}`;
    if (seen.has(f.name)) errors.push({ path: `${at}.name`, message: `"${f.name}" is used twice` });
    seen.add(f.name);
    if (RESERVED.has(f.name))
      errors.push({ path: `${at}.name`, message: `"${f.name}" is reserved for web forms` });
    if (f.type === 'select') {
      const values = (f.options ?? []).map((o) => o.value);
      if (values.length === 0)
        errors.push({ path: `${at}.options`, message: 'a select field needs options' });
      if (new Set(values).size !== values.length)
        errors.push({ path: `${at}.options`, message: 'option values must differ' });
    } else if (f.options?.length) {
      errors.push({ path: `${at}.options`, message: 'only select fields have options' });
    }
    if (form.kind === 'web' && (f.type === 'photo' || f.type === 'file'))
      errors.push({
        path: `${at}.type`,
        message: 'public web forms take no files; use a form link for photos',
      });
    if (f.target_field) errors.push(...checkTarget(ctx, form, f, `${at}.target_field`));
  });
  form.allowed_origins.forEach((o, i) => {
    if (!isOrigin(o))
      errors.push({
        path: `allowed_origins.${i}`,
        message: 'must be an origin like https://www.example.com (scheme, host, port; no path)',
      });
  });
  if (form.kind === 'task' && form.allowed_origins.length)
    errors.push({ path: 'allowed_origins', message: 'only web forms have allowed origins' });
  if (form.require_consent && !form.consent_text)
    errors.push({ path: 'consent_text', message: 'is required when consent is required' });
  return errors;
}

function checkTarget(
  ctx: RecordContext,
  form: FormInput,
  f: FormField,
  path: string,
): ErrorDetail[] {
  const { object: objectName, field: fieldName } = splitTarget(f.target_field!);
  if (form.kind === 'web' && objectName !== WEB_FORM_OBJECT)
    return [{ path, message: `a web form writes to ${WEB_FORM_OBJECT}, not ${objectName}` }];
  const object = ctx.k.meta.find(objectName);
  if (!object) return [{ path, message: `no object named "${objectName}"` }];
  const target = object.field(fieldName);
  if (!target) return [{ path, message: `${objectName} has no field "${fieldName}"` }];
  if (target.isSystem || target.readOnly || target.type === 'computed')
    return [{ path, message: `${objectName}.${fieldName} is read-only` }];
  const accepted = TARGET_TYPES[f.type];
  if (!accepted.includes(target.type))
    return [
      {
        path,
        message: accepted.length
          ? `a ${f.type} field cannot be written into ${objectName}.${fieldName} (${target.type}); it takes ${accepted.join(' or ')}`
          : `a ${f.type} field is stored as files of the record, not written into a field`,
      },
    ];
  if (f.type === 'select' && target.type === 'select') {
    const known = new Set((target.options ?? []).map((o) => o.value));
    const unknown = (f.options ?? []).filter((o) => !known.has(o.value)).map((o) => o.value);
    if (unknown.length)
      return [
        {
          path,
          message: `${objectName}.${fieldName} has no option ${unknown.map((v) => `"${v}"`).join(', ')}`,
        },
      ];
  }
  return [];
}

function isOrigin(text: string): boolean {
  try {
    const u = new URL(text);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === text;
  } catch {
    return false;
  }
}

function assertAdmin(ctx: RecordContext) {
  if (!ctx.actor.role.isAdmin)
    throw new AppError('forbidden', 'Only administrators may change forms');
}

function toDef(row: Record<string, unknown>): FormDef {
  return {
    id: row.id as string,
    name: row.name as string,
    kind: row.kind as FormDef['kind'],
    description: (row.description as string | null) ?? null,
    fields: JSON.parse(row.fields as string) as FormField[],
    allowed_origins: JSON.parse(row.allowed_origins as string) as string[],
    require_consent: boolFromDb(row.require_consent),
    consent_text: (row.consent_text as string | null) ?? null,
    success_message: (row.success_message as string | null) ?? null,
    created_at: String(row.created_at),
    updated_at: String(row.updated_at),
    created_by: (row.created_by as string | null) ?? null,
    archived_at: row.archived_at ? String(row.archived_at) : null,
  };
}

/** Normalises what zod left optional, so stored definitions always have every key. */
function stored(form: FormInput) {
  return {
    name: form.name,
    kind: form.kind,
    description: form.description ?? null,
    fields: JSON.stringify(
      form.fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        required: f.required,
        help: f.help ?? null,
        options: f.type === 'select' ? f.options : null,
        target_field: f.target_field ?? null,
      })),
    ),
    allowed_origins: JSON.stringify(form.allowed_origins),
    require_consent: form.require_consent,
    consent_text: form.consent_text ?? null,
    success_message: form.success_message ?? null,
  };
}

/** A form by id (archived ones too); 404 when there is none. */
export async function loadForm(ctx: RecordContext, id: string): Promise<FormDef> {
  const row = isId(id)
    ? await ctx.db
        .selectFrom('forms')
        .selectAll()
        .where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Form ${id.slice(0, 60)}`);
  return toDef(row as Record<string, unknown>);
}

export async function listForms(ctx: RecordContext, includeArchived: boolean): Promise<FormDef[]> {
  let q = ctx.db.selectFrom('forms').selectAll().orderBy('name').orderBy('id');
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return ((await q.execute()) as Record<string, unknown>[]).map(toDef);
}

export async function createForm(ctx: RecordContext, input: unknown): Promise<FormDef> {
  assertAdmin(ctx);
  const form = parseInput(formSchema, input);
  const errors = checkDefinition(ctx, form);
  if (errors.length) throw validationError(errors);
  const now = isoNow(ctx.k.clock);
  const values = stored(form);
  const id = newId();
  await ctx.db
    .insertInto('forms')
    .values({
      id,
      ...values,
      require_consent: boolToDb(ctx.k.database.dialect, values.require_consent),
      created_at: now,
      updated_at: now,
      created_by: ctx.actor.userId,
      archived_at: null,
    })
    .execute();
  return loadForm(ctx, id);
}

/** Changes a form: the given keys replace the stored ones, and the whole is checked again. */
export async function updateForm(ctx: RecordContext, id: string, input: unknown): Promise<FormDef> {
  assertAdmin(ctx);
  const current = await loadForm(ctx, id);
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw validationError([{ path: 'body', message: 'must be a JSON object' }]);
  const {
    id: _i,
    created_at: _c,
    updated_at: _u,
    created_by: _b,
    archived_at: _a,
    ...base
  } = current;
  const form = parseInput(formSchema, { ...base, ...(input as object) });
  const errors = checkDefinition(ctx, form);
  if (errors.length) throw validationError(errors);
  const values = stored(form);
  await ctx.db
    .updateTable('forms')
    .set({
      ...values,
      require_consent: boolToDb(ctx.k.database.dialect, values.require_consent),
      updated_at: isoNow(ctx.k.clock),
    })
    .where('id', '=', current.id)
    .execute();
  return loadForm(ctx, current.id);
}

/** Archives a form: its links stop working and its public endpoints answer 404; nothing is lost. */
export async function archiveForm(ctx: RecordContext, id: string, archived: boolean) {
  assertAdmin(ctx);
  const current = await loadForm(ctx, id);
  await ctx.db
    .updateTable('forms')
    .set({ archived_at: archived ? isoNow(ctx.k.clock) : null, updated_at: isoNow(ctx.k.clock) })
    .where('id', '=', current.id)
    .execute();
  return loadForm(ctx, current.id);
}
