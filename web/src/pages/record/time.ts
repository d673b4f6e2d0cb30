/**
 * Dates and times as a person sees them. A date-only value (`2026-03-31`) is a calendar day and
 * is never turned into an instant, so no time zone can move it. A datetime is an instant (UTC in
 * the API) shown and typed as the wall-clock time of the user's own time zone, which may differ
 * from the browser's.
 */

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function wallClock(ms: number, timeZone: string) {
  let f = partsFormat.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormat.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** How far the time zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as the value of an `<input type="datetime-local">` in a time zone. */
export function toZonedInput(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * The instant (ISO, UTC) that a wall-clock time typed in a time zone means. A time that a
 * clock change skips is read with the offset before the change (02:30 becomes 03:30 when the
 * clock jumps from 02:00 to 03:00); one it repeats is the earlier of the two.
 */
export function fromZonedInput(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const day = 86_400_000;
  // The zone's offsets around that time (a clock change is never closer than a day to another).
  const before = offsetAt(wall - day, timeZone);
  const offsets = new Set([before, offsetAt(wall, timeZone), offsetAt(wall + day, timeZone)]);
  const readings = [...offsets]
    .map((off) => wall - off)
    .filter((ms) => offsetAt(ms, timeZone) === wall - ms);
  // None is when the clock skips the time: read it with the offset before the change.
  const ms = readings.length ? Math.min(...readings) : wall - before;
  return new Date(ms).toISOString();
}

/** A datetime for a person: date and time in their locale and time zone. */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(ms));
}

/** A date-only value (`YYYY-MM-DD`) for a person, as the same calendar day everywhere. */
export function formatDate(value: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))),
  );
}

/** Today's date in a time zone, as `YYYY-MM-DD`. */
export function todayIn(timeZone: string, now = Date.now()): string {
  const w = wallClock(now, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Now as a datetime-local input value in a time zone. */
export function nowInput(timeZone: string, now = Date.now()): string {
  return toZonedInput(new Date(now).toISOString(), timeZone);
}
