import { createInstance } from 'i18next';
import { describe, expect, test } from 'vitest';
import * as record from '../../web/src/i18n/record';
import * as stock from '../../web/src/i18n/stock';
import { endOfDay } from '../../web/src/pages/stock/dates';
import { stockMessage } from '../../web/src/pages/stock/messages';
import {
  compareDecimal,
  formatMoney,
  formatQuantity,
  fromScaled,
  isZero,
  toScaled,
  typedDecimal,
} from '../../web/src/pages/stock/quantities';

/** The stock screens' numbers, days and messages, without a browser. */
describe('stock quantities on screen', () => {
  test('decimal strings are read, summed and compared exactly', () => {
    expect(toScaled('12.5')).toBe(12_500n);
    expect(toScaled('-0.001')).toBe(-1n);
    expect(toScaled('1.0005')).toBeNull();
    expect(toScaled('abc')).toBeNull();
    expect(fromScaled(12_500n)).toBe('12.500');
    expect(fromScaled(-1n)).toBe('-0.001');
    expect(fromScaled(0n)).toBe('0.000');
    // 0.1 + 0.2 in floating point is not 0.3; in thousandths it is.
    expect(fromScaled((toScaled('0.1') ?? 0n) + (toScaled('0.2') ?? 0n))).toBe('0.300');
    expect(compareDecimal('999999999999.999', '999999999999.998')).toBe(1);
    expect(compareDecimal('2', '10.000')).toBe(-1);
    expect(compareDecimal('-1.5', '-1.50')).toBe(0);
    expect(['10', '9.5', '100.25', '-3'].sort(compareDecimal)).toEqual([
      '-3',
      '9.5',
      '10',
      '100.25',
    ]);
    expect(isZero('0.000')).toBe(true);
    expect(isZero('-0.000')).toBe(true);
    expect(isZero('0.001')).toBe(false);
  });

  test('quantities and money show in the locale with every digit, up to 3 decimals', () => {
    // More digits than a float holds: shown exactly as the server sent them.
    expect(formatQuantity('999999999999999.999', 'en-US')).toBe('999,999,999,999,999.999');
    expect(formatQuantity('1250.500', 'en-US')).toBe('1,250.5');
    expect(formatQuantity('1250.500', 'uk-UA').replace(/\s/g, ' ')).toBe('1 250,5');
    expect(formatQuantity('12.000', 'en-US', true)).toBe('+12');
    expect(formatQuantity('-12.125', 'en-US', true)).toBe('-12.125');
    expect(formatQuantity('0.000', 'en-US', true)).toBe('0');
    expect(formatMoney({ amount: '90071992547409.93', currency: 'EUR' }, 'en-US')).toBe(
      '€90,071,992,547,409.93',
    );
    expect(formatMoney(null, 'en-US')).toBe('—');
  });

  test('a typed quantity becomes the decimal the API takes', () => {
    expect(typedDecimal('1 250,5')).toBe('1250.5');
    expect(typedDecimal('1,250.5')).toBe('1250.5');
    expect(typedDecimal('−2')).toBe('-2');
    expect(typedDecimal(' -0,25 ')).toBe('-0.25');
  });

  test("a day's end is the user's midnight, not UTC's", () => {
    expect(endOfDay('2026-03-01', 'UTC')).toBe('2026-03-01T23:59:59.999Z');
    expect(endOfDay('2026-03-01', 'Europe/Kyiv')).toBe('2026-03-01T21:59:59.999Z');
    expect(endOfDay('2026-03-01', 'America/New_York')).toBe('2026-03-02T04:59:59.999Z');
    // The day summer time starts in Kyiv ends at +03:00.
    expect(endOfDay('2026-03-29', 'Europe/Kyiv')).toBe('2026-03-29T20:59:59.999Z');
  });
});

describe("the server's stock messages in the user's language", () => {
  const i18n = createInstance();
  void i18n.init({
    resources: {
      en: { stock: stock.en, record: record.en },
      uk: { stock: stock.uk, record: record.uk },
    },
    lng: 'uk',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const t = i18n.getFixedT('uk', 'stock');
  const tRecord = i18n.getFixedT('uk', 'record');
  const say = (message: string) =>
    stockMessage(t as never, tRecord as never, message, 'uk-UA').replace(/\s/g, ' ');

  test('shortages name the quantities in the local format', () => {
    expect(say('only 12.500 on hand; 1500.000 needed')).toBe(
      'у наявності лише 12,5; потрібно 1 500',
    );
    expect(
      say('only 2.000 available (5.000 on hand, 3.000 reserved for other documents); 4.000 needed'),
    ).toBe('доступно лише 2 (5 у наявності, 3 зарезервовано для інших документів); потрібно 4');
  });

  test('field messages are translated; an unknown one stays as the server wrote it', () => {
    expect(say('must not be zero')).toBe('не може бути нулем');
    expect(say("must be EUR, the currency this product's stock is valued in")).toBe(
      'має бути EUR: у цій валюті оцінюються запаси товару',
    );
    expect(say('has more than 3 decimal places')).toBe('забагато знаків після коми (не більше 3)');
    expect(say('must be a decimal number like 12.50')).toBe(record.uk.errDecimal);
    expect(say('something new')).toBe('something new');
  });
});
