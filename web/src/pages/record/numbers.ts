/** A number as typed by a person ("1 250,50" or "1,250.50") as the API's decimal text. */
export function normaliseDecimal(text: string): string {
  const t = text.replace(/[\s\u00a0\u202f']/g, '');
  const lastComma = t.lastIndexOf(',');
  const lastDot = t.lastIndexOf('.');
  if (lastComma > -1 && lastDot > -1) {
    // The later mark is the decimal one; the other groups thousands.
    return lastComma > lastDot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  }
  // One mark alone is the decimal one; repeated, it groups thousands.
  if (lastComma > -1)
    return t.indexOf(',') === lastComma ? t.replace(',', '.') : t.replace(/,/g, '');
  if (lastDot > -1 && t.indexOf('.') !== lastDot) return t.replace(/\./g, '');
  return t;
}
