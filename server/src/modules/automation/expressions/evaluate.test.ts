import { describe, expect, test } from 'vitest';
import { ExpressionError } from './errors';
import { evaluate, isTruthy, MAX_STEPS, type Scope } from './evaluate';
import { parseExpression } from './syntax';

const deal = {
  id: '01900000-0000-7000-8000-000000000001',
  name: 'Boiler plant',
  amount: { amount_minor: 1_250_000, currency: 'EUR', amount: '12500.00' },
  quantity: '12.50',
  probability: 40,
  status: 'open',
  stage_id: '01900000-0000-7000-8000-000000000002',
  stage: { id: '01900000-0000-7000-8000-000000000002', name: 'Proposal', kind: 'open' },
  tags: ['industrial', 'export'],
  expected_close_date: '2026-04-30',
  closed_at: null,
  created_at: '2026-01-10T08:15:00.000Z',
  description: null,
};

const scope: Scope = {
  record: deal,
  trigger: { changes: { stage_id: ['a', 'b'] } },
  now: '2026-03-28T22:30:00.000Z',
};

const run = (source: string, s: Scope = scope) => evaluate(parseExpression(source), s);

function failure(source: string, s: Scope = scope): ExpressionError {
  try {
    run(source, s);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`"${source}" evaluated`);
}

describe('paths and literals', () => {
  test('reads fields, related records and money parts', () => {
    expect(run('record.name')).toBe('Boiler plant');
    expect(run('record.stage.name')).toBe('Proposal');
    expect(run('record.amount.currency')).toBe('EUR');
    expect(run('record.amount.amount')).toBe(12500);
    expect(run('trigger.changes.stage_id')).toEqual(['a', 'b']);
  });

  test('gives empty for a path that leads nowhere, without failing', () => {
    expect(run('record.missing')).toBeNull();
    expect(run('record.closed_at.year')).toBeNull();
    expect(run('nothing.at.all')).toBeNull();
  });

  test('a group of fields without an id is not a value, but can be tested for being there', () => {
    expect(run('trigger.changes == null')).toBe(false);
    expect(run('is_empty(trigger.changes)')).toBe(false);
    expect(run('trigger.changes and true')).toBe(true);
    expect(failure("trigger.changes == 'x'").description).toMatch(/not a value/);
    expect(failure("'' + trigger.changes").description).toMatch(/not a value/);
  });

  test('a related record stands for its id', () => {
    expect(run('record.stage')).toBe(deal.stage_id);
    expect(run('record.stage == record.stage_id')).toBe(true);
  });

  test('reads list items by number, from the end when negative', () => {
    expect(run('trigger.changes.stage_id[0]')).toBe('a');
    expect(run('trigger.changes.stage_id[-1]')).toBe('b');
    expect(run('record.tags[5]')).toBeNull();
    expect(run('record.closed_at[0]')).toBeNull();
    expect(failure('record.name[0]').description).toBe('only lists have items, not text');
    expect(failure("record.tags['0']").description).toMatch(/not a name/);
    expect(failure('record.tags[0.5]').description).toMatch(/whole number/);
  });

  test('never calls accessors in the data', () => {
    const data = { id: 'x' };
    Object.defineProperty(data, 'secret', {
      get() {
        throw new Error('accessor called');
      },
      enumerable: true,
    });
    expect(run('record.secret', { record: data })).toBeNull();
  });

  test('reads literals and lists', () => {
    expect(run("[1, 'two', true, null]")).toEqual([1, 'two', true, null]);
    expect(run('-2.50')).toBe(-2.5);
  });

  test('does not reach inherited properties of the data', () => {
    expect(run('record.toString')).toBeNull();
    expect(run('record.hasOwnProperty')).toBeNull();
    expect(run('record.name.length')).toBeNull();
    const polluted = JSON.parse('{"record": {"__proto__": {"secret": 1}}}') as Scope;
    expect(run('record.secret', polluted)).toBeNull();
  });

  test('does not reach into class instances or functions in the scope', () => {
    class Box {
      inner = 'hidden';
    }
    expect(run('x.inner', { x: new Box() })).toBeNull();
    expect(run('x.name', { x: () => 1 })).toBeNull();
  });
});

