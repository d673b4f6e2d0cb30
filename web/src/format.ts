import type { FieldMeta } from './api/client';

/** A field value as text for a person, in their locale; dates without a time never shift. */
export function formatValue(field: FieldMeta, value: unknown, locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'currency':
    case 'computed': {
      if (typeof value === 'object') {
        const m = value as { amount: string; currency: string };
        return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency }).format(
          Number(m.amount),
        );
      }
      return new Intl.NumberFormat(locale).format(Number(value));
    }
    case 'integer':
      return new Intl.NumberFormat(locale).format(Number(value));
    case 'boolean':
      return value ? '✓' : '—';
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number);
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(Date.UTC(y, m - 1, d)),
      );
    }
    case 'datetime':
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(String(value)),
      );
    case 'select':
      return field.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'multi_select':
      return (value as string[])
        .map((v) => field.options?.find((o) => o.value === v)?.label ?? v)
        .join(', ');
    default:
      return String(value);
  }
}

/** An amount in minor units (cents) of a currency, for a person. */
export function formatMinor(minor: number, currency: string, locale: string): string {
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
  return nf.format(minor / 10 ** digits);
}
