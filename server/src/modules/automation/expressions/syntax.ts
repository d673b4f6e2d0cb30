import jsep from 'jsep';
import { Dec, neg, parseDecimal } from './decimal';
import { ExpressionError, ValueProblem } from './errors';

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** How deeply an expression may nest (operators, brackets, calls). */
export const MAX_DEPTH = 100;

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

/**
 * The syntax tree the evaluator walks: normalised from jsep's tree, with the position of every
 * node in the source (an operator's own position for operators, a name's for names).
 */
export type Node =
  | { k: 'literal'; value: string | boolean | null; pos: number }
  | { k: 'number'; value: Dec; pos: number }
  | { k: 'path'; segments: { name: string; pos: number }[]; pos: number }
  | { k: 'list'; items: Node[]; pos: number }
  | { k: 'index'; target: Node; index: Node; pos: number }
  | { k: 'not'; arg: Node; pos: number; word?: boolean }
  | { k: 'negate'; arg: Node; pos: number }
  | { k: 'logic'; op: 'and' | 'or'; left: Node; right: Node; pos: number }
  | { k: 'binary'; op: BinaryOp; left: Node; right: Node; pos: number }
  | { k: 'conditional'; test: Node; then: Node; otherwise: Node; pos: number }
  | { k: 'call'; name: string; args: Node[]; pos: number };

/** A parsed expression, with the text it came from. */
export interface Expr {
  readonly kind: 'expression';
  readonly source: string;
  readonly root: Node;
}

/** Names that could reach JavaScript's object machinery; refused wherever a name is written. */
const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

const REJECTED_OPERATORS: Record<string, string> = {
  '=': 'use == to compare',
  '===': 'use == to compare',
  '!==': 'use != to compare',
  '??': 'use coalesce(a, b)',
  '**': 'powers are not supported',
  '|': 'use or',
  '&': 'use and',
  '^': 'bitwise operators are not supported',
  '<<': 'bitwise operators are not supported',
  '>>': 'bitwise operators are not supported',
  '>>>': 'bitwise operators are not supported',
};

const WORD_OPERATORS = new Set(['and', 'or', 'not', 'in']);

type JNode = jsep.Expression & { start?: number };

interface JsepParser {
  index: number;
  readonly expr: string;
  gobbleSpaces(): void;
  gobbleToken(): JNode | false;
  gobbleIdentifier(): JNode;
  gobbleBinaryOp(): string | false;
  parse(): JNode;
}

// jsep keeps its operator tables on the class, so configuring it here configures it for the
// whole server process; nothing else in the server uses jsep.
jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('in', 7);
jsep.addBinaryOp('=', 6);
jsep.addUnaryOp('not');
jsep.removeUnaryOp('~');
jsep.removeUnaryOp('+');

const JsepBase = (jsep as unknown as { Jsep: new (expr: string) => JsepParser }).Jsep;

/**
 * jsep's parser, taught to remember where things are: each token's and name's start, and each
 * binary operator's position in the order they are read (which is the order of an in-order walk
 * of the finished tree).
 */
class PositionedParser extends JsepBase {
  readonly operators: { op: string; at: number }[] = [];

  override gobbleToken(): JNode | false {
    this.gobbleSpaces();
    const start = this.index;
    const node = super.gobbleToken();
    if (node && node.start === undefined) node.start = start;
    return node;
  }

  override gobbleIdentifier(): JNode {
    const start = this.index;
    const node = super.gobbleIdentifier();
    node.start = start;
    return node;
  }

  override gobbleBinaryOp(): string | false {
    this.gobbleSpaces();
    const at = this.index;
    const op = super.gobbleBinaryOp();
    if (op) this.operators.push({ op, at });
    return op;
  }
}

/** Rewrites jsep's messages into ours: lower case, with the offending text quoted. */
function syntaxMessage(raw: string): string {
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^Expected expression after (.+)$/, (m) => `expected an expression after '${m[1]}'`],
    [/^missing unaryOp argument$/, () => `expected an expression after the operator`],
    [/^Unexpected "(.*)"$/, (m) => `unexpected '${m[1]}'`],
    [/^Unexpected token (.*)$/, (m) => `unexpected '${m[1]}'`],
    [/^Unexpected period$/, () => `unexpected '.'`],
    [/^Unexpected (.*)$/, (m) => (m[1] ? `unexpected '${m[1]}'` : 'unexpected end of expression')],
    [/^Unclosed quote after/, () => 'a text in quotes is not closed'],
    [/^Unclosed \($/, () => `missing ')'`],
    [/^Unclosed \[$/, () => `missing ']'`],
    [/^Expected \)$/, () => `missing ')'`],
    [/^Expected \]$/, () => `missing ']'`],
    [/^Expected comma$/, () => `expected ',' between items`],
    [/^Expected :$/, () => `expected ':' in a ? b : c`],
    [/^Expected expression$/, () => 'expected an expression'],
    [/^Variable names cannot start with a number/, () => 'a name cannot start with a digit'],
    [/^Expected exponent/, () => `a number's exponent is incomplete`],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(raw);
    if (m) return say(m);
  }
  return raw.charAt(0).toLowerCase() + raw.slice(1);
}

