import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { postStock } from '../../server/src/modules/inventory/ledger';
import { browserSession, chromiumAvailable, signIn } from './session';

/** axe's serious and critical findings on the page, one line each ('' when there are none). */
async function seriousViolations(page: Page): Promise<string> {
  // Nothing hovered: a link under the pointer has its hover colours.
  await page.mouse.move(1, 799);
  await page.waitForFunction(
    "document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState === 'finished')",
  );
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

/** The stock screens: a product's stock and its moves, a warehouse's stock, the stock page. */
describe.skipIf(!chromiumAvailable)('the stock screens in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: Page;
  let bolt: { id: string };
  let nut: { id: string };
  let main: { id: string };
  let annex: { id: string };
  beforeAll(async () => {
    ({ s } = session);
    session.page.setDefaultTimeout(10_000);
    bolt = (await s.call('POST', '/api/v1/products', { name: 'Hex bolt M8', kind: 'goods' })).body;
    nut = (await s.call('POST', '/api/v1/products', { name: 'Lock nut M8', kind: 'goods' })).body;
    main = (
      await s.call('POST', '/api/v1/warehouses', { name: 'Main', code: 'MAIN', is_active: true })
    ).body;
    annex = (
      await s.call('POST', '/api/v1/warehouses', { name: 'Annex', code: 'ANX', is_active: true })
    ).body;
    // The nut has stock already, posted through the API.
    const posted = await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: nut.id,
      warehouse_id: main.id,
      quantity: '1500',
      unit_cost: { amount: '0.10', currency: 'EUR' },
    });
    expect(posted.status).toBe(201);
    await signIn(session.page, session.base);
  });
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  const balance = async (productId: string, warehouseId: string) =>
    (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${productId}&warehouse_id=${warehouseId}`,
      )
    ).body.data[0]?.on_hand ?? '0.000';

  test('posts a receipt through the dialog, is refused a too large adjustment by the field, reverses the receipt', async () => {
    await page.goto(`${base}/o/products/${bolt.id}`);
    const section = page.getByRole('region', { name: 'Stock', exact: true });
    await section.getByText('No stock has been posted for this product yet.').waitFor();
    await section.getByText('No moves yet.').waitFor();

    // A receipt of 12.5 at 4.20 each.
    await section.getByRole('button', { name: 'Post a move' }).click();
    const dialog = page.getByRole('dialog', { name: 'Post a stock move: Hex bolt M8' });
    await dialog.waitFor();
    expect(await dialog.getByRole('radio', { name: 'Receipt' }).isChecked()).toBe(true);
    // Posting with nothing chosen says what is missing, without asking the server.
    await dialog.getByRole('button', { name: 'Post' }).click();
    await expect
      .poll(() => dialog.getByRole('textbox', { name: 'Quantity' }).getAttribute('aria-invalid'))
      .toBe('true');
    await dialog.getByRole('combobox', { name: 'Warehouse' }).click();
    await page.getByRole('option', { name: 'Main (MAIN)' }).click();
    await dialog.getByRole('textbox', { name: 'Quantity' }).fill('12.5');
    await dialog.getByRole('textbox', { name: 'Unit cost' }).fill('4.20');
    await page.screenshot({ path: '/tmp/stock-dialog.png' });
    const dialogFindings = await seriousViolations(page);
    await dialog.getByRole('button', { name: 'Post' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByText('The move is posted.').waitFor();
    expect(await balance(bolt.id, main.id)).toBe('12.500');

    // On hand, value and average cost follow, in the user's number format.
    const figure = (label: string) =>
      section.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => figure('On hand in all warehouses').textContent()).toBe('12.5');
    await expect.poll(() => figure('Stock value').textContent()).toBe('€52.50');
    expect(await figure('Average unit cost').textContent()).toBe('€4.20');
    const perWarehouse = section.getByRole('table', { name: 'Stock per warehouse' });
    const mainRow = perWarehouse.getByRole('row', { name: /Main/ });
    expect(await mainRow.getByRole('cell').allTextContents()).toEqual([
      'Main',
      '12.5',
      '0',
      '12.5',
      '0',
    ]);
    const moves = section.getByRole('table', { name: 'Latest moves' });
    const receiptRow = moves.getByRole('row').filter({ hasText: 'Receipt' });
    expect(await receiptRow.count()).toBe(1);
    expect(await receiptRow.textContent()).toContain('+12.5');
    expect(await receiptRow.textContent()).toContain('€52.50');

    // A cost in another currency than the one the bolt is valued in is refused by the cost.
    await section.getByRole('button', { name: 'Post a move' }).click();
    await dialog.waitFor();
    expect(await dialog.getByRole('combobox', { name: 'Currency' }).inputValue()).toBe('EUR');
    await dialog.getByRole('combobox', { name: 'Warehouse' }).click();
    await page.getByRole('option', { name: 'Main (MAIN)' }).click();
    await dialog.getByRole('textbox', { name: 'Quantity' }).fill('1');
    await dialog.getByRole('textbox', { name: 'Unit cost' }).fill('5');
    await dialog.getByRole('combobox', { name: 'Currency' }).fill('USD');
    await page.getByRole('option', { name: 'USD', exact: true }).click();
    await dialog.getByRole('button', { name: 'Post' }).click();
    await dialog.getByText("must be EUR, the currency this product's stock is valued in").waitFor();
    expect(
      await dialog.getByRole('textbox', { name: 'Unit cost' }).getAttribute('aria-invalid'),
    ).toBe('true');
    expect(await balance(bolt.id, main.id)).toBe('12.500');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Taking away 100 is refused: the server's reason shows by the quantity, nothing is written.
    await section.getByRole('button', { name: 'Post a move' }).click();
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'Adjustment' }).check();
    await dialog.getByText('A minus sign takes stock away, e.g. -2.').waitFor();
    await dialog.getByRole('combobox', { name: 'Warehouse' }).click();
    await page.getByRole('option', { name: 'Main (MAIN)' }).click();
    const quantity = dialog.getByRole('textbox', { name: 'Quantity' });
    await quantity.fill('-100');
    await dialog.getByRole('button', { name: 'Post' }).click();
    await dialog.getByText('Please check the fields marked below.').waitFor();
    await expect.poll(() => quantity.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await quantity.getAttribute('aria-describedby')) ?? '';
    const said = (
      await Promise.all(
        describedBy
          .split(' ')
          .filter(Boolean)
          .map((id) => page.locator(`[id="${id}"]`).textContent()),
      )
    ).join(' ');
    expect(said).toContain('only 12.5 on hand; 100 needed');
    await page.screenshot({ path: '/tmp/stock-refused.png' });
    expect(await balance(bolt.id, main.id)).toBe('12.500');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Reversing asks first, then posts the opposite; the receipt shows as reversed.
    await section.getByRole('button', { name: /^Reverse the Receipt of/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Reverse this posting?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await balance(bolt.id, main.id)).toBe('12.500');
    await section.getByRole('button', { name: /^Reverse the Receipt of/ }).click();
    await confirm.getByRole('button', { name: 'Reverse the posting' }).click();
    await confirm.waitFor({ state: 'detached' });
    await section.getByText('The posting is reversed.').waitFor();
    // Its button is gone: the focus is on the section's heading, not lost.
    await expect
      .poll(() =>
        section
          .getByRole('heading', { name: 'Stock', exact: true })
          .evaluate((el) => el === el.ownerDocument.activeElement),
      )
      .toBe(true);
    expect(await balance(bolt.id, main.id)).toBe('0.000');
    await expect.poll(() => figure('On hand in all warehouses').textContent()).toBe('0');
    await moves.getByRole('row').filter({ hasText: 'Reversal' }).waitFor();
    expect(await moves.getByRole('row').filter({ hasText: 'Reversal' }).textContent()).toContain(
      '-12.5',
    );
    await receiptRow.getByText('Reversed').waitFor();
    expect(await section.getByRole('button', { name: /^Reverse the/ }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/stock-product.png', fullPage: true });
    expect(dialogFindings).toBe('');
    expect(await seriousViolations(page)).toBe('');
  });

  test("a transfer moves stock between warehouses; a warehouse's stock sorts by any column", async () => {
    await page.goto(`${base}/o/products/${nut.id}`);
    const section = page.getByRole('region', { name: 'Stock', exact: true });
    await section.getByRole('button', { name: 'Post a move' }).click();
    const dialog = page.getByRole('dialog', { name: 'Post a stock move: Lock nut M8' });
    await dialog.getByRole('radio', { name: 'Transfer' }).check();
    await dialog.getByRole('combobox', { name: 'From warehouse' }).click();
    await page.getByRole('option', { name: 'Main (MAIN)' }).click();
    await dialog.getByRole('combobox', { name: 'To warehouse' }).click();
    await page.getByRole('option', { name: 'Annex (ANX)' }).click();
    await dialog.getByRole('textbox', { name: 'Quantity' }).fill('1,250.5');
    await dialog.getByRole('button', { name: 'Post' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await balance(nut.id, main.id)).toBe('249.500');
    expect(await balance(nut.id, annex.id)).toBe('1250.500');
    // A transfer is reversed as a whole: one button for its two moves.
    await expect
      .poll(() => section.getByRole('button', { name: /^Reverse the Transfer of/ }).count())
      .toBe(1);
    // The receipt cannot be reversed now: most of it has moved to the annex. The dialog says so.
    await section.getByRole('button', { name: /^Reverse the Receipt of/ }).click();
    const confirm = page.getByRole('dialog', { name: 'Reverse this posting?' });
    await confirm.getByRole('button', { name: 'Reverse the posting' }).click();
    await confirm.getByText('only 249.5 on hand; 1,500 needed').waitFor();
    expect(await balance(nut.id, main.id)).toBe('249.500');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });

    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: bolt.id,
      warehouse_id: main.id,
      quantity: '300',
      unit_cost: { amount: '1.00', currency: 'EUR' },
    });
    // A move that came from a document links to it, and is corrected there, not reversed here.
    const acme = (await s.call('POST', '/api/v1/companies', { name: 'Acme Berlin GmbH' })).body;
    await s.asSystem((ctx) =>
      postStock(ctx, 'shipment', [
        {
          productId: nut.id,
          warehouseId: main.id,
          quantity: -10_000n,
          document: { object: 'companies', id: acme.id },
        },
      ]),
    );
    await page.reload();
    const shipment = section
      .getByRole('table', { name: 'Latest moves' })
      .getByRole('row')
      .filter({ hasText: 'Shipment' });
    await shipment.getByRole('link', { name: 'Company Acme Berlin GmbH' }).waitFor();
    expect(await shipment.getByRole('button').count()).toBe(0);
    await shipment.getByRole('link', { name: 'Company Acme Berlin GmbH' }).click();
    await page.getByRole('heading', { name: 'Acme Berlin GmbH', level: 1 }).waitFor();

    await page.goto(`${base}/o/warehouses/${main.id}`);
    const stock = page.getByRole('region', { name: 'Stock in this warehouse' });
    const table = stock.getByRole('table', { name: 'Stock in this warehouse' });
    await table.getByRole('link', { name: 'Lock nut M8' }).waitFor();
    const names = async () =>
      (await table.locator('tbody tr').allTextContents()).map((r) => r.replace(/[\d.,]+/g, ''));
    expect(await names()).toEqual(['Hex bolt M', 'Lock nut M']);
    const onHandHeader = table.getByRole('columnheader', { name: /On hand/ });
    await onHandHeader.getByRole('button').click();
    expect(await onHandHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await names()).toEqual(['Hex bolt M', 'Lock nut M']);
    await onHandHeader.getByRole('button').press('Enter');
    expect(await onHandHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await names()).toEqual(['Lock nut M', 'Hex bolt M']);
    expect(
      await table
        .getByRole('row', { name: /Lock nut/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['Lock nut M8', '239.5', '0', '239.5', '0']);
    await page.screenshot({ path: '/tmp/stock-warehouse.png', fullPage: true });
    expect(await seriousViolations(page)).toBe('');
    await table.getByRole('link', { name: 'Lock nut M8' }).click();
    await page.getByRole('heading', { name: 'Lock nut M8', level: 1 }).waitFor();

    // A service holds no stock: its page has no stock section.
    const service = (
      await s.call('POST', '/api/v1/products', { name: 'Installation', kind: 'service' })
    ).body;
    await page.goto(`${base}/o/products/${service.id}`);
    await page.getByRole('heading', { name: 'Installation', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('region', { name: 'Stock', exact: true }).count()).toBe(0);
  });

  test('the stock page: value now and at the end of a day, per product; in Ukrainian too', async () => {
    await page.goto(`${base}/`);
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Stock', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Stock', level: 1 }).waitFor();
    // 1490 nuts at 0.10 and 300 bolts at 1.00.
    const now = page.getByRole('region', { name: 'Stock value now' });
    await now.getByText('€449.00').waitFor();
    const list = page.getByRole('table', { name: 'Per product' });
    await list.getByRole('link', { name: 'Hex bolt M8' }).waitFor();
    expect(
      await list
        .getByRole('row', { name: /Lock nut/ })
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['Lock nut M8', '1,490', '€149.00', '€0.10']);

    // The test server's clock stands at 2 March 2026, 10:00 UTC: nothing was in stock the day before.
    const date = page.getByLabel('Date');
    await date.fill('2026-03-01');
    const then = page.getByRole('region', { name: /^Stock value at the end of/ });
    await then.getByText('Nothing in stock').waitFor();
    await page.getByText('No product has stock.').waitFor();
    await date.fill('2026-03-02');
    await then.getByText('€449.00').waitFor();
    await page.getByRole('heading', { name: 'Per product at the end of Mar 2, 2026' }).waitFor();
    await page.screenshot({ path: '/tmp/stock-page.png', fullPage: true });
    expect(await seriousViolations(page)).toBe('');

    // In Ukrainian: the words and the number format follow the user.
    const users = (await s.call('GET', '/api/v1/users')).body.data as {
      id: string;
      email: string;
    }[];
    const admin = users.find((u) => u.email === 'admin@example.com')!;
    await s.call('PATCH', `/api/v1/users/${admin.id}`, { locale: 'uk' });
    try {
      await page.goto(`${base}/stock`);
      await page.getByRole('heading', { name: 'Запаси', level: 1 }).waitFor();
      const ukList = page.getByRole('table', { name: 'За товарами' });
      await expect
        .poll(async () =>
          (
            await ukList
              .getByRole('row', { name: /Lock nut/ })
              .getByRole('cell')
              .allTextContents()
          ).map((c) => c.replace(/\s/g, ' ')),
        )
        // Chromium's Ukrainian data writes the euro as "EUR".
        .toEqual(['Lock nut M8', '1 490', '149,00 EUR', '0,10 EUR']);
      await page.goto(`${base}/o/products/${nut.id}`);
      const section = page.getByRole('region', { name: 'Запаси', exact: true });
      await section.getByRole('table', { name: 'Запаси за складами' }).waitFor();
      await section.getByRole('columnheader', { name: 'У наявності' }).waitFor();
      await page.screenshot({ path: '/tmp/stock-uk.png', fullPage: true });
    } finally {
      await s.call('PATCH', `/api/v1/users/${admin.id}`, { locale: 'en' });
    }
  });
});
