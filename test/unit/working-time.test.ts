import { describe, expect, test } from 'vitest';
import {
  addWorkingTime,
  CalendarError,
  parseWorkingHours,
  workingMinutesBetween,
  type WorkingCalendar,
} from '../../server/src/modules/sla/working-time';

function calendar(hours: string, timeZone: string, holidays: string[] = []): WorkingCalendar {
  const parsed = parseWorkingHours(hours);
  if (!parsed.week) throw new Error(parsed.problems.join('; '));
  return { timeZone, week: parsed.week, holidays: new Set(holidays) };
}

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('weekly working hours', () => {
  test('reads days, ranges, several ranges a day and night shifts', () => {
    const r = parseWorkingHours(
      'Mon-Fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00\nsun 22:00-06:00',
    );
    expect(r.problems).toEqual([]);
    expect(r.week![1]).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(r.week![6]).toEqual([{ start: 600, end: 840 }]);
    expect(r.week![7]).toEqual([{ start: 1320, end: 1800 }]);
  });

  test('a day range may wrap over the weekend', () => {
    const r = parseWorkingHours('fri-mon 08:00-24:00');
    expect(
      Object.entries(r.week!)
        .filter(([, s]) => s.length)
        .map(([d]) => d),
    ).toEqual(['1', '5', '6', '7']);
  });

  test('names each bad entry and what is wrong with it', () => {
    const r = parseWorkingHours('mon-fri 9-17; xyz 09:00-10:00; sat 10:00-10:00; sun 25:00-26:00');
    expect(r.week).toBeNull();
    expect(r.problems).toHaveLength(4);
    expect(r.problems[0]).toContain('entry 1');
    expect(r.problems[0]).toContain('"9-17"');
    expect(r.problems[1]).toContain('entry 2');
    expect(r.problems[2]).toContain('starts and ends at the same time');
    expect(r.problems[3]).toContain('entry 4');
  });

  test('refuses overlapping shifts, Sunday night into Monday included', () => {
    expect(parseWorkingHours('mon 09:00-17:00; mon 16:00-18:00').problems[0]).toContain('overlap');
    expect(parseWorkingHours('sun 20:00-08:00; mon 07:00-12:00').problems[0]).toContain('overlap');
    expect(parseWorkingHours('mon 09:00-17:00; mon 17:00-18:00').problems).toEqual([]);
  });

  test('refuses an empty text', () => {
    expect(parseWorkingHours(' ; ').problems[0]).toContain('no entries');
  });
});

describe('working time in UTC, Monday to Friday 09:00-17:00', () => {
  const cal = calendar('mon-fri 09:00-17:00', 'UTC');

  test('a first response of 15 minutes from Friday 16:50 is due Monday 09:05', () => {
    // 2026-03-06 is a Friday.
    expect(iso(addWorkingTime(cal, at('2026-03-06T16:50:00Z'), 15))).toBe(
      '2026-03-09T09:05:00.000Z',
    );
  });

  test('time outside working hours starts counting at the next opening', () => {
    expect(iso(addWorkingTime(cal, at('2026-03-07T12:00:00Z'), 60))).toBe(
      '2026-03-09T10:00:00.000Z',
    );
    expect(iso(addWorkingTime(cal, at('2026-03-09T06:00:00Z'), 30))).toBe(
      '2026-03-09T09:30:00.000Z',
    );
  });

  test('a target that ends exactly at closing time is due at closing time, not next morning', () => {
    expect(iso(addWorkingTime(cal, at('2026-03-06T16:50:00Z'), 10))).toBe(
      '2026-03-06T17:00:00.000Z',
    );
  });

  test('several days of working time skip nights and the weekend', () => {
    // 3 working days (3 × 480 min) from Thursday 10:00 end on Tuesday 10:00.
    expect(iso(addWorkingTime(cal, at('2026-03-05T10:00:00Z'), 3 * 480))).toBe(
      '2026-03-10T10:00:00.000Z',
    );
  });

  test('zero minutes is the start itself', () => {
    expect(iso(addWorkingTime(cal, at('2026-03-07T12:00:00Z'), 0))).toBe(
      '2026-03-07T12:00:00.000Z',
    );
  });

  test('counts working minutes between two instants, negative when reversed', () => {
    const a = at('2026-03-06T16:50:00Z');
    const b = at('2026-03-09T09:05:00Z');
    expect(workingMinutesBetween(cal, a, b)).toBe(15);
    expect(workingMinutesBetween(cal, b, a)).toBe(-15);
    expect(workingMinutesBetween(cal, at('2026-03-07T00:00:00Z'), at('2026-03-08T23:59:00Z'))).toBe(
      0,
    );
    expect(workingMinutesBetween(cal, a, a)).toBe(0);
  });

  test('adding and measuring agree', () => {
    const start = at('2026-03-04T13:17:00Z');
    for (const m of [1, 59, 480, 1000, 5000]) {
      expect(workingMinutesBetween(cal, start, addWorkingTime(cal, start, m))).toBe(m);
    }
  });

  test('holidays are skipped', () => {
    const withHoliday = calendar('mon-fri 09:00-17:00', 'UTC', ['2026-03-09']);
    expect(iso(addWorkingTime(withHoliday, at('2026-03-06T16:50:00Z'), 15))).toBe(
      '2026-03-10T09:05:00.000Z',
    );
    expect(
      workingMinutesBetween(withHoliday, at('2026-03-06T00:00:00Z'), at('2026-03-11T00:00:00Z')),
    ).toBe(2 * 480);
  });
});

