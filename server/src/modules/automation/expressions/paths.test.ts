import { describe, expect, test } from 'vitest';
import { checkPaths, checkSource, referencedPaths, type PathChecker } from './paths';
import { parseExpression } from './syntax';
import { parseTemplate } from './template';

describe('paths in expressions', () => {
  test('lists every path read, once, as written', () => {
    const e = parseExpression(
      "record.stage.name == 'Won' and record.amount > 5 and lower(record.stage.name) != trigger.x",
    );
    expect(referencedPaths(e)).toEqual([
      ['record', 'stage', 'name'],
      ['record', 'amount'],
      ['trigger', 'x'],
    ]);
  });

  test('lists the paths of every part of a template', () => {
    const t = parseTemplate('{{ record.name }} and {{ coalesce(record.owner.name, "nobody") }}');
    expect(referencedPaths(t)).toEqual([
      ['record', 'name'],
      ['record', 'owner', 'name'],
    ]);
  });

  test('reports what the checker refuses at the path, or at the segment it names', () => {
    const check: PathChecker = (path) => {
      if (path[1] === 'amout') return { message: "unknown field 'amout' on deals", segment: 1 };
      if (path[0] !== 'record') return `unknown name '${path[0]}'`;
      return null;
    };
    const errors = checkPaths(parseExpression('record.amout > 5 or recrd.name'), check);
    expect(errors.map((e) => e.message)).toEqual([
      "unknown field 'amout' on deals at 7",
      "unknown name 'recrd' at 20",
    ]);
  });

  test('reports unknown functions with a suggestion, and wrong argument counts', () => {
    const errors = checkPaths(
      parseExpression('lowr(record.name) == upper(1, 2) or if(true) or now()'),
      () => null,
    );
    expect(errors.map((e) => e.message)).toEqual([
      "unknown function 'lowr' at 0 (did you mean lower?)",
      'upper takes 1 argument, not 2 at 21 (upper(text))',
      'if takes 3 arguments, not 1 at 36 (if(condition, then, otherwise))',
    ]);
  });

  test('places errors of a template part in the template text', () => {
    const errors = checkPaths(parseTemplate('Dear {{ lowr(x) }}'), () => null);
    expect(errors[0].position).toBe(8);
  });

  test('checkSource gives the syntax error, or else every path problem, as a process is saved', () => {
    const none: PathChecker = (path) => (path[0] === 'record' ? null : `unknown name '${path[0]}'`);
    const bad = checkSource('record.a and', 'expression', none);
    expect(bad.parsed).toBeNull();
    expect(bad.errors.map((e) => e.message)).toEqual(["expected an expression after 'and' at 12"]);
    const paths = checkSource('{{ x.a }} {{ record.b }} {{ y }}', 'template', none);
    expect(paths.parsed).not.toBeNull();
    expect(paths.errors.map((e) => e.position)).toEqual([3, 28]);
    expect(checkSource('record.a', 'expression', none).errors).toEqual([]);
  });
});
