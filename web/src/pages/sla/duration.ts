import type { TFunction } from 'i18next';

/** Working minutes as hours and minutes ("2 h 05 min", "15 min"), always positive. */
export function formatWorkingMinutes(minutes: number, t: TFunction<'sla'>): string {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return t('minutes', { minutes: m });
  return t('hours', { hours: Math.floor(m / 60), minutes: String(m % 60).padStart(2, '0') });
}