describe('comparisons and logic', () => {
  test('compares money with numbers and money exactly', () => {
    expect(run('record.amount > 12499.99')).toBe(true);
    expect(run('record.amount == 12500')).toBe(true);
    expect(run("record.amount >= money('12500.00', 'EUR')")).toBe(true);
    expect(run("record.amount == money(12500, 'USD')")).toBe(false);
    expect(failure("record.amount > money(1, 'USD')").message).toBe(
      'cannot compare EUR and USD at 14',
    );
  });

  test('compares decimal texts as numbers, not as text', () => {
    expect(run('record.quantity > 9')).toBe(true);
    expect(run("record.quantity > '9.00'")).toBe(true);
    expect(run('record.quantity == 12.5')).toBe(true);
    expect(run('0.1 + 0.2 == 0.3')).toBe(true);
  });

  test('compares dates and texts in order', () => {
    expect(run("record.expected_close_date < '2026-05-01'")).toBe(true);
    expect(run("record.name < 'C'")).toBe(true);
  });

  test('an ordering with an empty value is false; == null finds it', () => {
    expect(run("record.closed_at < '2030-01-01'")).toBe(false);
    expect(run("record.closed_at >= '2030-01-01'")).toBe(false);
    expect(run('record.closed_at == null')).toBe(true);
    expect(run('record.name != null')).toBe(true);
  });

  test('refuses to order values of different kinds', () => {
    expect(failure('record.name > 5').message).toBe(
      "cannot compare text 'Boiler plant' with number 5 at 12",
    );
    expect(failure('true < false').description).toMatch(/cannot compare/);
  });

  test('in looks into lists and texts', () => {
    expect(run("record.status in ['open', 'won']")).toBe(true);
    expect(run("'export' in record.tags")).toBe(true);
    expect(run("'plant' in record.name")).toBe(true);
    expect(run("'x' in record.description")).toBe(false);
    expect(failure('1 in 2').description).toMatch(/cannot look inside/);
  });

  test('and / or short-circuit and give true or false', () => {
    expect(run('record.closed_at and record.closed_at.x > 1')).toBe(false);
    expect(run("record.name or lowr('x')")).toBe(true);
    expect(run('not record.description')).toBe(true);
    expect(run('record.probability > 50 ? "likely" : "open"')).toBe('open');
    expect(run("if(record.probability >= 40, 'likely', lowr(1))")).toBe('likely');
  });
});

