import { validationError } from '../errors';
import { roundHalfEven } from '../metadata/money';

/** The largest amount a line or document may come to, in minor units (what columns hold exactly). */
export const MAX_AMOUNT_MINOR = 10n ** 15n;

/** Quantities are thousandths; percentages are basis points (hundredths of a percent). */
const QUANTITY_DENOMINATOR = 1000n;
const BASIS = 10_000n;

export interface LineInput {
  /** Thousandths of the unit the price is for. */
  quantity: bigint;
  /** Price of one unit, in the currency's minor units. */
  unitPriceMinor: bigint;
  /** 0 to 10,000 (12.5% = 1,250). */
  discountBasisPoints: bigint;
  /** 20% = 2,000. */
  taxRateBasisPoints: bigint;
  /** The unit price includes the tax. */
  taxIncluded: boolean;
}

/** A line's figures in minor units; total = net + tax. */
export interface LineAmounts {
  netMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
}

/**
 * A line's net, tax and total, each rounded half-even to the currency's minor unit, once per
 * line. The amount is quantity × unit price × (1 − discount), computed exactly and rounded
 * once. With the tax excluded, that amount is the net and the tax is rate × net, rounded. With
 * the tax included, that amount is the total and the tax is total × rate / (1 + rate), rounded;
 * the net is what is left, so net + tax is always the total.
 */
export function lineAmounts(l: LineInput): LineAmounts {
  if (l.discountBasisPoints < 0n || l.discountBasisPoints > BASIS)
    throw validationError([{ path: 'discount', message: 'must be from 0 to 100' }]);
  if (l.taxRateBasisPoints < 0n)
    throw validationError([{ path: 'tax_rate', message: 'must not be negative' }]);
  const amount = roundHalfEven(
    l.quantity * l.unitPriceMinor * (BASIS - l.discountBasisPoints),
    QUANTITY_DENOMINATOR * BASIS,
  );
  if (amount > MAX_AMOUNT_MINOR || -amount > MAX_AMOUNT_MINOR)
    throw validationError([{ path: 'quantity', message: 'makes the line amount too large' }]);
  if (l.taxIncluded) {
    const taxMinor = roundHalfEven(amount * l.taxRateBasisPoints, BASIS + l.taxRateBasisPoints);
    return { netMinor: amount - taxMinor, taxMinor, totalMinor: amount };
  }
  const taxMinor = roundHalfEven(amount * l.taxRateBasisPoints, BASIS);
  return { netMinor: amount, taxMinor, totalMinor: amount + taxMinor };
}

/** A document's totals: the sums of its lines' rounded figures, so lines and totals agree. */
export function sumAmounts(lines: LineAmounts[]): LineAmounts {
  const sum: LineAmounts = { netMinor: 0n, taxMinor: 0n, totalMinor: 0n };
  for (const l of lines) {
    sum.netMinor += l.netMinor;
    sum.taxMinor += l.taxMinor;
    sum.totalMinor += l.totalMinor;
  }
  if (sum.totalMinor > MAX_AMOUNT_MINOR || -sum.totalMinor > MAX_AMOUNT_MINOR)
    throw validationError([{ path: 'lines', message: 'make the document total too large' }]);
  return sum;
}
