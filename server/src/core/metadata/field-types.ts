import { z } from 'zod';
import type { DialectName } from '../../db/database';
import { boolFromDb, boolToDb, columnTypes } from '../../db/column-types';
import { isId } from '../ids';
import { decimalToScaled, isCurrencyCode, minorDigits, scaledToDecimal } from './money';
import { looksLikePhone, toE164 } from './phone';
import type { FieldMeta, FieldType } from './types';

export type FilterOp =
  'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'contains' | 'starts_with' | 'is_empty';

export const FILTER_OPS: FilterOp[] = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'contains',
  'starts_with',
  'is_empty',
];

export interface WriteContext {
  dialect: DialectName;
  /** ISO country for phone numbers typed without a country code. */
  phoneRegion?: string;
}

/** How one field type is stored, validated, read, filtered and searched. */
export interface FieldHandler {
  columns(f: FieldMeta, dialect: DialectName): { name: string; type: string }[];
  /** zod schema for API input; null is always accepted here and checked against `required` later. */
  input(f: FieldMeta): z.ZodType;
  /** Column values for a validated input value (null clears). */
  toDb(f: FieldMeta, value: unknown, ctx: WriteContext): Record<string, unknown>;
  fromDb(f: FieldMeta, row: Record<string, unknown>): unknown;
  ops: FilterOp[];
  /** The column compared and sorted on; a sub-path (`amount.currency`) may name another. */
  column(f: FieldMeta, sub?: string): string | undefined;
  /** Parses a filter value given as query text into what the column holds. */
  filterValue(f: FieldMeta, text: string, ctx: WriteContext, sub?: string): unknown;
  /** Text this value adds to the record's search index. */
  searchText?(f: FieldMeta, value: unknown): string;
}

const ORDER_OPS: FilterOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'is_empty'];
const TEXT_OPS: FilterOp[] = [...ORDER_OPS, 'contains', 'starts_with'];

/** NFC, trimmed, and without control characters other than tab and newline. */
function cleanText(multiline: boolean) {
  return z.string().transform((s, ctx) => {
    if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
      ctx.addIssue({
        code: 'custom',
        message: 'contains an unpaired surrogate (not valid Unicode)',
      });
      return z.NEVER;
    }
    const v = s.normalize('NFC');
    // eslint-disable-next-line no-control-regex
    const bad = multiline
      ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
      : /[\u0000-\u001f\u007f]/;
    if (bad.test(v)) {
      ctx.addIssue({ code: 'custom', message: 'contains control characters' });
      return z.NEVER;
    }
    return multiline ? v : v.trim();
  });
}

function maxLen(f: FieldMeta, fallback: number) {
  const max = f.maxLength ?? fallback;
  return (s: string) => s.length <= max;
}

function single(f: FieldMeta, type: string) {
  return [{ name: f.column, type }];
}

function textFilter(_f: FieldMeta, text: string) {
  return text.normalize('NFC');
}

function dateFilter(text: string): string {
  if (!isDate(text)) throw new Error('must be a date like 2026-03-31');
  return text;
}

export function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m || m[1] === '0000') return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A valid ISO 8601 instant with a zone, in UTC; null for anything else (Feb 30, year 0, ...). */
export function normaliseDatetime(text: string): string | null {
  if (!DATETIME.test(text) || !isDate(text.slice(0, 10))) return null;
  const [hh, mm, ss] = [
    text.slice(11, 13),
    text.slice(14, 16),
    text.length > 19 && text[16] === ':' ? text.slice(17, 19) : '00',
  ].map(Number);
  if (hh > 23 || mm > 59 || ss > 59) return null;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  const year = Number(iso.slice(0, 4));
  return iso.length === 24 && year >= 1 && year <= 9999 ? iso : null;
}

function intFilter(text: string): number {
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new Error('must be a whole number');
  }
  return Number(text);
}

function scaledNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new Error('is too large');
  }
  return Number(v);
}

const decimalInput = (scale: number) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const text = typeof v === 'number' ? String(v) : v;
    const scaled = decimalToScaled(text, scale);
    if (typeof scaled === 'string') {
      ctx.addIssue({ code: 'custom', message: scaled });
      return z.NEVER;
    }
    if (scaled > BigInt(Number.MAX_SAFE_INTEGER) || scaled < BigInt(Number.MIN_SAFE_INTEGER)) {
      ctx.addIssue({ code: 'custom', message: 'is too large' });
      return z.NEVER;
    }
    return Number(scaled);
  });

