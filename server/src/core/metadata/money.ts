const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const digitsCache = new Map<string, number>();

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}

/** How many minor-unit digits a currency has: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    digitsCache.set(currency, d);
  }
  return d;
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Turns a decimal string into an integer count of 10^-scale units, exactly.
 * Returns an error message instead when the text is not a decimal or has too many places.
 */
export function decimalToScaled(text: string, scale: number): bigint | string {
  const m = DECIMAL.exec(text.trim());
  if (!m) return 'must be a decimal number like 12.50';
  const [, sign, whole, frac = ''] = m;
  if (frac.length > scale) {
    return scale === 0
      ? 'must be a whole number'
      : `has more than ${scale} decimal place${scale === 1 ? '' : 's'}`;
  }
  const digits = BigInt(whole + frac.padEnd(scale, '0'));
  return sign ? -digits : digits;
}

/** The exact decimal string for an integer count of 10^-scale units. */
export function scaledToDecimal(value: bigint | number, scale: number): string {
  const v = BigInt(value);
  const neg = v < 0n;
  const abs = (neg ? -v : v).toString().padStart(scale + 1, '0');
  const whole = scale ? abs.slice(0, -scale) : abs;
  const frac = scale ? `.${abs.slice(-scale)}` : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** Rounds a rational numerator/denominator to an integer, half to even. */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator < 0n) return roundHalfEven(-numerator, -denominator);
  const q = numerator / denominator;
  const r = numerator % denominator;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice < denominator) return q;
  const away = numerator < 0n ? q - 1n : q + 1n;
  if (twice > denominator) return away;
  return q % 2n === 0n ? q : away;
}
