import { DateTime, IANAZone } from 'luxon';

/**
 * Working time by a calendar: working hours per weekday in a time zone, minus holidays. Pure
 * functions over instants, so SLA due times and report figures come out the same everywhere.
 *
 * A shift is given in wall-clock time ("09:00-17:00") and converted to instants day by day with
 * the zone's rules, so a daylight-saving change moves the instants but a shift always lasts the
 * real time between its two wall-clock ends: a 22:00-06:00 night shift in Berlin is 7 hours on
 * the night the clocks go forward and 9 on the night they go back.
 */

/** Minutes after the day's midnight; an end past 1440 runs into the next day (a night shift). */
export interface Shift {
  start: number;
  end: number;
}

/** Shifts by ISO weekday, 1 = Monday ... 7 = Sunday. */
export type WeeklyHours = Record<number, Shift[]>;

export interface WorkingCalendar {
  /** IANA zone (`Europe/Berlin`). */
  timeZone: string;
  week: WeeklyHours;
  /** Dates ('YYYY-MM-DD', in the calendar's zone) on which no shift starts. */
  holidays: ReadonlySet<string>;
}

/** A calendar that cannot give working time (no working hours at all). */
export class CalendarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarError';
  }
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const MINUTES_PER_WEEK = 7 * 1440;

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Problems found in a weekly-hours text, each saying which entry and what is wrong. */
export type HoursProblem = string;

