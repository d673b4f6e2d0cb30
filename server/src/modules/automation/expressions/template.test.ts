import { describe, expect, test } from 'vitest';
import { ExpressionError } from './errors';
import { MAX_TEMPLATE_LENGTH, parseTemplate, renderTemplate, templateValue } from './template';

const scope = {
  record: {
    id: '01900000-0000-7000-8000-000000000001',
    name: 'Boiler plant',
    amount: { amount_minor: 1_250_000, currency: 'EUR', amount: '12500.00' },
    quantity: '12.50',
    probability: 40,
    expected_close_date: '2026-04-30',
    closed_at: null,
    won: true,
    tags: ['industrial', 'export'],
  },
  now: '2026-03-28T22:30:00.000Z',
};

function failure(source: string): ExpressionError {
  try {
    parseTemplate(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`"${source}" parsed`);
}

describe('templates', () => {
  test('keeps text outside braces as written and fills in each part', () => {
    const t = parseTemplate(
      'Deal {{ record.name }} ({{record.probability}}%) closes {{ record.expected_close_date }}.',
    );
    expect(renderTemplate(t, scope)).toBe('Deal Boiler plant (40%) closes 2026-04-30.');
  });

  test('renders empty as nothing, numbers plainly, money with its code, lists with commas', () => {
    const t = parseTemplate(
      '[{{ record.closed_at }}] {{ record.quantity }} {{ record.amount }} {{ 1 / 4 }} {{ record.tags }} {{ record.won }}',
    );
    expect(renderTemplate(t, scope)).toBe('[] 12.50 12500.00 EUR 0.25 industrial, export true');
  });

  test('leaves single braces and a lone closing pair alone', () => {
    expect(renderTemplate(parseTemplate('a { b } c }} d'), scope)).toBe('a { b } c }} d');
  });

  test('braces inside quoted text do not close a part', () => {
    expect(renderTemplate(parseTemplate("{{ '}}' + record.name }}!"), scope)).toBe(
      '}}Boiler plant!',
    );
  });

  test('writes literal braces through an expression', () => {
    expect(renderTemplate(parseTemplate("use {{ '{{' }} name }}"), scope)).toBe('use {{ name }}');
  });

  test('a template that is one expression gives its typed value', () => {
    expect(templateValue(parseTemplate('{{ record.probability + 5 }}'), scope)).toBe(45);
    expect(
      templateValue(parseTemplate(' {{ add_days(record.expected_close_date, 1) }}\n'), scope),
    ).toBe('2026-05-01');
    expect(templateValue(parseTemplate('{{ record.amount * 2 }}'), scope)).toEqual({
      amount: '25000.00',
      currency: 'EUR',
    });
    expect(templateValue(parseTemplate('{{ record.closed_at }}'), scope)).toBeNull();
    expect(templateValue(parseTemplate('#{{ record.probability }}'), scope)).toBe('#40');
    expect(templateValue(parseTemplate('plain'), scope)).toBe('plain');
    expect(templateValue(parseTemplate('{{ 1 }}{{ 2 }}'), scope)).toBe('12');
  });

  test('an unclosed part is an error at its opening braces', () => {
    const e = failure('Hello {{ record.name');
    expect(e.message).toBe("'{{' is not closed with '}}' at 6");
  });

  test('an error inside a part is placed in the template text', () => {
    expect(failure('Hi {{ record.name + }}!').message).toBe(
      "expected an expression after '+' at 20",
    );
    expect(failure('Hi {{ record.__proto__ }}').position).toBe(13);
    expect(failure('Hi {{ }}').message).toBe("'{{ }}' has no expression in it at 3");
  });

  test('an error while rendering is placed in the template text', () => {
    const t = parseTemplate('Total: {{ record.name * 2 }}');
    expect(() => renderTemplate(t, scope)).toThrow('at 22');
  });

  test('refuses a template longer than the limit', () => {
    expect(failure('x'.repeat(MAX_TEMPLATE_LENGTH + 1)).description).toMatch(/longer than/);
  });
});
