/**
 * A problem with an expression or template: a syntax error, an unknown field or function, or a
 * value the evaluator cannot work with. `position` is the 0-based offset in the source text (the
 * template's text for a template), so an editor can point at it.
 */
export class ExpressionError extends Error {
  constructor(
    /** What is wrong, without the position: "unknown field 'amout' on deals". */
    readonly description: string,
    readonly position: number,
    /** A suggestion, when there is one: "did you mean amount?". */
    readonly hint?: string,
  ) {
    super(`${description} at ${position}${hint ? ` (${hint})` : ''}`);
    this.name = 'ExpressionError';
  }
}

/**
 * A problem found inside a value operation, before the position is known; the evaluator turns it
 * into an ExpressionError at the node that ran the operation.
 */
export class ValueProblem extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ValueProblem';
  }
}

/** The closest name within two edits, for "did you mean ...?" hints. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
    }
    prev = row;
  }
  return prev[b.length];
}
