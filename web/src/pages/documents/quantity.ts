/**
 * Quantities as the API gives them: decimal text with up to three places ("12.500"). Shown in
 * the user's locale with only the places they need ("12.5", "12,5"); compared and summed as
 * integer thousandths so no float rounding creeps in.
 */

/** "12.500" → 12500n; null for anything that is not a decimal with at most three places. */
export function toThousandths(text: unknown): bigint | null {
  if (text === null || text === undefined || text === '') return null;
  const m = /^(-)?(\d+)(?:\.(\d{0,3}))?$/.exec(String(text).trim());
  if (!m) return null;
  const whole = BigInt(m[2]) * 1000n + BigInt((m[3] ?? '').padEnd(3, '0') || '0');
  return m[1] ? -whole : whole;
}

/** 12500n → "12.5" (the API's decimal text, without needless zeros). */
export function fromThousandths(q: bigint): string {
  const neg = q < 0n;
  const abs = neg ? -q : q;
  const whole = abs / 1000n;
  const frac = (abs % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** A quantity for a person: "1,250.5" in English, "1 250,5" in Ukrainian; empty for none. */
export function formatQuantity(value: unknown, locale: string): string {
  const q = typeof value === 'bigint' ? value : toThousandths(value);
  if (q === null) return value === null || value === undefined ? '' : String(value);
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  // Whole and fraction apart, so a trillion units with three places keeps every digit.
  const neg = q < 0n;
  const abs = neg ? -q : q;
  const whole = nf.format(abs / 1000n);
  const frac = (abs % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  const decimal = nf.formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return `${neg ? '−' : ''}${whole}${frac ? decimal + frac : ''}`;
}

/** A percentage stored as decimal text ("12.50") for a person: "12.5 %" / "12,5 %". */
export function formatPercent(value: unknown, locale: string): string {
  if (value === null || value === undefined || value === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
    n / 100,
  );
}
