import type { TFunction } from 'i18next';

/**
 * The server's validation messages in the user's language. The server writes them in English
 * (`must be an e-mail address like name@example.com`); the common ones have a translation here,
 * and any other is shown as the server wrote it.
 */
const KNOWN: [RegExp, (t: TFunction<'record'>, m: RegExpExecArray) => string][] = [
  [/^must be an e-mail address/, (t) => t('errEmail')],
  [/^must be a phone number/, (t) => t('errPhone')],
  [/^must be a web address/, (t) => t('errUrl')],
  [/^is required$/, (t) => t('errRequired')],
  [/^must be a date like/, (t) => t('errDate')],
  [/^must be an ISO 8601 instant/, (t) => t('errDatetime')],
  [/^must be unique/, (t) => t('errUnique')],
  [/^must be a whole number$/, (t) => t('errWhole')],
  [/^must be a decimal number/, (t) => t('errDecimal')],
  [/^must be an ISO 4217 code/, (t) => t('errCurrency')],
  [
    /^has more than (\d+) decimal places? for ([A-Z]{3})$/,
    (t, m) => t('errPlaces', { count: Number(m[1]), currency: m[2] }),
  ],
  [/^must be at most (\d+) characters$/, (t, m) => t('errMaxLength', { count: Number(m[1]) })],
];

export function translateMessage(t: TFunction<'record'>, message: string): string {
  for (const [re, say] of KNOWN) {
    const m = re.exec(message);
    if (m) return say(t, m);
  }
  return message;
}

/** The first message the server gave about each field (its path's first part). */
export function fieldMessages(
  t: TFunction<'record'>,
  errors: { path: string; message: string }[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of errors) {
    const name = e.path.split('.')[0];
    if (name && !out.has(name)) out.set(name, translateMessage(t, e.message));
  }
  return out;
}
