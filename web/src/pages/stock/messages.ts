import type { TFunction } from 'i18next';
import { translateMessage } from '../record/messages';
import { formatQuantity } from './quantities';

const Q = '(-?\\d+(?:\\.\\d+)?)';

/**
 * The stock endpoints' messages (written in English by the server) in the user's language, with
 * their quantities in the user's number format; the record messages and, failing those, the
 * server's own words otherwise.
 */
export function stockMessage(
  t: TFunction<'stock'>,
  tRecord: TFunction<'record'>,
  message: string,
  locale: string,
): string {
  const q = (s: string) => formatQuantity(s, locale);
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^must not be zero$/, () => t('errNotZero')],
    [/^must be more than zero; an adjustment may take stock away$/, () => t('errPositive')],
    [/^is given only for stock that comes in$/, () => t('errCostIn')],
    [/^is required for a transfer$/, () => t('errTransferTo')],
    [/^must be another warehouse than/, () => t('errOtherWarehouse')],
    [/^is not active$/, () => t('errInactive')],
    [/^no such warehouse$/, () => t('errNoWarehouse')],
    [/^is a service, which holds no stock$/, () => t('errService')],
    [/^would take the balance past a trillion units$/, () => t('errTrillion')],
    [/^would take the product's stock past a trillion units$/, () => t('errProductTrillion')],
    [
      /^must be ([A-Z]{3}), the currency this product's stock is valued in$/,
      (m) => t('errValuationCurrency', { currency: m[1] }),
    ],
    [/^is too large$/, () => t('errTooLarge')],
    [/^must not be negative$/, () => t('errNegative')],
    [/^is only for a transfer$/, () => t('errOnlyTransfer')],
    [/^must be at most 1000000000000/, () => t('errMaxQuantity')],
    [
      /^has more than (\d+) decimal places?$/,
      (m) => t('errDecimalPlaces', { count: Number(m[1]) }),
    ],
    [
      new RegExp(`^only ${Q} on hand; ${Q} needed$`),
      (m) => t('errOnHand', { onHand: q(m[1]), needed: q(m[2]) }),
    ],
    [
      new RegExp(
        `^only ${Q} available \\(${Q} on hand, ${Q} reserved for other documents\\); ${Q} needed$`,
      ),
      (m) =>
        t('errAvailable', {
          available: q(m[1]),
          onHand: q(m[2]),
          reserved: q(m[3]),
          needed: q(m[4]),
        }),
    ],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return translateMessage(tRecord, message);
}
