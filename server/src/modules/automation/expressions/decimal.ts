import { roundHalfEven, scaledToDecimal } from '../../../core/metadata/money';
import { ValueProblem } from './errors';

/** Places a quotient keeps; products keep at most MAX_SCALE places. */
export const DIVISION_SCALE = 12;
export const MAX_SCALE = 20;
/** Digits a number may have before it is refused as too large. */
const MAX_DIGITS = 40;

/**
 * An exact decimal number: `m` units of 10^-s. Every number in an expression is one, so that
 * 0.1 + 0.2 is 0.3 and an amount of money never passes through binary floating point.
 */
export class Dec {
  constructor(
    readonly m: bigint,
    readonly s: number,
  ) {
    const digits = (m < 0n ? -m : m).toString().length;
    if (digits > MAX_DIGITS) throw new ValueProblem('the number is too large');
  }

  static of(n: number | bigint): Dec {
    if (typeof n === 'bigint') return new Dec(n, 0);
    if (!Number.isFinite(n)) throw new ValueProblem('the number is not finite');
    if (Number.isSafeInteger(n)) return new Dec(BigInt(n), 0);
    // The shortest text that reads back as the same double: what a person typed or saw.
    const d = parseDecimal(String(n));
    if (!d) throw new ValueProblem(`${n} is not a number`);
    return d;
  }

  get isZero(): boolean {
    return this.m === 0n;
  }

  get isWhole(): boolean {
    return this.trim().s === 0;
  }

  /** Without trailing zeros after the point. */
  trim(): Dec {
    let { m, s } = this;
    while (s > 0 && m % 10n === 0n) {
      m /= 10n;
      s -= 1;
    }
    return s === this.s ? this : new Dec(m, s);
  }

  /** The same value with `scale` places; rounds half to even when places are dropped. */
  withScale(scale: number): Dec {
    if (scale === this.s) return this;
    if (scale > this.s) return new Dec(this.m * 10n ** BigInt(scale - this.s), scale);
    return new Dec(roundHalfEven(this.m, 10n ** BigInt(this.s - scale)), scale);
  }

  toText(): string {
    return scaledToDecimal(this.m, this.s);
  }

  /** A JavaScript number when it holds the value exactly, otherwise the decimal text. */
  toPlain(): number | string {
    const text = this.trim().toText();
    const n = Number(text);
    return Number.isFinite(n) && String(n) === text ? n : text;
  }

  /** A whole number as a JavaScript number, or a problem naming what it is used for. */
  toInt(what: string): number {
    const t = this.trim();
    if (t.s !== 0) throw new ValueProblem(`${what} must be a whole number, not ${t.toText()}`);
    if (t.m > BigInt(Number.MAX_SAFE_INTEGER) || t.m < BigInt(Number.MIN_SAFE_INTEGER))
      throw new ValueProblem(`${what} is too large`);
    return Number(t.m);
  }
}

const DECIMAL_TEXT = /^(-)?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Reads `12`, `-3.50`, `.5` or `1e3` exactly; null when the text is not such a number. */
export function parseDecimal(text: string): Dec | null {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return null;
  const [, sign, whole = '', frac = '', exp] = m;
  if (whole === '' && frac === '') return null;
  let mantissa = BigInt((whole || '0') + frac);
  let scale = frac.length - (exp ? Number(exp) : 0);
  if (Math.abs(scale) > MAX_DIGITS) throw new ValueProblem(`${text} is too large`);
  if (scale < 0) {
    mantissa *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return new Dec(sign ? -mantissa : mantissa, scale);
}

/** Text that the records engine uses for decimals ("12.50"): counts as a number. */
const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;

export function numberFromText(text: string): Dec | null {
  return NUMBER_TEXT.test(text) && text.length <= MAX_DIGITS + 2 ? parseDecimal(text) : null;
}

function aligned(a: Dec, b: Dec): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [a.withScale(s).m, b.withScale(s).m, s];
}

export function add(a: Dec, b: Dec): Dec {
  const [x, y, s] = aligned(a, b);
  return new Dec(x + y, s);
}

export function sub(a: Dec, b: Dec): Dec {
  const [x, y, s] = aligned(a, b);
  return new Dec(x - y, s);
}

export function mul(a: Dec, b: Dec): Dec {
  const p = new Dec(a.m * b.m, a.s + b.s);
  return p.s > MAX_SCALE ? p.withScale(MAX_SCALE) : p;
}

export function div(a: Dec, b: Dec): Dec {
  if (b.isZero) throw new ValueProblem('division by zero');
  const scale = Math.max(DIVISION_SCALE, a.s);
  // a/b = (a.m * 10^b.s) / (b.m * 10^a.s); scaled by 10^scale before rounding.
  const q = roundHalfEven(a.m * 10n ** BigInt(b.s + scale), b.m * 10n ** BigInt(a.s));
  return new Dec(q, scale).trim();
}

/** The remainder with the sign of the dividend, like JavaScript's %. */
export function mod(a: Dec, b: Dec): Dec {
  if (b.isZero) throw new ValueProblem('division by zero');
  const [x, y, s] = aligned(a, b);
  return new Dec(x % y, s);
}

export function cmp(a: Dec, b: Dec): number {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function neg(a: Dec): Dec {
  return new Dec(-a.m, a.s);
}

export function abs(a: Dec): Dec {
  return a.m < 0n ? neg(a) : a;
}

/** Rounds to `places`, half away from zero (2.5 → 3, -2.5 → -3), as people round by hand. */
export function roundHalfUp(a: Dec, places: number): Dec {
  if (a.s <= places) return a;
  const factor = 10n ** BigInt(a.s - places);
  let q = a.m / factor;
  const r = a.m % factor;
  if ((r < 0n ? -r : r) * 2n >= factor) q += a.m < 0n ? -1n : 1n;
  return new Dec(q, places);
}

export function floor(a: Dec): Dec {
  if (a.s === 0) return a;
  const factor = 10n ** BigInt(a.s);
  const q = a.m / factor;
  return new Dec(a.m < 0n && a.m % factor !== 0n ? q - 1n : q, 0);
}

export function ceil(a: Dec): Dec {
  return neg(floor(neg(a)));
}