const currencyCode = z
  .string()
  .refine((c) => /^[A-Z]{3}$/.test(c) && isCurrencyCode(c), 'must be an ISO 4217 code like EUR');

const currencyInput = z
  .strictObject({
    amount_minor: z.int().optional(),
    amount: z.union([z.string(), z.number()]).optional(),
    currency: currencyCode,
  })
  .transform((v, ctx) => {
    if ((v.amount_minor === undefined) === (v.amount === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either amount_minor or amount' });
      return z.NEVER;
    }
    if (v.amount_minor !== undefined) {
      if (!Number.isSafeInteger(v.amount_minor)) {
        ctx.addIssue({ code: 'custom', path: ['amount_minor'], message: 'is too large' });
        return z.NEVER;
      }
      return { minor: v.amount_minor, currency: v.currency };
    }
    const scaled = decimalToScaled(String(v.amount), minorDigits(v.currency));
    if (typeof scaled === 'string') {
      const msg =
        scaled.startsWith('has more') || scaled.startsWith('must be a whole')
          ? `${scaled} for ${v.currency}`
          : scaled;
      ctx.addIssue({ code: 'custom', path: ['amount'], message: msg });
      return z.NEVER;
    }
    // Amounts are kept exactly: at most what a JavaScript number counts without rounding.
    if (scaled > BigInt(Number.MAX_SAFE_INTEGER) || scaled < BigInt(Number.MIN_SAFE_INTEGER)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'is too large' });
      return z.NEVER;
    }
    return { minor: scaledNumber(scaled), currency: v.currency };
  });

function currencyFromDb(minor: unknown, currency: unknown) {
  if (minor === null || minor === undefined || currency === null || currency === undefined) {
    return null;
  }
  const code = String(currency);
  return {
    amount_minor: Number(minor),
    currency: code,
    amount: scaledToDecimal(Number(minor), minorDigits(code)),
  };
}