describe('arithmetic', () => {
  test('on exact decimals', () => {
    expect(run('record.probability + 10')).toBe(50);
    expect(run('record.quantity * 3')).toBe(37.5);
    expect(run('10 / 4')).toBe(2.5);
    expect(run('1 / 3')).toBe(0.333333333333);
    expect(run('7 % 3')).toBe(1);
    expect(run('12345678901234567890 + 1')).toBe('12345678901234567891');
    expect(failure('1 / 0').message).toBe('division by zero at 2');
  });

  test('on money keeps the currency and rounds to its minor unit, half to even', () => {
    expect(run('record.amount * 2')).toEqual({ amount: '25000.00', currency: 'EUR' });
    expect(run("money('0.05', 'EUR') / 2")).toMatchObject({ amount: '0.02' });
    expect(run("money('0.15', 'EUR') / 2")).toMatchObject({ amount: '0.08' });
    expect(run("money(100, 'JPY') / 3")).toEqual({ amount: '33', currency: 'JPY' });
    expect(run('record.amount / record.amount')).toBe(1);
    expect(run('record.amount - 500')).toMatchObject({ amount: '12000.00' });
    expect(failure("record.amount + money(1, 'USD')").description).toBe('cannot add EUR and USD');
    expect(failure('record.amount * record.amount').description).toMatch(/two amounts/);
    expect(failure('record.amount * 1000000000000').description).toBe('the amount is too large');
  });

  test('+ joins texts', () => {
    expect(run("'Deal: ' + record.name")).toBe('Deal: Boiler plant');
    expect(run("'Amount ' + record.amount")).toBe('Amount 12500.00 EUR');
    expect(run("'Closed ' + record.closed_at")).toBe('Closed ');
    expect(run("'1' + '2'")).toBe(3);
  });

  test('arithmetic with an empty number is empty', () => {
    expect(run('record.closed_at_minor + 1')).toBeNull();
    expect(run('-record.description')).toBeNull();
  });

  test('refuses arithmetic on text', () => {
    expect(failure('record.name - 1').message).toBe(
      "cannot subtract text 'Boiler plant' and number 1 at 12 (arithmetic works on numbers and money)",
    );
  });

  test('refuses numbers too large to be exact', () => {
    expect(failure('1' + '0'.repeat(41)).description).toMatch(/too large/);
    expect(failure('99999999999999999999 * 99999999999999999999 * 99999').description).toMatch(
      /too large/,
    );
  });
});

