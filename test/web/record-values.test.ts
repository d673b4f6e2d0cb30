import { describe, expect, test } from 'vitest';
import {
  formatDate,
  formatDateTime,
  fromZonedInput,
  toZonedInput,
} from '../../web/src/pages/record/time';
import { normaliseDecimal } from '../../web/src/pages/record/numbers';

/** The record page's dates and times: the user's time zone, not the machine's. */
describe('dates and times on the record page', () => {
  test('a date-only value is the same day in every time zone', () => {
    expect(formatDate('1990-02-28', 'en-US')).toBe('Feb 28, 1990');
    expect(formatDate('2026-01-01', 'uk-UA')).toBe('1 січ. 2026 р.');
  });

  test('an instant is shown and typed as the wall clock of the given zone', () => {
    const iso = '2026-03-02T23:30:00.000Z';
    expect(toZonedInput(iso, 'UTC')).toBe('2026-03-02T23:30');
    expect(toZonedInput(iso, 'Asia/Tokyo')).toBe('2026-03-03T08:30');
    expect(toZonedInput(iso, 'Pacific/Honolulu')).toBe('2026-03-02T13:30');
    expect(fromZonedInput('2026-03-03T08:30', 'Asia/Tokyo')).toBe(iso);
    expect(fromZonedInput('2026-03-02T13:30', 'Pacific/Honolulu')).toBe(iso);
    expect(formatDateTime(iso, 'en-US', 'Asia/Tokyo')).toBe('Mar 3, 2026, 8:30 AM');
  });

  test('round trips across daylight saving changes', () => {
    // Europe/Kyiv: summer time from 2026-03-29 03:00 (+02:00 to +03:00).
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Kyiv')).toBe('2026-03-29T00:30:00.000Z');
    expect(fromZonedInput('2026-03-29T04:30', 'Europe/Kyiv')).toBe('2026-03-29T01:30:00.000Z');
    // A time the clock skips is read with the offset before the change.
    expect(fromZonedInput('2026-03-29T03:30', 'Europe/Kyiv')).toBe('2026-03-29T01:30:00.000Z');
    // A time the clock repeats (back from +03:00 to +02:00 on 2026-10-25 04:00) is the earlier.
    expect(fromZonedInput('2026-10-25T03:30', 'Europe/Kyiv')).toBe('2026-10-25T00:30:00.000Z');
    for (const zone of ['America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      for (const iso of ['2026-01-15T12:00:00.000Z', '2026-07-15T03:45:00.000Z']) {
        expect(fromZonedInput(toZonedInput(iso, zone), zone)).toBe(iso);
      }
    }
  });

  test('nonsense stays harmless', () => {
    expect(toZonedInput('not a date', 'UTC')).toBe('');
    expect(fromZonedInput('31.12.2026', 'UTC')).toBeNull();
    expect(formatDate('2026-13', 'en-US')).toBe('2026-13');
  });
});

describe('numbers typed on the record page', () => {
  test('read with a comma or a point as the decimal mark, spaces and the other mark grouping', () => {
    expect(normaliseDecimal('2500,50')).toBe('2500.50');
    expect(normaliseDecimal('2 500,50')).toBe('2500.50');
    expect(normaliseDecimal('2,500.50')).toBe('2500.50');
    expect(normaliseDecimal('2.500,50')).toBe('2500.50');
    expect(normaliseDecimal('-12.5')).toBe('-12.5');
    expect(normaliseDecimal('1,000,000')).toBe('1000000');
    expect(normaliseDecimal('1.000.000')).toBe('1000000');
  });
});