/** Text on one line, or long text on several, up to a length. */
function textLike(multiline: boolean, fallbackMax: number): FieldHandler {
  return {
    columns: (f, d) => single(f, columnTypes(d).text),
    input: (f) =>
      cleanText(multiline).refine(
        maxLen(f, fallbackMax),
        `must be at most ${f.maxLength ?? fallbackMax} characters`,
      ),
    toDb: (f, v) => ({ [f.column]: v === '' ? null : v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: TEXT_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: textFilter,
    searchText: (_f, v) => String(v),
  };
}

const handlers: Record<FieldType, FieldHandler> = {
  text: textLike(false, 1000),
  long_text: textLike(true, 100_000),
  integer: {
    columns: (f, d) => single(f, columnTypes(d).bigint),
    input: () =>
      z
        .number({ error: 'must be a whole number' })
        .refine((n) => Number.isInteger(n), 'must be a whole number')
        .refine((n) => Number.isSafeInteger(n), 'is too large'),
    toDb: (f, v) => ({ [f.column]: v }),
    fromDb: (f, row) =>
      row[f.column] === null || row[f.column] === undefined ? null : Number(row[f.column]),
    ops: ORDER_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (_f, text) => intFilter(text),
  },
  decimal: {
    columns: (f, d) => single(f, columnTypes(d).bigint),
    input: (f) => decimalInput(f.scale ?? 2),
    toDb: (f, v) => ({ [f.column]: v }),
    fromDb: (f, row) => {
      const v = row[f.column];
      return v === null || v === undefined ? null : scaledToDecimal(Number(v), f.scale ?? 2);
    },
    ops: ORDER_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (f, text) => {
      const scaled = decimalToScaled(text, f.scale ?? 2);
      if (typeof scaled === 'string') throw new Error(scaled);
      return scaledNumber(scaled);
    },
  },
  currency: {
    columns: (f, d) => [
      { name: `${f.column}_minor`, type: columnTypes(d).bigint },
      { name: `${f.column}_currency`, type: columnTypes(d).text },
    ],
    input: () => currencyInput,
    toDb: (f, v) => {
      const m = v as { minor: number; currency: string } | null;
      return {
        [`${f.column}_minor`]: m?.minor ?? null,
        [`${f.column}_currency`]: m?.currency ?? null,
      };
    },
    fromDb: (f, row) => currencyFromDb(row[`${f.column}_minor`], row[`${f.column}_currency`]),
    ops: ORDER_OPS,
    column: (f, sub) =>
      sub === undefined
        ? `${f.column}_minor`
        : sub === 'currency'
          ? `${f.column}_currency`
          : undefined,
    filterValue: (_f, text, _ctx, sub) => {
      if (sub === 'currency') return text;
      return intFilter(text);
    },
  },
  boolean: {
    columns: (f, d) => single(f, columnTypes(d).boolean),
    input: () => z.boolean(),
    toDb: (f, v, ctx) => ({ [f.column]: v === null ? null : boolToDb(ctx.dialect, v as boolean) }),
    fromDb: (f, row) =>
      row[f.column] === null || row[f.column] === undefined ? null : boolFromDb(row[f.column]),
    ops: ['eq', 'ne', 'is_empty'],
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (_f, text, ctx) => {
      if (text !== 'true' && text !== 'false') throw new Error('must be true or false');
      return boolToDb(ctx.dialect, text === 'true');
    },
  },
  date: {
    columns: (f, d) => single(f, columnTypes(d).date),
    input: () => z.string().refine(isDate, 'must be a date like 2026-03-31'),
    toDb: (f, v) => ({ [f.column]: v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: ORDER_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (_f, text) => dateFilter(text),
  },
  datetime: {
    columns: (f, d) => single(f, columnTypes(d).timestamp),
    input: () =>
      z.string().transform((s, ctx) => {
        const v = normaliseDatetime(s);
        if (!v) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be an ISO 8601 instant with a time zone, like 2026-03-31T14:00:00Z',
          });
          return z.NEVER;
        }
        return v;
      }),
    toDb: (f, v) => ({ [f.column]: v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: ORDER_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (_f, text) => {
      const v = normaliseDatetime(text) ?? (isDate(text) ? `${text}T00:00:00.000Z` : null);
      if (!v) throw new Error('must be an ISO 8601 instant like 2026-03-31T14:00:00Z');
      return v;
    },
  },
  select: {
    columns: (f, d) => single(f, columnTypes(d).text),
    input: (f) => {
      const values = (f.options ?? []).map((o) => o.value);
      return z.string().refine((v) => values.includes(v), {
        message: `must be one of: ${values.join(', ')}`,
      });
    },
    toDb: (f, v) => ({ [f.column]: v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: ORDER_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (f, text) => {
      const values = (f.options ?? []).map((o) => o.value);
      if (!values.includes(text)) throw new Error(`must be one of: ${values.join(', ')}`);
      return text;
    },
    searchText: (f, v) => f.options?.find((o) => o.value === v)?.label ?? String(v),
  },
  multi_select: {
    columns: (f, d) => single(f, columnTypes(d).text),
    input: (f) => {
      const values = (f.options ?? []).map((o) => o.value);
      return z
        .array(
          z
            .string()
            .refine((v) => values.includes(v), { message: `must be one of: ${values.join(', ')}` }),
        )
        .refine((a) => new Set(a).size === a.length, 'lists a value twice');
    },
    toDb: (f, v) => {
      const a = v as string[] | null;
      if (!a || a.length === 0) return { [f.column]: null };
      // Kept in option order, each value quoted, so `contains` can match `"value"` exactly.
      const order = (f.options ?? []).map((o) => o.value);
      return {
        [f.column]: JSON.stringify([...a].sort((x, y) => order.indexOf(x) - order.indexOf(y))),
      };
    },
    fromDb: (f, row) => {
      const v = row[f.column];
      return v ? (JSON.parse(String(v)) as string[]) : [];
    },
    ops: ['contains', 'is_empty'],
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (f, text) => {
      const values = (f.options ?? []).map((o) => o.value);
      if (!values.includes(text)) throw new Error(`must be one of: ${values.join(', ')}`);
      return JSON.stringify(text);
    },
    searchText: (f, v) =>
      (v as string[]).map((x) => f.options?.find((o) => o.value === x)?.label ?? x).join(' '),
  },
  email: {
    columns: (f, d) => single(f, columnTypes(d).text),
    input: () =>
      cleanText(false).pipe(
        z.union([
          z.literal(''),
          z.email('must be an e-mail address like name@example.com').max(254),
        ]),
      ),
    toDb: (f, v) => ({ [f.column]: v === '' ? null : v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: TEXT_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (_f, text) => text.trim(),
    searchText: (_f, v) => String(v),
  },
  phone: {
    columns: (f, d) => [
      { name: f.column, type: columnTypes(d).text },
      { name: `${f.column}_e164`, type: columnTypes(d).text },
    ],
    input: () =>
      cleanText(false).refine((s) => s === '' || (s.length <= 64 && looksLikePhone(s)), {
        message: 'must be a phone number like +49 30 1234567',
      }),
    toDb: (f, v, ctx) => {
      if (v === null || v === '') return { [f.column]: null, [`${f.column}_e164`]: null };
      return { [f.column]: v, [`${f.column}_e164`]: toE164(String(v), ctx.phoneRegion) };
    },
    fromDb: (f, row) => row[f.column] ?? null,
    ops: TEXT_OPS,
    column: (f, sub) =>
      sub === undefined ? f.column : sub === 'e164' ? `${f.column}_e164` : undefined,
    filterValue: (_f, text) => text.trim(),
    searchText: (_f, v) => `${String(v)} ${String(v).replace(/\D/g, '')}`,
  },
  url: {
    columns: (f, d) => single(f, columnTypes(d).text),
    input: () =>
      cleanText(false).refine((s) => s === '' || (s.length <= 2048 && isHttpUrl(s)), {
        message: 'must be a web address like https://example.com',
      }),
    toDb: (f, v) => ({ [f.column]: v === '' ? null : v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: TEXT_OPS,
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: textFilter,
    searchText: (_f, v) => String(v),
  },
  relation: {
    columns: (f, d) => single(f, columnTypes(d).id),
    input: () => z.string().refine(isId, 'must be a record id (UUID)'),
    toDb: (f, v) => ({ [f.column]: v }),
    fromDb: (f, row) => row[f.column] ?? null,
    ops: ['eq', 'ne', 'in', 'is_empty'],
    column: (f, sub) => (sub ? undefined : f.column),
    filterValue: (_f, text) => {
      if (!isId(text)) throw new Error('must be a record id (UUID)');
      return text;
    },
  },
  computed: {
    columns: (f, d) =>
      f.resultType === 'currency'
        ? [
            { name: `${f.column}_minor`, type: columnTypes(d).bigint },
            { name: `${f.column}_currency`, type: columnTypes(d).text },
          ]
        : single(f, columnTypes(d).bigint),
    input: () => z.never(),
    toDb: (f, v) => {
      if (f.resultType === 'currency') {
        const m = v as { minor: number; currency: string } | null;
        return {
          [`${f.column}_minor`]: m?.minor ?? null,
          [`${f.column}_currency`]: m?.currency ?? null,
        };
      }
      return { [f.column]: v };
    },
    fromDb: (f, row) => {
      if (f.resultType === 'currency') {
        return currencyFromDb(row[`${f.column}_minor`], row[`${f.column}_currency`]);
      }
      const v = row[f.column];
      if (v === null || v === undefined) return null;
      return f.resultType === 'decimal' ? scaledToDecimal(Number(v), f.scale ?? 2) : Number(v);
    },
    ops: ORDER_OPS,
    column: (f, sub) =>
      f.resultType === 'currency'
        ? sub === undefined
          ? `${f.column}_minor`
          : sub === 'currency'
            ? `${f.column}_currency`
            : undefined
        : sub
          ? undefined
          : f.column,
    filterValue: (f, text, _ctx, sub) => {
      if (sub === 'currency') return text;
      if (f.resultType === 'decimal') {
        const scaled = decimalToScaled(text, f.scale ?? 2);
        if (typeof scaled === 'string') throw new Error(scaled);
        return scaledNumber(scaled);
      }
      return intFilter(text);
    },
  },
};

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function fieldHandler(type: FieldType): FieldHandler {
  return handlers[type];
}

/** Every physical column of a field. */
export function fieldColumns(f: FieldMeta, dialect: DialectName) {
  return handlers[f.type].columns(f, dialect);
}