function parseTime(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

function parseDays(text: string): number[] | null {
  const days: number[] = [];
  for (const part of text.split(',')) {
    const [from, to, ...rest] = part.trim().split('-');
    if (rest.length) return null;
    const a = DAY_NAMES.indexOf(from as (typeof DAY_NAMES)[number]);
    const b = to === undefined ? a : DAY_NAMES.indexOf(to as (typeof DAY_NAMES)[number]);
    if (a < 0 || b < 0) return null;
    // `fri-mon` wraps over the weekend.
    for (let d = a; ; d = (d + 1) % 7) {
      days.push(d + 1);
      if (d === b) break;
    }
  }
  return days;
}

/**
 * Reads weekly working hours written like `mon-fri 09:00-17:00; sat 10:00-14:00`: entries
 * separated by `;` or new lines, each a set of days (`mon-fri`, `mon,wed`, `sat`) and one or
 * more time ranges separated by commas (`09:00-12:00, 13:00-17:00`). An end before its start
 * (`22:00-06:00`) runs past midnight into the next day. Shifts may not overlap.
 */
export function parseWorkingHours(
  text: string,
): { week: WeeklyHours; problems: [] } | { week: null; problems: HoursProblem[] } {
  const week: WeeklyHours = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
  const problems: HoursProblem[] = [];
  const entries = text
    .split(/[;\n]/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  if (entries.length === 0) problems.push('has no entries; write e.g. "mon-fri 09:00-17:00"');

  for (const [i, entry] of entries.entries()) {
    const where = `entry ${i + 1} ("${entry.slice(0, 40)}")`;
    const m = /^([a-z,\s-]+?)\s+(\d.*)$/.exec(entry);
    const days = m ? parseDays(m[1]!.replace(/\s+/g, '')) : null;
    if (!m || !days) {
      problems.push(
        `${where}: must start with days (mon, tue, wed, thu, fri, sat, sun, or a range like mon-fri) followed by times like 09:00-17:00`,
      );
      continue;
    }
    for (const range of m[2]!.split(',').map((r) => r.trim())) {
      const [a, b, ...rest] = range.split('-').map((t) => t.trim());
      const start = a === undefined ? null : parseTime(a);
      const end = b === undefined ? null : parseTime(b);
      if (rest.length || start === null || end === null || start === 1440) {
        problems.push(
          `${where}: "${range}" must be a time range like 09:00-17:00 (00:00 to 24:00)`,
        );
        continue;
      }
      if (start === end) {
        problems.push(`${where}: "${range}" starts and ends at the same time`);
        continue;
      }
      for (const d of days) week[d]!.push({ start, end: end > start ? end : end + 1440 });
    }
  }
  if (problems.length) return { week: null, problems };

  // Overlaps are checked on the week as a circle, so Sunday night meets Monday morning.
  const spans: [number, number, number][] = [];
  for (let d = 1; d <= 7; d++) {
    for (const s of week[d]!) spans.push([(d - 1) * 1440 + s.start, (d - 1) * 1440 + s.end, d]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 0; i < spans.length; i++) {
    const cur = spans[i]!;
    const next = i + 1 < spans.length ? spans[i + 1]! : spans[0]!;
    const nextStart = i + 1 < spans.length ? next[0] : next[0] + MINUTES_PER_WEEK;
    if (spans.length > 1 && cur[1] > nextStart) {
      problems.push(`shifts overlap on ${DAY_NAMES[cur[2] - 1]} and ${DAY_NAMES[next[2] - 1]}`);
      break;
    }
  }
  if (problems.length) return { week: null, problems };
  for (let d = 1; d <= 7; d++) week[d]!.sort((x, y) => x.start - y.start);
  return { week, problems: [] };
}

/** Minutes of work in a week as written (wall-clock, ignoring daylight-saving changes). */
export function weeklyMinutes(week: WeeklyHours): number {
  let total = 0;
  for (let d = 1; d <= 7; d++) for (const s of week[d] ?? []) total += s.end - s.start;
  return total;
}

interface Interval {
  start: number;
  end: number;
}

function wallClock(day: DateTime, minutes: number, zone: string): number {
  const date = minutes >= 1440 ? day.plus({ days: 1 }) : day;
  const m = minutes % 1440;
  const dt = DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(m / 60), minute: m % 60 },
    { zone },
  );
  // A time the clocks skip is moved past the gap (luxon's rule); one they repeat is read as its
  // first occurrence, when the clock first shows it.
  return Math.min(...dt.getPossibleOffsets().map((d) => d.toMillis()), dt.toMillis());
}

/**
 * The calendar's working intervals (epoch milliseconds) that end after `from`, in order. Ends
 * with a CalendarError rather than looping when the calendar has no working time at all.
 */
function* workingIntervals(cal: WorkingCalendar, from: number): Generator<Interval> {
  if (!isTimeZone(cal.timeZone)) throw new CalendarError(`unknown time zone "${cal.timeZone}"`);
  if (weeklyMinutes(cal.week) <= 0) throw new CalendarError('the calendar has no working hours');
  // The longest run of days without a shift, should every holiday fall on a working day of its
  // own week (a calendar working Sundays only, with Sundays off in a row).
  const idleLimit = 7 * (cal.holidays.size + 1) + 1;
  // A night shift that began the day before may still be running at `from`.
  let day = DateTime.fromMillis(from, { zone: cal.timeZone }).startOf('day').minus({ days: 1 });
  let lastEnd = -Infinity;
  let idle = 0;
  for (;;) {
    const shifts = cal.holidays.has(day.toISODate()!) ? [] : (cal.week[day.weekday] ?? []);
    for (const s of shifts) {
      // Clipping at the previous end keeps an hour repeated by a clock change from counting twice.
      const start = Math.max(wallClock(day, s.start, cal.timeZone), lastEnd);
      const end = wallClock(day, s.end, cal.timeZone);
      // A shift inside the hour the clocks skip has no time that day.
      if (end <= start) continue;
      lastEnd = end;
      if (end > from) yield { start, end };
    }
    idle = shifts.length > 0 ? 0 : idle + 1;
    if (idle > idleLimit) throw new CalendarError('the calendar has no working time left');
    day = day.plus({ days: 1 }).startOf('day');
  }
}

/**
 * The instant reached after `minutes` of working time from `start`: time outside working hours
 * and on holidays does not count. Zero minutes is `start` itself.
 */
export function addWorkingTime(cal: WorkingCalendar, start: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new RangeError('minutes must be a finite number, zero or more');
  const t0 = start.getTime();
  let left = Math.round(minutes * 60_000);
  if (left === 0) return new Date(t0);
  for (const iv of workingIntervals(cal, t0)) {
    const from = Math.max(iv.start, t0);
    const len = iv.end - from;
    if (len >= left) return new Date(from + left);
    left -= len;
  }
  throw new CalendarError('the calendar has no working time left');
}

/** Working minutes between two instants (negative when b is before a); may be fractional. */
export function workingMinutesBetween(cal: WorkingCalendar, a: Date, b: Date): number {
  const ta = a.getTime();
  const tb = b.getTime();
  if (tb < ta) return -workingMinutesBetween(cal, b, a);
  if (tb === ta) return 0;
  let ms = 0;
  for (const iv of workingIntervals(cal, ta)) {
    if (iv.start >= tb) break;
    ms += Math.min(iv.end, tb) - Math.max(iv.start, ta);
  }
  return ms / 60_000;
}
