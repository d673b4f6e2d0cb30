import { describe, expect, test } from 'vitest';
import { lineAmounts, sumAmounts } from '../../server/src/core/documents/amounts';

const line = (
  quantity: bigint,
  unitPriceMinor: bigint,
  discountBasisPoints = 0n,
  taxRateBasisPoints = 0n,
  taxIncluded = false,
) =>
  lineAmounts({ quantity, unitPriceMinor, discountBasisPoints, taxRateBasisPoints, taxIncluded });

describe('document line amounts', () => {
  test('quantity × price × (1 − discount), rounded half-even once per line', () => {
    expect(line(3000n, 199n)).toEqual({ netMinor: 597n, taxMinor: 0n, totalMinor: 597n });
    // 0.5 × 1 cent = 0.5 → 0 (even); 1.5 × 1 cent = 1.5 → 2 (even)
    expect(line(500n, 1n).netMinor).toBe(0n);
    expect(line(1500n, 1n).netMinor).toBe(2n);
    expect(line(2500n, 1n).netMinor).toBe(2n);
    // 10% off 3 × 3.33 = 8.991 → 8.99
    expect(line(3000n, 333n, 1000n).netMinor).toBe(899n);
    expect(line(1000n, 1000n, 10_000n).netMinor).toBe(0n);
  });

  test('tax excluded is added to the net; tax included is taken out of the total', () => {
    // net 2 × 6.17 = 12.34; 20% tax 2.468 → 2.47
    expect(line(2000n, 617n, 0n, 2000n)).toEqual({
      netMinor: 1234n,
      taxMinor: 247n,
      totalMinor: 1481n,
    });
    // 12.00 including 20%: tax 2.00, net 10.00
    expect(line(1000n, 1200n, 0n, 2000n, true)).toEqual({
      netMinor: 1000n,
      taxMinor: 200n,
      totalMinor: 1200n,
    });
    // 0.05 including 7.25%: tax 0.0034 → 0.00, net 0.05
    expect(line(1000n, 5n, 0n, 725n, true)).toEqual({ netMinor: 5n, taxMinor: 0n, totalMinor: 5n });
  });

  test('document totals are the sums of the rounded lines', () => {
    const lines = [line(1000n, 1n, 0n, 5000n), line(1000n, 1n, 0n, 5000n)];
    // Each line: tax 0.5 → 0 (half-even); the document does not round 1.0 again.
    expect(sumAmounts(lines)).toEqual({ netMinor: 2n, taxMinor: 0n, totalMinor: 2n });
  });

  test('a discount outside 0–100% is refused', () => {
    expect(() => line(1000n, 100n, 10_001n)).toThrow(/discount/);
    expect(() => line(1000n, 100n, -1n)).toThrow(/discount/);
  });
});
