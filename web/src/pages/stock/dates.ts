import { fromZonedInput } from '../record/time';

/** The day after a `YYYY-MM-DD` date. */
function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * The instant a day ends in a time zone (the last millisecond before the next midnight there),
 * so that "the value at 31 March" means the end of 31 March where the user is.
 */
export function endOfDay(date: string, timeZone: string): string | null {
  const midnight = fromZonedInput(`${nextDay(date)}T00:00`, timeZone);
  return midnight === null ? null : new Date(Date.parse(midnight) - 1).toISOString();
}
