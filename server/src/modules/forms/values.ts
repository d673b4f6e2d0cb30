import { DateTime } from 'luxon';
import type { ErrorDetail } from '../../core/errors';
import type { Kontor } from '../../core/kontor';
import { fieldHandler } from '../../core/metadata/field-types';
import type { FieldMeta, FieldType } from '../../core/metadata/types';
import { splitTarget, type FormField } from './definitions';

/** The record field type a form field is checked as when it writes nowhere. */
const OWN_TYPES: Record<Exclude<FormField['type'], 'photo' | 'file'>, FieldType> = {
  text: 'text',
  long_text: 'long_text',
  date: 'date',
  datetime: 'datetime',
  number: 'decimal',
  boolean: 'boolean',
  select: 'select',
  email: 'email',
  phone: 'phone',
};

/** The field a form value is checked as: its target's own definition, or one like it. */
function engineField(k: Kontor, f: FormField): FieldMeta {
  if (f.target_field) {
    const { object, field } = splitTarget(f.target_field);
    const target = k.meta.find(object)?.field(field);
    if (target) return target;
  }
  return {
    id: f.name,
    name: f.name,
    label: f.label,
    type: OWN_TYPES[f.type as keyof typeof OWN_TYPES],
    options: f.options ?? undefined,
    // Numbers a form keeps for itself allow a few more places than money does.
    scale: 6,
    column: f.name,
    isCustom: false,
    isSystem: false,
    position: 0,
  };
}

/** One value of a submitted field: a JSON value, or the first of the texts a browser sent. */
function single(raw: unknown): unknown {
  return Array.isArray(raw) ? raw[0] : raw;
}

/**
 * What a browser's text stands for, in the shape the records engine takes: numbers as numbers or
 * decimal text, yes/no as booleans, a date-and-time without a zone read in `timeZone`.
 */
function coerce(f: FormField, field: FieldMeta, raw: unknown, timeZone: string): unknown {
  if (typeof raw !== 'string') return raw;
  const text = raw.trim();
  switch (f.type) {
    case 'number':
      if (field.type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
      return text.replace(',', '.');
    case 'boolean':
      if (['on', 'true', 'yes', '1'].includes(text.toLowerCase())) return true;
      if (['off', 'false', 'no', '0', ''].includes(text.toLowerCase())) return false;
      return raw;
    case 'datetime': {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return text;
      const local = DateTime.fromISO(text, { zone: timeZone });
      return local.isValid ? local.toUTC().toISO({ suppressMilliseconds: true }) : text;
    }
    default:
      return raw;
  }
}

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/**
 * Checks submitted values against a form's fields with the records engine's own field types.
 * Returns the values to write (in the engine's input shape, by form field name) and every
 * problem at the form field's name. Files are checked elsewhere.
 */
export function parseFormValues(
  k: Kontor,
  fields: FormField[],
  input: Record<string, unknown>,
  timeZone: string,
): { values: Record<string, unknown>; errors: ErrorDetail[] } {
  const values: Record<string, unknown> = {};
  const errors: ErrorDetail[] = [];
  for (const f of fields) {
    if (f.type === 'photo' || f.type === 'file') continue;
    const field = engineField(k, f);
    const raw = single(input[f.name]);
    if (f.type === 'boolean' && isBlank(raw)) {
      if (f.required) errors.push({ path: f.name, message: 'must be ticked' });
      values[f.name] = false;
      continue;
    }
    if (isBlank(raw)) {
      if (f.required) errors.push({ path: f.name, message: 'is required' });
      else values[f.name] = null;
      continue;
    }
    const value = coerce(f, field, raw, timeZone);
    if (f.type === 'boolean' && value === false && f.required) {
      errors.push({ path: f.name, message: 'must be ticked' });
      continue;
    }
    if (f.type === 'select' && !(f.options ?? []).some((o) => o.value === value)) {
      errors.push({
        path: f.name,
        message: `must be one of: ${(f.options ?? []).map((o) => o.value).join(', ')}`,
      });
      continue;
    }
    const parsed = fieldHandler(field.type).input(field).safeParse(value);
    if (!parsed.success) {
      errors.push({
        path: f.name,
        message:
          parsed.error.issues[0]?.code === 'invalid_type'
            ? `must be ${f.type === 'number' ? 'a number' : `a ${f.type.replace('_', ' ')}`}`
            : (parsed.error.issues[0]?.message ?? 'is not valid'),
      });
      continue;
    }
    // Decimals go to the engine as text, which it reads again; everything else as it parsed it.
    values[f.name] = field.type === 'decimal' ? value : parsed.data;
  }
  return { values, errors };
}
