import { normaliseDecimal } from '../record/numbers';

/**
 * Quantities and amounts of stock as the API gives them: exact decimal strings ("12.500"). They
 * are compared, summed and shown without ever becoming floating-point numbers.
 */

export interface Money {
  amount: string;
  currency: string;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A decimal string as an integer count of 10^-scale units; null when it is not a decimal. */
export function toScaled(text: string, scale = 3): bigint | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const [, sign, whole, frac = ''] = m;
  if (frac.length > scale) return null;
  const v = BigInt(whole + frac.padEnd(scale, '0'));
  return sign ? -v : v;
}

/** An integer count of 10^-scale units as the exact decimal string. */
export function fromScaled(value: bigint, scale = 3): string {
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(scale + 1, '0');
  const whole = scale ? digits.slice(0, -scale) : digits;
  return `${neg ? '-' : ''}${whole}${scale ? `.${digits.slice(-scale)}` : ''}`;
}

/** Orders two decimal strings by value (any number of places). */
export function compareDecimal(a: string, b: string): number {
  const places = (s: string) => (s.split('.')[1] ?? '').length;
  const scale = Math.max(places(a), places(b));
  const x = toScaled(a, scale) ?? 0n;
  const y = toScaled(b, scale) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether a decimal string is zero. */
export function isZero(text: string): boolean {
  return /^-?0*(\.0*)?$/.test(text.trim());
}

type Numeric = `${number}`;

const quantityFormats = new Map<string, Intl.NumberFormat>();

/** A quantity for a person: in their locale, with up to 3 decimals ("1 250,5"). */
export function formatQuantity(text: string, locale: string, signed = false): string {
  const key = `${locale}|${signed}`;
  let f = quantityFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      maximumFractionDigits: 3,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    quantityFormats.set(key, f);
  }
  // A string is formatted exactly as written (Intl.NumberFormat v3), never through a float.
  return f.format(text as Numeric);
}

/** An amount of money for a person, exactly, in their locale. */
export function formatMoney(money: Money | null | undefined, locale: string): string {
  if (!money) return '—';
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amount as Numeric,
  );
}

/** A number as typed by a person ("1 250,5", "−2") as the API's decimal text ("1250.5", "-2"). */
export function typedDecimal(text: string): string {
  return normaliseDecimal(text.trim().replace(/^[\u2212\u2013]/, '-'));
}