describe('functions', () => {
  test('text functions', () => {
    expect(run('lower(record.name)')).toBe('boiler plant');
    expect(run('upper(record.stage.name)')).toBe('PROPOSAL');
    expect(run("trim('  x ')")).toBe('x');
    expect(run('len(record.name)')).toBe(12);
    expect(run('len(record.tags)')).toBe(2);
    expect(run("contains(lower(record.name), 'boiler')")).toBe(true);
    expect(run("starts_with(record.name, 'Boil')")).toBe(true);
    expect(run("ends_with(record.name, 'x')")).toBe(false);
    expect(run("concat(1, '-', 2)")).toBe('1-2');
    expect(run('text(record.quantity)')).toBe('12.50');
    expect(run("number(' 7.25 ')")).toBe(7.25);
    expect(failure("number('seven')").description).toBe("text 'seven' is not a number");
  });

  test('is_empty and coalesce', () => {
    expect(run('is_empty(record.description)')).toBe(true);
    expect(run("is_empty('  ')")).toBe(true);
    expect(run('is_empty([])')).toBe(true);
    expect(run('is_empty(record.name)')).toBe(false);
    expect(run("coalesce(record.description, '', 'none')")).toBe('none');
  });

  test('number functions', () => {
    expect(run('round(2.5)')).toBe(3);
    expect(run('round(-2.5)')).toBe(-3);
    expect(run('round(1.005, 2)')).toBe(1.01);
    expect(run('round(record.amount / 7, 0)')).toMatchObject({ amount: '1786.00' });
    expect(run('abs(-4)')).toBe(4);
    expect(run('floor(-1.5)')).toBe(-2);
    expect(run('ceil(1.2)')).toBe(2);
    expect(run('max(3, 9, 4)')).toBe(9);
    expect(run('min([3, null, 1])')).toBe(1);
    expect(run('amount(record.amount)')).toBe(12500);
    expect(run('currency(record.amount)')).toBe('EUR');
  });

  test('dates come from the scope clock, never the machine clock', () => {
    expect(run('now()')).toBe('2026-03-28T22:30:00.000Z');
    expect(run('today()')).toBe('2026-03-28');
    expect(run('today()', { ...scope, time_zone: 'Europe/Kyiv' })).toBe('2026-03-29');
    expect(run("today('America/New_York')")).toBe('2026-03-28');
    expect(run('now()', { now: new Date('2026-01-02T03:04:05Z') })).toBe(
      '2026-01-02T03:04:05.000Z',
    );
    expect(failure('now()', { record: deal }).description).toBe(
      'the current time is not known here',
    );
  });

  test('date arithmetic', () => {
    expect(run('add_days(record.expected_close_date, 3)')).toBe('2026-05-03');
    expect(run("add_days('2026-01-31', -31)")).toBe('2025-12-31');
    expect(run("add_months('2026-01-31', 1)")).toBe('2026-02-28');
    expect(run('add_hours(record.created_at, 1.5)')).toBe('2026-01-10T09:45:00.000Z');
    expect(run('add_minutes(now(), 90)')).toBe('2026-03-29T00:00:00.000Z');
    expect(run('days_between(today(), record.expected_close_date)')).toBe(33);
    expect(run("hours_between(record.created_at, '2026-01-10T20:45:00Z')")).toBe(12.5);
    expect(run('minutes_between(now(), add_hours(now(), 2))')).toBe(120);
    expect(run('date(record.created_at)')).toBe('2026-01-10');
    expect(run("weekday('2026-03-30')")).toBe(1);
    expect(run('year(record.created_at)')).toBe(2026);
    expect(run('month(record.expected_close_date)')).toBe(4);
    expect(run('day(record.expected_close_date)')).toBe(30);
    expect(failure('add_hours(record.expected_close_date, 1)').description).toMatch(
      /needs a date and time/,
    );
    expect(failure('add_days(record.name, 1)').description).toMatch(/needs a date/);
    expect(failure('add_days(today(), 1.5)').description).toMatch(/whole number/);
  });

  test('add_days on a time keeps the wall-clock hour across a daylight-saving change', () => {
    const kyiv = { ...scope, time_zone: 'Europe/Kyiv' };
    // 28 March 2026 10:00 in Kyiv is 08:00Z (UTC+2); a day later it is summer time (UTC+3).
    expect(run("add_days('2026-03-28T08:00:00Z', 1)", kyiv)).toBe('2026-03-29T07:00:00.000Z');
    expect(run("add_hours('2026-03-28T08:00:00Z', 24)", kyiv)).toBe('2026-03-29T08:00:00.000Z');
  });

  test('an empty date gives an empty result', () => {
    expect(run('add_days(record.closed_at, 1)')).toBeNull();
    expect(run('days_between(record.closed_at, today())')).toBeNull();
  });

  test('an unknown function or wrong count of arguments fails where it is called', () => {
    expect(failure('1 + lowr(record.name)').message).toBe("unknown function 'lowr' at 4");
    expect(failure('lower(record.name, 1)').message).toBe('lower takes 1 argument, not 2 at 0');
    expect(failure('if(true, 1)').description).toBe('if takes 3 arguments, not 2');
    expect(failure('toString(1)').description).toMatch(/unknown function/);
  });

  test('refuses an invalid time zone in the scope', () => {
    expect(failure('today()', { ...scope, time_zone: 'Mars/Base' }).description).toMatch(
      /not a time zone/,
    );
  });
});

describe('limits and truth', () => {
  test('stops an evaluation past the step limit', () => {
    const big = { record: { items: Array.from({ length: MAX_STEPS + 10 }, (_, i) => i) } };
    expect(failure('-1 in record.items', big).description).toBe(
      `the expression takes more than ${MAX_STEPS} steps`,
    );
  });

  test('refuses to build an enormous text', () => {
    const long = { record: { text: 'x'.repeat(60_000) } };
    expect(failure('record.text + record.text', long).description).toMatch(/longer than/);
  });

  test('isTruthy treats empty, false, zero, empty text and list as false', () => {
    for (const v of [null, undefined, false, 0, '', []]) expect(isTruthy(v)).toBe(false);
    for (const v of [true, 1, 'x', [0], { a: 1 }, '0']) expect(isTruthy(v)).toBe(true);
    expect(isTruthy({ amount_minor: 0, currency: 'EUR', amount: '0.00' })).toBe(false);
  });
});
