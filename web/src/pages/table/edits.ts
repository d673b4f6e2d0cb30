/**
 * What editing in the table needs besides its screens: values between the API and the inputs,
 * whether a record already holds a value, and sending many updates in parts of at most 1,000.
 * No DOM and no runtime import from the rest of the app: the unit tests load this file in Node.
 */
import { majorToMinor, minorDigits } from './filters';

/** What these helpers read of a field's metadata. */
export interface EditField {
  name: string;
  type: string;
}

/**
 * Whether the signed-in user may change this field of this record in place: not a bookkeeping,
 * read-only or computed field, one the metadata says they may write (`writable`), on an object
 * whose records they may update (`access.update`), and, where they may change only their own
 * records, one they own. For a team scope the server decides, and its answer shows at the cell.
 */
export function canEditCell(
  object: { access?: { update?: string } },
  field: EditField & { is_system?: boolean; read_only?: boolean; writable?: boolean },
  record: Record<string, unknown>,
  meId: string | undefined,
): boolean {
  if (field.is_system || field.read_only || field.type === 'computed') return false;
  if (field.writable === false) return false;
  const update = object.access?.update;
  if (update === 'none') return false;
  if (update === 'own' && (!meId || record.owner_id !== meId)) return false;
  return true;
}

/** The batch endpoint's limit: at most this many operations in one all-or-none request. */
export const MAX_BATCH = 1000;

/** A field's value as the record form's inputs take it (money as amount and currency). */
export function inputValue(field: EditField, v: unknown): unknown {
  if (field.type === 'currency' && v && typeof v === 'object') {
    const m = v as { amount: string; currency: string };
    return { amount: m.amount, currency: m.currency };
  }
  return v ?? null;
}

/** An input's value as the API takes it: an emptied input clears the field. */
export function apiValue(v: unknown): unknown {
  if (v === '' || v === undefined) return null;
  if (Array.isArray(v) && v.length === 0) return null;
  return v;
}

/** Whether a record's value (as the API returned it) already is the new one. */
export function sameValue(field: EditField, current: unknown, next: unknown): boolean {
  const a = apiValue(inputValue(field, current));
  const b = apiValue(next);
  if (a === null || b === null) return a === b;
  if (field.type === 'currency') {
    const x = a as { amount: string; currency: string };
    const y = b as { amount: string; currency: string };
    if (x.currency !== y.currency) return false;
    const digits = minorDigits(x.currency);
    const mx = majorToMinor(String(x.amount), digits);
    return mx !== null && mx === majorToMinor(String(y.amount), digits);
  }
  if (field.type === 'decimal') return Number(a) === Number(b);
  if (field.type === 'multi_select')
    return (
      JSON.stringify([...(a as string[])].sort()) === JSON.stringify([...(b as string[])].sort())
    );
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface PartsOutcome<T, R> {
  /** Operations saved, in the parts that were saved. */
  done: number;
  total: number;
  /** Parts saved (always the first ones). */
  parts: number;
  saved: R[];
  /** When a part failed: its number (1-based), the error, and the operation it names, if any. */
  failed?: { part: number; error: unknown; op?: T };
  /** Operations after the failed part, never sent. */
  left: number;
}

/**
 * Sends operations in parts of at most `size`, one part after another, each all or none; stops
 * at the first part that fails, so what was saved is exactly the parts before it. `failedIndex`
 * reads from an error which operation of its part failed.
 */
export async function sendInParts<T, R>(
  ops: T[],
  send: (part: T[]) => Promise<R[]>,
  failedIndex: (error: unknown) => number | undefined,
  size = MAX_BATCH,
): Promise<PartsOutcome<T, R>> {
  const out: PartsOutcome<T, R> = { done: 0, total: ops.length, parts: 0, saved: [], left: 0 };
  for (let i = 0; i < ops.length; i += size) {
    const part = ops.slice(i, i + size);
    try {
      out.saved.push(...(await send(part)));
      out.done += part.length;
      out.parts += 1;
    } catch (error) {
      const index = failedIndex(error);
      out.failed = { part: i / size + 1, error, op: index === undefined ? undefined : part[index] };
      out.left = ops.length - i - part.length;
      break;
    }
  }
  return out;
}
