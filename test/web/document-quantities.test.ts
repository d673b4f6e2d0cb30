import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import * as documents from '../../web/src/i18n/documents';
import {
  formatQuantity,
  fromThousandths,
  toThousandths,
} from '../../web/src/pages/documents/quantity';
import { lineOfPath, translateStockMessage } from '../../web/src/pages/documents/stock-messages';

/** Quantities on the document screens: exact thousandths, shown the user's way. */
describe('document quantities', () => {
  test('decimal text is read as exact thousandths and written back without needless zeros', () => {
    expect(toThousandths('12.500')).toBe(12500n);
    expect(toThousandths('0.001')).toBe(1n);
    expect(toThousandths('-3')).toBe(-3000n);
    expect(toThousandths('999999999999.999')).toBe(999999999999999n);
    for (const bad of ['', null, undefined, '1.2345', '1,5', 'abc', '1e3'])
      expect(toThousandths(bad)).toBeNull();
    expect(fromThousandths(12500n)).toBe('12.5');
    expect(fromThousandths(17000n)).toBe('17');
    expect(fromThousandths(-1n)).toBe('-0.001');
  });

  test('a quantity is grouped and marked as the locale does, keeping every digit', () => {
    expect(formatQuantity('1234.500', 'en-US')).toBe('1,234.5');
    expect(formatQuantity('1234.500', 'uk-UA')).toMatch(/^1\s234,5$/);
    expect(formatQuantity('20.000', 'en-US')).toBe('20');
    expect(formatQuantity('999999999999.999', 'en-US')).toBe('999,999,999,999.999');
    expect(formatQuantity(null, 'en-US')).toBe('');
  });
});

describe("the ledger's shortage messages", () => {
  test('are said in Ukrainian with Ukrainian numbers, a leading name kept', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'uk',
      resources: { uk: { documents: documents.uk } },
      interpolation: { escapeValue: false },
    });
    const t = i18n.getFixedT('uk', 'documents') as never;
    expect(
      translateStockMessage(t, 'only 17 available (17 on hand, 0 reserved); 20 needed', 'uk-UA'),
    ).toBe('доступно лише 17 (17 на складі, 0 зарезервовано); потрібно 20');
    expect(
      translateStockMessage(t, 'Mug: only 1.5 on hand; 1234 needed', 'uk-UA').replace(/\s/g, ' '),
    ).toBe('Mug: на складі лише 1,5; потрібно 1 234');
    expect(translateStockMessage(t, 'is not a draft', 'uk-UA')).toBe('is not a draft');
  });

  test("an error's path finds its line by position or by id", () => {
    const lines = [
      { id: '0190a1b2-0000-7000-8000-000000000001', version: 1 },
      { id: '0190a1b2-0000-7000-8000-000000000002', version: 1 },
    ];
    expect(lineOfPath('lines[1].quantity', lines)).toBe(lines[1]);
    expect(lineOfPath('lines.0.quantity', lines)).toBe(lines[0]);
    expect(lineOfPath(`components.${lines[1].id}`, lines)).toBe(lines[1]);
    expect(lineOfPath('warehouse_id', lines)).toBeUndefined();
  });
});
