import { describe, expect, test } from 'vitest';
import { ExpressionError } from './errors';
import { MAX_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression } from './syntax';

function failure(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`"${source}" parsed`);
}

describe('parsing expressions', () => {
  test('reads paths, literals, lists, calls and word operators into one tree', () => {
    const e = parseExpression("record.stage.name == 'Won' and not is_empty(record.tags)");
    expect(e.root).toMatchObject({
      k: 'logic',
      op: 'and',
      pos: 27,
      left: {
        k: 'binary',
        op: '==',
        pos: 18,
        left: {
          k: 'path',
          segments: [
            { name: 'record', pos: 0 },
            { name: 'stage', pos: 7 },
            { name: 'name', pos: 13 },
          ],
        },
        right: { k: 'literal', value: 'Won' },
      },
      right: { k: 'not', arg: { k: 'call', name: 'is_empty', pos: 35 } },
    });
  });

  test('keeps numbers exact as written', () => {
    const e = parseExpression('0.1');
    expect(e.root).toMatchObject({ k: 'number' });
    expect((e.root as { value: { m: bigint; s: number } }).value).toMatchObject({ m: 1n, s: 1 });
  });

  test('reads && || ! as and, or, not', () => {
    expect(parseExpression('a && !b || c').root).toMatchObject({
      k: 'logic',
      op: 'or',
      left: { k: 'logic', op: 'and', right: { k: 'not' } },
    });
  });

  test('lets a word not apply to the whole comparison after it', () => {
    expect(parseExpression('not x in [1, 2]').root).toMatchObject({
      k: 'not',
      arg: { k: 'binary', op: 'in' },
    });
    expect(parseExpression('not a + 1 == b').root).toMatchObject({
      k: 'not',
      arg: { k: 'binary', op: '==', left: { k: 'binary', op: '+' } },
    });
  });

  test('says what is missing and where', () => {
    expect(failure('record.x and').message).toBe("expected an expression after 'and' at 12");
    expect(failure('record.amount +').message).toBe("expected an expression after '+' at 15");
    expect(failure('lower(record.name').message).toBe("missing ')' at 17");
    expect(failure("record.name == 'Won").description).toBe('a text in quotes is not closed');
    expect(failure('').message).toBe('expected an expression at 0');
    expect(failure('not').message).toBe("expected an expression after 'not' at 3");
  });

  test('refuses two expressions side by side', () => {
    const e = failure("record.name 'x'");
    expect(e.position).toBe(12);
    expect(e.hint).toMatch(/operator/);
    expect(failure('a, b').position).toBe(3);
  });

  test('refuses JavaScript operators outside the language with a hint', () => {
    expect(failure('a = 1')).toMatchObject({ position: 2, hint: 'use == to compare' });
    expect(failure('a === 1')).toMatchObject({ position: 2, hint: 'use == to compare' });
    expect(failure('a ?? b')).toMatchObject({ position: 2, hint: 'use coalesce(a, b)' });
    expect(failure('a | b').position).toBe(2);
  });
});

describe('what expressions cannot reach', () => {
  test('refuses names that lead into JavaScript objects', () => {
    expect(failure('record.__proto__').message).toBe(
      "'__proto__' is not allowed in an expression at 7",
    );
    expect(failure('record.constructor.name').position).toBe(7);
    expect(failure('constructor').position).toBe(0);
    expect(failure('record.prototype').position).toBe(7);
    expect(failure('x.__defineGetter__').position).toBe(2);
  });

  test('refuses methods on values', () => {
    const e = failure('record.name.toUpperCase()');
    expect(e.position).toBe(12);
    expect(e.description).toBe('only functions can be called; values have no methods');
    expect(failure("'abc'.length").position).toBe(6);
    expect(failure('lower(a)()').description).toMatch(/only functions/);
  });

  test('refuses field names in brackets, this and sequences', () => {
    expect(failure("record['__proto__']").description).toMatch(/not a name/);
    expect(failure('record.tags[0].name').description).toMatch(/only names have fields/);
    expect(failure('this.x').description).toMatch(/this/);
    expect(failure('(a, b)').description).toMatch(/one expression/);
  });
});

describe('limits', () => {
  test('refuses an expression longer than the limit', () => {
    const e = failure('1 + '.repeat(600) + '1');
    expect(e.description).toBe(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
    expect(e.position).toBe(MAX_EXPRESSION_LENGTH);
  });

  test('refuses brackets nested past the limit, before the parser recurses', () => {
    const deep = '('.repeat(MAX_DEPTH + 1) + '1' + ')'.repeat(MAX_DEPTH + 1);
    const e = failure(deep);
    expect(e.description).toMatch(/nests more than/);
    expect(e.position).toBe(MAX_DEPTH);
  });

  test('refuses an operator chain deeper than the limit', () => {
    expect(failure('1' + ' + 1'.repeat(MAX_DEPTH + 5)).description).toMatch(/nests more than/);
    expect(failure('-'.repeat(MAX_DEPTH + 5) + '1').description).toMatch(/nests more than/);
  });

  test('accepts a long but flat condition', () => {
    const source = Array.from({ length: 40 }, (_, i) => `x == ${i}`).join(' or ');
    expect(() => parseExpression(source)).not.toThrow();
  });

  test('brackets inside quoted text do not count as nesting', () => {
    expect(() => parseExpression(`'${'('.repeat(300)}'`)).not.toThrow();
  });
});