/** Deepest bracket nesting, checked before jsep recurses into it. */
function checkBrackets(source: string, offset: number) {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') {
      depth++;
      if (depth > MAX_DEPTH)
        throw new ExpressionError(
          `the expression nests more than ${MAX_DEPTH} brackets deep`,
          offset + i,
        );
    } else if (c === ')' || c === ']') depth--;
  }
}

/**
 * Parses one expression. Positions in the tree and in errors are `offset` plus the index in
 * `source` (a template passes the offset of its `{{ }}` part).
 */
export function parseNode(source: string, offset = 0): Node {
  if (source.length > MAX_EXPRESSION_LENGTH)
    throw new ExpressionError(
      `the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`,
      offset + MAX_EXPRESSION_LENGTH,
    );
  checkBrackets(source, offset);

  const parser = new PositionedParser(source);
  let tree: JNode;
  try {
    tree = parser.parse();
  } catch (e) {
    if (e instanceof RangeError)
      throw new ExpressionError('the expression nests too deeply', offset);
    const err = e as Error & { index?: number; description?: string };
    throw new ExpressionError(
      syntaxMessage(err.description ?? err.message),
      offset + (err.index ?? 0),
    );
  }
  if (tree.type === 'Compound') {
    const body = tree.body as JNode[];
    if (body.length === 0) throw new ExpressionError('expected an expression', offset);
    const second = body[1];
    // A word operator at the very end reads as a name to jsep: say what is missing instead.
    if (second.type === 'Identifier' && WORD_OPERATORS.has(second.name as string))
      throw new ExpressionError(
        `expected an expression after '${second.name as string}'`,
        offset + (second.start ?? 0) + (second.name as string).length,
      );
    throw new ExpressionError(
      `unexpected '${source.slice(second.start ?? 0).split(/\s/)[0]}'; an expression is complete before it`,
      offset + (second.start ?? 0),
      'join parts with an operator such as and, or, ==, +',
    );
  }

  const ops = parser.operators;
  let nextOp = 0;
  const normalise = (n: JNode, depth: number): Node => {
    const at = offset + (n.start ?? 0);
    if (depth > MAX_DEPTH)
      throw new ExpressionError(`the expression nests more than ${MAX_DEPTH} levels deep`, at);
    switch (n.type) {
      case 'Literal': {
        const raw = n.raw as string;
        if (typeof n.value === 'number') {
          let value: Dec | null;
          try {
            value = parseDecimal(raw);
          } catch (e) {
            if (e instanceof ValueProblem) throw new ExpressionError(e.message, at);
            throw e;
          }
          if (!value) throw new ExpressionError(`'${raw}' is not a number`, at);
          return { k: 'number', value, pos: at };
        }
        return { k: 'literal', value: n.value as string | boolean | null, pos: at };
      }
      case 'MemberExpression':
        if (n.computed) {
          // `list[0]`, `trigger.changes.stage_id[1]`: an item of a list, counted from 0.
          const target = normalise(n.object as JNode, depth + 1);
          const index = normalise(n.property as JNode, depth + 1);
          if (index.k === 'literal' && typeof index.value === 'string')
            throw new ExpressionError(
              'brackets take the number of a list item, not a name',
              index.pos,
              'write record.field',
            );
          return { k: 'index', target, index, pos: index.pos };
        }
        return pathNode(n, offset);
      case 'Identifier':
        return pathNode(n, offset);
      case 'ArrayExpression': {
        const items = (n.elements as (JNode | null)[]).map((item) => {
          if (!item) throw new ExpressionError('a list has an empty item', at);
          return normalise(item, depth + 1);
        });
        return { k: 'list', items, pos: at };
      }
      case 'UnaryExpression': {
        const arg = normalise(n.argument as JNode, depth + 1);
        if (n.operator === '-') {
          if (arg.k === 'number') return { k: 'number', value: neg(arg.value), pos: at };
          return { k: 'negate', arg, pos: at };
        }
        return { k: 'not', arg, pos: at, ...(n.operator === 'not' ? { word: true } : {}) };
      }
      case 'BinaryExpression': {
        const left = normalise(n.left as JNode, depth + 1);
        const recorded = ops[nextOp++];
        const op = n.operator as string;
        const pos = recorded && recorded.op === op ? offset + recorded.at : left.pos;
        const right = normalise(n.right as JNode, depth + 1);
        if (Object.hasOwn(REJECTED_OPERATORS, op))
          throw new ExpressionError(`'${op}' is not an operator here`, pos, REJECTED_OPERATORS[op]);
        if (op === 'and' || op === '&&') return { k: 'logic', op: 'and', left, right, pos };
        if (op === 'or' || op === '||') return { k: 'logic', op: 'or', left, right, pos };
        return liftWordNot({ k: 'binary', op: op as BinaryOp, left, right, pos });
      }
      case 'ConditionalExpression': {
        // jsep builds `a ? b : c` after the fact, without a start of its own: it starts at `a`.
        const test = normalise(n.test as JNode, depth + 1);
        return {
          k: 'conditional',
          test,
          then: normalise(n.consequent as JNode, depth + 1),
          otherwise: normalise(n.alternate as JNode, depth + 1),
          pos: n.start === undefined ? test.pos : at,
        };
      }
      case 'CallExpression': {
        const callee = n.callee as JNode;
        if (callee.type !== 'Identifier') {
          const where =
            callee.type === 'MemberExpression'
              ? offset + ((callee.property as JNode).start ?? 0)
              : offset + (callee.start ?? 0);
          throw new ExpressionError(
            'only functions can be called; values have no methods',
            where,
            'write lower(record.name), not record.name.lower()',
          );
        }
        const name = callee.name as string;
        checkName(name, offset + (callee.start ?? 0));
        const args = (n.arguments as JNode[]).map((a) => normalise(a, depth + 1));
        return { k: 'call', name, args, pos: offset + (callee.start ?? 0) };
      }
      case 'ThisExpression':
        throw new ExpressionError(`'this' is not a name in expressions`, at);
      case 'SequenceExpression':
        throw new ExpressionError('expected one expression inside ( )', at);
      default:
        throw new ExpressionError(`unsupported syntax (${n.type})`, at);
    }
  };

  // Walks a member chain down to its root name; anything but plain names is refused.
  const pathNode = (n: JNode, off: number): Node => {
    const segments: { name: string; pos: number }[] = [];
    let cur = n;
    while (cur.type === 'MemberExpression') {
      const prop = cur.property as JNode;
      if (cur.computed || prop.type !== 'Identifier')
        throw new ExpressionError(
          'only names have fields; an item of a list has none',
          off + (prop.start ?? cur.start ?? 0),
          'write record.field, and list[0] only at the end',
        );
      segments.unshift({ name: prop.name as string, pos: off + (prop.start ?? 0) });
      cur = cur.object as JNode;
    }
    if (cur.type === 'ThisExpression')
      throw new ExpressionError(`'this' is not a name in expressions`, off + (cur.start ?? 0));
    if (cur.type !== 'Identifier')
      throw new ExpressionError(
        'only names have fields; write a path like record.stage.name',
        segments[0]?.pos ?? off + (cur.start ?? 0),
      );
    segments.unshift({ name: cur.name as string, pos: off + (cur.start ?? 0) });
    for (const s of segments) checkName(s.name, s.pos);
    return { k: 'path', segments, pos: segments[0].pos };
  };

  return normalise(tree, 0);
}

function checkName(name: string, pos: number) {
  if (FORBIDDEN_NAMES.has(name) || name.startsWith('__'))
    throw new ExpressionError(`'${name}' is not allowed in an expression`, pos);
  if (WORD_OPERATORS.has(name))
    throw new ExpressionError(`expected an expression after '${name}'`, pos + name.length);
}

/**
 * `not` reads like English and applies to the whole comparison after it, as in Python:
 * `not x in [1, 2]` is `not (x in [1, 2])`. jsep binds unary operators tightly, so a comparison
 * or arithmetic whose left side is a word `not` is turned inside out. `!` keeps its tight binding.
 */
function liftWordNot(n: Node & { k: 'binary' }): Node {
  const left = n.left as Node & { word?: boolean };
  if (left.k === 'not' && left.word) {
    return { k: 'not', arg: liftWordNot({ ...n, left: left.arg }), pos: left.pos, word: true };
  }
  return n;
}

export function parseExpression(source: string): Expr {
  if (typeof source !== 'string') throw new ExpressionError('an expression must be text', 0);
  return { kind: 'expression', source, root: parseNode(source) };
}