describe('working time across daylight-saving changes', () => {
  test('Europe/Berlin office hours keep their wall-clock times when the clocks go forward', () => {
    const cal = calendar('mon-fri 09:00-17:00', 'Europe/Berlin');
    // Friday 2026-03-27 16:00 CET (15:00Z) + 2 h: 1 h on Friday, 1 h on Monday from 09:00 CEST.
    expect(iso(addWorkingTime(cal, at('2026-03-27T15:00:00Z'), 120))).toBe(
      '2026-03-30T08:00:00.000Z',
    );
  });

  test('Europe/Berlin: a day-long shift on 2026-03-29 has 23 hours, on 2026-10-25 25 hours', () => {
    const cal = calendar('sun 00:00-24:00', 'Europe/Berlin');
    expect(workingMinutesBetween(cal, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(
      23 * 60,
    );
    expect(workingMinutesBetween(cal, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(
      25 * 60,
    );
    // 23 hours of that short Sunday end at its midnight (22:00Z, CEST).
    expect(iso(addWorkingTime(cal, at('2026-03-28T12:00:00Z'), 23 * 60))).toBe(
      '2026-03-29T22:00:00.000Z',
    );
  });

  test('Europe/Berlin: a night shift across the change counts the real hours', () => {
    const cal = calendar('sat 22:00-06:00', 'Europe/Berlin');
    // 22:00 CET (21:00Z) to 06:00 CEST (04:00Z): 7 hours.
    expect(workingMinutesBetween(cal, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(
      7 * 60,
    );
    // 22:00 CEST (20:00Z) to 06:00 CET (05:00Z): 9 hours.
    expect(workingMinutesBetween(cal, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(
      9 * 60,
    );
    expect(iso(addWorkingTime(cal, at('2026-10-24T12:00:00Z'), 9 * 60))).toBe(
      '2026-10-25T05:00:00.000Z',
    );
  });

  test('a shift in the hour the clocks skip has no working time; one in the repeated hour has two', () => {
    const cal = calendar('sun 02:00-03:00', 'Europe/Berlin');
    expect(workingMinutesBetween(cal, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(
      0,
    );
    expect(workingMinutesBetween(cal, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(
      120,
    );
  });

  test('a night shift begun the day before is counted from the start instant', () => {
    const cal = calendar('mon-fri 22:00-06:00', 'UTC');
    // Tuesday 03:00 is inside Monday's night shift: 3 hours left of it, then Tuesday 22:00.
    expect(iso(addWorkingTime(cal, at('2026-03-03T03:00:00Z'), 240))).toBe(
      '2026-03-03T23:00:00.000Z',
    );
  });

  test('America/New_York office hours move in UTC with the clocks (2026-03-08, 2026-11-01)', () => {
    const cal = calendar('mon-fri 09:00-17:00', 'America/New_York');
    // Friday 2026-03-06 16:30 EST (21:30Z) + 60 min: 30 min, then Monday 09:30 EDT (13:30Z).
    expect(iso(addWorkingTime(cal, at('2026-03-06T21:30:00Z'), 60))).toBe(
      '2026-03-09T13:30:00.000Z',
    );
    // Friday 2026-10-30 16:30 EDT (20:30Z) + 60 min: Monday 09:30 EST (14:30Z).
    expect(iso(addWorkingTime(cal, at('2026-10-30T20:30:00Z'), 60))).toBe(
      '2026-11-02T14:30:00.000Z',
    );
    // A whole week still has 5 × 8 working hours across the change.
    expect(workingMinutesBetween(cal, at('2026-03-07T00:00:00Z'), at('2026-03-14T00:00:00Z'))).toBe(
      40 * 60,
    );
  });
});

describe('calendars that cannot give working time', () => {
  test('no working hours at all is a clear error, not an endless loop', () => {
    const empty: WorkingCalendar = { timeZone: 'UTC', week: {}, holidays: new Set() };
    expect(() => addWorkingTime(empty, at('2026-03-06T10:00:00Z'), 15)).toThrow(CalendarError);
    expect(() => addWorkingTime(empty, at('2026-03-06T10:00:00Z'), 15)).toThrow('no working hours');
    expect(() =>
      workingMinutesBetween(empty, at('2026-03-06T10:00:00Z'), at('2026-03-07T10:00:00Z')),
    ).toThrow(CalendarError);
  });

  test('a long run of holidays is crossed, however long', () => {
    const days: string[] = [];
    for (let d = new Date('2026-03-09T00:00:00Z'); d < new Date('2026-06-01T00:00:00Z');) {
      days.push(d.toISOString().slice(0, 10));
      d = new Date(d.getTime() + 86_400_000);
    }
    const cal = calendar('mon-fri 09:00-17:00', 'UTC', days);
    expect(iso(addWorkingTime(cal, at('2026-03-06T16:50:00Z'), 15))).toBe(
      '2026-06-01T09:05:00.000Z',
    );
  });

  test('holidays on the only working day, weeks in a row, are crossed too', () => {
    const cal = calendar('sun 09:00-17:00', 'UTC', ['2026-03-08', '2026-03-15', '2026-03-22']);
    expect(iso(addWorkingTime(cal, at('2026-03-06T12:00:00Z'), 60))).toBe(
      '2026-03-29T10:00:00.000Z',
    );
  });

  test('an unknown time zone is a clear error', () => {
    const cal = calendar('mon-fri 09:00-17:00', 'UTC');
    expect(() => addWorkingTime({ ...cal, timeZone: 'Mars/Olympus' }, new Date(), 5)).toThrow(
      'unknown time zone',
    );
  });
});
