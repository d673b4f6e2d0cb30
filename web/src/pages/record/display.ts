import type { FieldMeta } from '../../api/client';
import { formatValue } from '../../format';
import { formatDate, formatDateTime } from './time';

/**
 * A field value as text on the record page: like the table's `formatValue`, but a datetime is
 * shown in the user's time zone (not the browser's) and a date-only value as the same day
 * everywhere.
 */
export function displayValue(
  field: FieldMeta,
  value: unknown,
  locale: string,
  timeZone: string,
): string {
  if (value === null || value === undefined || value === '') return '';
  if (field.type === 'datetime') return formatDateTime(String(value), locale, timeZone);
  if (field.type === 'date') return formatDate(String(value), locale);
  return formatValue(field, value, locale);
}
