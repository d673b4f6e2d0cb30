import { ExpressionError } from './errors';
import { newRun, type Scope } from './evaluate';
import { parseNode, type Node } from './syntax';
import { render, toData } from './values';

/** The longest template accepted (an e-mail body), in characters. */
export const MAX_TEMPLATE_LENGTH = 50_000;
/** The most `{{ }}` parts one template may have. */
export const MAX_TEMPLATE_PARTS = 500;

/** Text with `{{ expression }}` parts; positions count from the start of the template. */
export interface Template {
  readonly kind: 'template';
  readonly source: string;
  readonly parts: (string | { node: Node; pos: number })[];
}

/** Where the `}}` closing an opening at `from` is, skipping braces inside quoted text. */
function closingBraces(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}' && source[i + 1] === '}') return i;
  }
  return -1;
}

export function parseTemplate(source: string): Template {
  if (typeof source !== 'string') throw new ExpressionError('a template must be text', 0);
  if (source.length > MAX_TEMPLATE_LENGTH)
    throw new ExpressionError(
      `the template is longer than ${MAX_TEMPLATE_LENGTH} characters`,
      MAX_TEMPLATE_LENGTH,
    );
  const parts: Template['parts'] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      parts.push(source.slice(at));
      break;
    }
    if (open > at) parts.push(source.slice(at, open));
    const close = closingBraces(source, open + 2);
    if (close < 0) throw new ExpressionError(`'{{' is not closed with '}}'`, open);
    const inner = source.slice(open + 2, close);
    if (inner.trim() === '') throw new ExpressionError(`'{{ }}' has no expression in it`, open);
    if (parts.length >= MAX_TEMPLATE_PARTS * 2)
      throw new ExpressionError(
        `the template has more than ${MAX_TEMPLATE_PARTS} {{ }} parts`,
        open,
      );
    parts.push({ node: parseNode(inner, open + 2), pos: open });
    at = close + 2;
  }
  return { kind: 'template', source, parts };
}

/** The template's text with each part's value: empty as nothing, money as "12.50 EUR". */
export function renderTemplate(t: Template, scope: Scope): string {
  const run = newRun(scope);
  let out = '';
  for (const p of t.parts) out += typeof p === 'string' ? p : render(run.eval(p.node));
  return out;
}

/**
 * A template that is one `{{ expr }}` (blank text around it allowed) gives that expression's own
 * value (a number, a date, an id, money as `{amount, currency}`); any other template gives its text.
 */
export function templateValue(t: Template, scope: Scope): unknown {
  const exprs = t.parts.filter((p) => typeof p !== 'string');
  const onlyBlank = t.parts.every((p) => typeof p !== 'string' || p.trim() === '');
  if (exprs.length === 1 && onlyBlank) return toData(newRun(scope).eval(exprs[0].node));
  return renderTemplate(t, scope);
}
