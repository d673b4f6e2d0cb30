import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/** axe's serious and critical findings on the page, one line each; empty when clean. */
async function seriousViolations(page: Page): Promise<string> {
  await page.waitForFunction(
    "document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState === 'finished')",
  );
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

/** The text of one cell of a lines table: row `line` (1-based), column by its header. */
async function cell(page: Page, table: string, line: number, column: string): Promise<string> {
  const t = page.getByRole('table', { name: table });
  const headers = await t.locator('thead th').allTextContents();
  const i = headers.findIndex((h) => h.trim() === column);
  if (i < 0) throw new Error(`no column ${column} in ${headers.join(' | ')}`);
  return (
    (await t
      .locator('tbody tr')
      .nth(line - 1)
      .locator('td')
      .nth(i)
      .textContent()) ?? ''
  ).trim();
}

describe.skipIf(!chromiumAvailable)('document screens', () => {
  const session = browserSession();
  let productId: string;
  let warehouseId: string;
  let quoteId: string;

  beforeAll(async () => {
    const { s, base, page } = session;
    const company = (await s.call('POST', '/api/v1/companies', { name: 'Alfreds Futterkiste' }))
      .body;
    const warehouse = (await s.call('POST', '/api/v1/warehouses', { name: 'Main warehouse' })).body;
    warehouseId = warehouse.id;
    const product = (
      await s.call('POST', '/api/v1/products', {
        name: 'Chai',
        kind: 'goods',
        price: { amount: '18.00', currency: 'EUR' },
      })
    ).body;
    productId = product.id;
    const receipt = await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: warehouse.id,
      quantity: '17',
      unit_cost: { amount: '10.00', currency: 'EUR' },
    });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    const quote = await s.call('POST', '/api/v1/quotes', {
      company_id: company.id,
      warehouse_id: warehouse.id,
      currency: 'EUR',
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    quoteId = quote.body.id;
    await signIn(page, base);
  });

  test('a quote for 20 with 17 in stock shows the shortage, converts, confirms with backorder and ships', async () => {
    const { s, base, page } = session;
    await page.goto(`${base}/o/quotes/${quoteId}`);
    await page.getByRole('heading', { name: /^Quote QT-\d{6}$/ }).waitFor();
    await page.getByText('No lines yet: add the first one below.').waitFor();

    // A line typed with the keyboard: pick the product, quantity 20, a price, Enter.
    const form = page.getByRole('form', { name: 'Add a line' });
    await form.getByRole('combobox', { name: 'Product' }).fill('Chai');
    await page.getByRole('option', { name: 'Chai' }).click();
    await form.getByRole('textbox', { name: 'Quantity' }).fill('2');
    // The price comes from the catalog as soon as the product is chosen.
    await expect
      .poll(() => form.getByRole('textbox', { name: 'Unit price, EUR' }).inputValue())
      .toBe('18.00');
    await form.getByRole('textbox', { name: 'Discount, %' }).fill('10');
    await form.getByRole('textbox', { name: 'Discount, %' }).press('Enter');
    await expect.poll(() => cell(page, 'Lines', 1, 'Net')).toBe('€32.40');

    // A second line by keyboard alone (the product picker has the focus again), deleted again;
    // then the first changed to 20.
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.labels?.[0]?.textContent ?? ''"))
      .toMatch(/^Product/);
    await page.keyboard.type('Chai');
    await page.getByRole('option', { name: 'Chai' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('0');
    await page.keyboard.press('Enter');
    // A quantity of zero: the server's reason under the field, nothing added.
    await form.getByText('must be more than zero').waitFor();
    await form.getByRole('textbox', { name: 'Quantity' }).fill('1');
    await expect
      .poll(() => form.getByRole('textbox', { name: 'Unit price, EUR' }).inputValue())
      .toBe('18.00');
    await form.getByRole('textbox', { name: 'Quantity' }).press('Enter');
    await page.getByRole('button', { name: 'Delete line 2' }).waitFor();
    await page.getByRole('button', { name: 'Delete line 2' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Lines' }).locator('tbody tr').count())
      .toBe(1);
    await page.getByRole('button', { name: 'Change line 1' }).click();
    const change = page.getByRole('form', { name: 'Change line 1' });
    const quantity = change.getByRole('textbox', { name: 'Quantity' });
    expect(await quantity.inputValue()).toBe('2');
    expect(await change.getByRole('textbox', { name: 'Discount, %' }).inputValue()).toBe('10');
    await quantity.fill('20');
    await quantity.press('Enter');
    await change.waitFor({ state: 'detached' });

    // The server computed the amounts; availability shows 17 on hand and a shortage of 3.
    await expect.poll(() => cell(page, 'Lines', 1, 'Net')).toBe('€324.00');
    expect(await cell(page, 'Lines', 1, 'Quantity')).toBe('20');
    expect(await cell(page, 'Lines', 1, 'Discount')).toBe('10%');
    await expect.poll(() => cell(page, 'Lines', 1, 'On hand')).toBe('17');
    expect(await cell(page, 'Lines', 1, 'Available')).toBe('17');
    expect(await cell(page, 'Lines', 1, 'Incoming')).toBe('0');
    expect(await cell(page, 'Lines', 1, 'Shortage')).toBe('3');
    const totals = page.getByRole('definition');
    await expect.poll(() => page.locator('[data-total=total]').textContent()).toBe('€324.00');
    expect(await totals.count()).toBe(3);
    expect(await seriousViolations(page)).toBe('');
    await page.screenshot({ path: '/tmp/docs-quote.png', fullPage: true });
    // The PDF button opens the server's PDF of this quote, in a new tab, as the user.
    const pdf = page.getByRole('link', { name: 'PDF' });
    expect(await pdf.getAttribute('href')).toBe(`/api/v1/quotes/${quoteId}/pdf`);
    expect(await pdf.getAttribute('target')).toBe('_blank');
    const file = await page.request.get(`${base}/api/v1/quotes/${quoteId}/pdf`);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // Converting opens the new order.
    await page.getByRole('button', { name: 'Convert to order' }).click();
    await page.getByRole('heading', { name: /^Sales order SO-\d{6}$/ }).waitFor();
    const orderId = page.url().split('/').pop()!;
    expect((await s.call('GET', `/api/v1/quotes/${quoteId}`)).body.status).toBe('accepted');
    await expect.poll(() => cell(page, 'Lines', 1, 'Shortage')).toBe('3');

    // Confirming strictly is refused with the shortage of the line; then with backorder.
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not enough stock to confirm' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'Line 1 (Chai): only 17 available (17 on hand, 0 reserved); 20 needed',
    );
    expect(await seriousViolations(page)).toBe('');
    await page.screenshot({ path: '/tmp/docs-shortage.png', fullPage: true });
    await page.getByRole('button', { name: 'Confirm with backorder' }).click();
    await page.locator('[data-status=confirmed]').waitFor();
    await expect.poll(() => cell(page, 'Lines', 1, 'Reserved')).toBe('17');
    expect(await cell(page, 'Lines', 1, 'Backorder')).toBe('3');
    expect(await cell(page, 'Lines', 1, 'Shipped')).toBe('0');
    await page.screenshot({ path: '/tmp/docs-confirmed.png', fullPage: true });
    // Confirmed: the warehouse and company are fixed, the notes may still change.
    expect(await page.getByRole('button', { name: 'Change Warehouse' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Change Company' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Change Notes' }).click();
    await page.getByRole('textbox', { name: 'Notes' }).fill('Deliver to the back door');
    await page.keyboard.press('Control+Enter');
    // Shown in the field and, as a change, in the timeline.
    await page.getByText('Deliver to the back door').first().waitFor();
    await page.getByRole('button', { name: 'Change Notes' }).waitFor();

    // Ship: the dialog offers what is reserved.
    await page.getByRole('button', { name: 'Ship…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ship the order' });
    const qty = dialog.getByRole('textbox', { name: 'Quantity to ship, line 1' });
    expect(await qty.inputValue()).toBe('17');
    expect(await seriousViolations(page)).toBe('');
    await page.screenshot({ path: '/tmp/docs-ship.png', fullPage: true });
    await dialog.getByRole('button', { name: 'Ship', exact: true }).click();
    await page.locator('[data-status=partly_shipped]').waitFor();
    await expect.poll(() => cell(page, 'Lines', 1, 'Shipped')).toBe('17');
    expect(await cell(page, 'Lines', 1, 'Reserved')).toBe('0');

    // Three more are bought: once the purchase order is confirmed the order shows them incoming;
    // once received, reserving the backorder and shipping it ships the order.
    expect(await cell(page, 'Lines', 1, 'Incoming')).toBe('0');
    const supplier = (
      await s.call('POST', '/api/v1/companies', { name: 'Specialty Biscuits', is_supplier: true })
    ).body;
    const po = await s.call('POST', '/api/v1/purchase_orders', {
      supplier_id: supplier.id,
      warehouse_id: warehouseId,
      currency: 'EUR',
    });
    expect(po.status, JSON.stringify(po.body)).toBe(201);
    const poLine = await s.call('POST', '/api/v1/purchase_order_lines', {
      order_id: po.body.id,
      product_id: productId,
      quantity: '3',
      unit_price: { amount: '10.00', currency: 'EUR' },
    });
    expect(poLine.status, JSON.stringify(poLine.body)).toBe(201);
    expect((await s.call('POST', `/api/v1/purchase_orders/${po.body.id}/confirm`, {})).status).toBe(
      200,
    );
    await page.reload();
    await expect.poll(() => cell(page, 'Lines', 1, 'Incoming')).toBe('3');
    const received = await s.call('POST', `/api/v1/purchase_orders/${po.body.id}/receive`, {});
    expect(received.status, JSON.stringify(received.body)).toBe(201);
    await page.getByRole('button', { name: 'Reserve backorders' }).click();
    await expect.poll(() => cell(page, 'Lines', 1, 'Reserved')).toBe('3');
    expect(await cell(page, 'Lines', 1, 'Backorder')).toBe('0');
    await page.getByRole('button', { name: 'Ship…' }).click();
    expect(
      await page
        .getByRole('dialog', { name: 'Ship the order' })
        .getByRole('textbox', { name: 'Quantity to ship, line 1' })
        .inputValue(),
    ).toBe('3');
    await page
      .getByRole('dialog', { name: 'Ship the order' })
      .getByRole('button', { name: 'Ship', exact: true })
      .click();
    await page.locator('[data-status=shipped]').waitFor();
    await expect.poll(() => cell(page, 'Lines', 1, 'Shipped')).toBe('20');
    expect(await page.getByRole('button', { name: 'Ship…' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/docs-shipped.png', fullPage: true });

    const order = (await s.call('GET', `/api/v1/sales_orders/${orderId}`)).body;
    expect(order.status).toBe('shipped');
    const balance = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${productId}&warehouse_id=${warehouseId}`,
      )
    ).body.data[0];
    expect(balance).toMatchObject({ on_hand: '0.000', reserved: '0.000' });
  });

  test('the reorder screen drafts a purchase order, which is sent, confirmed and received with an over-delivery', async () => {
    const { s, base, page } = session;
    const supplier = (
      await s.call('POST', '/api/v1/companies', { name: 'Exotic Liquids', is_supplier: true })
    ).body;
    const chang = (
      await s.call('POST', '/api/v1/products', { name: 'Chang', kind: 'goods', sku: 'NW-2' })
    ).body;
    const price = await s.call('POST', '/api/v1/supplier_prices', {
      supplier_id: supplier.id,
      product_id: chang.id,
      price: { amount: '9.50', currency: 'EUR' },
    });
    expect(price.status, JSON.stringify(price.body)).toBe(201);
    const point = await s.call('POST', '/api/v1/reorder_points', {
      product_id: chang.id,
      warehouse_id: warehouseId,
      min_quantity: '10',
      reorder_quantity: '25',
    });
    expect(point.status, JSON.stringify(point.body)).toBe(201);

    // The sidebar leads to the reorder screen; the suggestion is the reorder quantity.
    await page.goto(`${base}/`);
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'What to reorder' })
      .click();
    await page.getByRole('heading', { name: 'What to reorder' }).waitFor();
    // The pointer leaves the link it clicked (a hovered link is drawn differently).
    await page.mouse.move(640, 10);
    const qty = page.getByRole('textbox', { name: 'Order quantity of Chang (NW-2)' });
    expect(await qty.inputValue()).toBe('25');
    expect(await page.getByRole('checkbox', { name: 'Choose Chang (NW-2)' }).isChecked()).toBe(
      true,
    );
    await qty.fill('30');
    expect(await seriousViolations(page)).toBe('');
    await page.screenshot({ path: '/tmp/docs-reorder.png', fullPage: true });
    await page.getByRole('button', { name: 'Draft purchase orders' }).click();
    const drafted = page.getByRole('status').filter({ hasText: '1 purchase order drafted' });
    await drafted.waitFor();
    expect(await page.getByRole('checkbox', { name: 'Choose Chang (NW-2)' }).isChecked()).toBe(
      false,
    );
    expect(await page.getByRole('button', { name: 'Draft purchase orders' }).isDisabled()).toBe(
      true,
    );
    await drafted.getByRole('link', { name: /^PO-\d{6}$/ }).click();

    // The drafted order: one line at the supplier's price.
    await page.getByRole('heading', { name: /^Purchase order PO-\d{6}$/ }).waitFor();
    const orderId = page.url().split('/').pop()!;
    await expect.poll(() => cell(page, 'Lines', 1, 'Quantity')).toBe('30');
    expect(await cell(page, 'Lines', 1, 'Unit price')).toBe('€9.50');
    expect(await cell(page, 'Lines', 1, 'Net')).toBe('€285.00');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('[data-status=sent]').waitFor();
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.locator('[data-status=confirmed]').waitFor();

    // Receiving 32 of 30: taken in, and reported as 2 more than ordered.
    await page.getByRole('button', { name: 'Receive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Receive the order' });
    const received = dialog.getByRole('textbox', { name: 'Quantity received, line 1' });
    expect(await received.inputValue()).toBe('30');
    expect(await dialog.getByRole('textbox', { name: 'Unit cost, line 1' }).inputValue()).toBe(
      '9.50',
    );
    await received.fill('32');
    await dialog.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.locator('[data-status=received]').waitFor();
    const report = page.getByRole('status').filter({ hasText: /Received: RC-\d{6}/ });
    await report.waitFor();
    expect(await report.textContent()).toContain(
      'Chang: ordered 30, received 32: 2 more than ordered',
    );
    await expect.poll(() => cell(page, 'Lines', 1, 'Received')).toBe('32');
    expect(await seriousViolations(page)).toBe('');
    await page.screenshot({ path: '/tmp/docs-po-received.png', fullPage: true });
    expect((await s.call('GET', `/api/v1/purchase_orders/${orderId}`)).body.status).toBe(
      'received',
    );
    const balance = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${chang.id}&warehouse_id=${warehouseId}`,
      )
    ).body.data[0];
    expect(balance).toMatchObject({ on_hand: '32.000', incoming: '0.000' });
  });

  test('a document speaks Ukrainian: words, numbers and money in the Ukrainian way', async () => {
    const { s, base, page } = session;
    const users = (await s.call('GET', '/api/v1/users')).body.data as {
      id: string;
      email: string;
    }[];
    const me = users.find((u) => u.email === 'admin@example.com')!;
    const ikura = (await s.call('POST', '/api/v1/products', { name: 'Ikura', kind: 'goods' })).body;
    const order = (
      await s.call('POST', '/api/v1/sales_orders', { warehouse_id: warehouseId, currency: 'EUR' })
    ).body;
    const line = await s.call('POST', '/api/v1/sales_order_lines', {
      order_id: order.id,
      product_id: ikura.id,
      quantity: '1234.5',
      unit_price: { amount: '2.00', currency: 'EUR' },
    });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
    expect((await s.call('PATCH', `/api/v1/users/${me.id}`, { locale: 'uk' })).status).toBe(200);
    try {
      await page.goto(`${base}/o/sales_orders/${order.id}`);
      await page.getByRole('button', { name: 'Підтвердити', exact: true }).waitFor();
      await page.getByRole('columnheader', { name: 'Нестача' }).waitFor();
      await expect.poll(() => cell(page, 'Рядки', 1, 'Кількість')).toMatch(/^1\s234,5$/);
      // None is in stock: the whole line is short.
      await expect.poll(() => cell(page, 'Рядки', 1, 'Нестача')).toMatch(/^1\s234,5$/);
      await expect
        .poll(() => page.locator('[data-total=total]').textContent())
        .toMatch(/^2\s469,00\s(€|EUR)$/);
      await page.getByRole('form', { name: 'Додати рядок' }).waitFor();
      expect(await seriousViolations(page)).toBe('');
      await page.screenshot({ path: '/tmp/docs-uk.png', fullPage: true });
      // The ledger's reason for refusing, in Ukrainian with Ukrainian numbers.
      await page.getByRole('button', { name: 'Підтвердити', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Замало товару для підтвердження' });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(
        /Рядок 1 \(Ikura\): доступно лише 0 \(0 на складі, 0 зарезервовано\); потрібно 1\s234,5/,
      );
      await alert.getByRole('button', { name: 'Підтвердити з недопоставкою' }).waitFor();
    } finally {
      await s.call('PATCH', `/api/v1/users/${me.id}`, { locale: 'en' });
    }
  });

  test('a production order shows its short component, is refused, then confirmed and completed', async () => {
    const { s, base, page } = session;
    const made = async (name: string) =>
      (await s.call('POST', '/api/v1/products', { name, kind: 'goods' })).body;
    const tea = await made('Darjeeling');
    const mug = await made('Mug');
    const kit = await made('Tea set');
    const bom = await s.call('POST', '/api/v1/bills_of_materials', {
      name: 'Tea set',
      product_id: kit.id,
      output_quantity: '1',
      is_active: true,
    });
    expect(bom.status, JSON.stringify(bom.body)).toBe(201);
    for (const [component, quantity] of [
      [tea, '2'],
      [mug, '1'],
    ] as const) {
      const c = await s.call('POST', '/api/v1/bom_lines', {
        bom_id: bom.body.id,
        component_id: component.id,
        quantity,
      });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
    }
    const receive = async (productId: string, quantity: string) => {
      const r = await s.call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: productId,
        warehouse_id: warehouseId,
        quantity,
        unit_cost: { amount: '3.00', currency: 'EUR' },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    };
    await receive(tea.id, '10');
    await receive(mug.id, '1');
    const order = await s.call('POST', '/api/v1/production_orders', {
      product_id: kit.id,
      quantity: '2',
      warehouse_id: warehouseId,
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);

    await page.goto(`${base}/o/production_orders/${order.body.id}`);
    await page.getByRole('heading', { name: /^Production order MO-\d{6}$/ }).waitFor();
    const table = 'Components';
    await expect.poll(() => cell(page, table, 1, 'Component')).toBe('Darjeeling');
    expect(await cell(page, table, 1, 'Needed')).toBe('4');
    expect(await cell(page, table, 1, 'Shortage')).toBe('In stock');
    expect(await cell(page, table, 2, 'Needed')).toBe('2');
    expect(await cell(page, table, 2, 'Available')).toBe('1');
    expect(await cell(page, table, 2, 'Shortage')).toBe('1');
    await page.getByRole('status').filter({ hasText: '1 component is short' }).waitFor();
    expect(await seriousViolations(page)).toBe('');
    await page.screenshot({ path: '/tmp/docs-production.png', fullPage: true });

    // Confirming reserves all or nothing: refused, with the short component named.
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Nothing was done' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Mug: only 1 available');
    await receive(mug.id, '1');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await page.locator('[data-status=confirmed]').waitFor();
    await expect.poll(() => cell(page, table, 2, 'Reserved')).toBe('2');
    await page.getByRole('button', { name: 'Complete', exact: true }).click();
    await page.locator('[data-status=done]').waitFor();
    await page.screenshot({ path: '/tmp/docs-production-done.png', fullPage: true });
    expect((await s.call('GET', `/api/v1/production_orders/${order.body.id}`)).body.status).toBe(
      'done',
    );
    const made2 = (
      await s.call('GET', `/api/v1/stock/balances?product_id=${kit.id}&warehouse_id=${warehouseId}`)
    ).body.data[0];
    expect(made2).toMatchObject({ on_hand: '2.000' });
  });

  test('a quote is sent and rejected; a confirmed order is cancelled after asking, releasing its stock', async () => {
    const { s, base, page } = session;
    const olive = (await s.call('POST', '/api/v1/products', { name: 'Olive oil', kind: 'goods' }))
      .body;
    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: olive.id,
      warehouse_id: warehouseId,
      quantity: '5',
      unit_cost: { amount: '4.00', currency: 'EUR' },
    });
    const quote = (
      await s.call('POST', '/api/v1/quotes', { warehouse_id: warehouseId, currency: 'EUR' })
    ).body;
    await s.call('POST', '/api/v1/quote_lines', {
      quote_id: quote.id,
      product_id: olive.id,
      quantity: '2',
      unit_price: { amount: '7.00', currency: 'EUR' },
    });
    await page.goto(`${base}/o/quotes/${quote.id}`);
    // A line typed but not added is not lost silently.
    const form = page.getByRole('form', { name: 'Add a line' });
    await form.getByRole('textbox', { name: 'Quantity' }).fill('3');
    await page.getByRole('main').getByRole('link', { name: 'Quotes', exact: true }).click();
    const leave = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await leave.getByRole('button', { name: 'Keep editing' }).click();
    expect(await form.getByRole('textbox', { name: 'Quantity' }).inputValue()).toBe('3');
    await form.getByRole('textbox', { name: 'Quantity' }).fill('');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('[data-status=sent]').waitFor();
    // A sent quote is no longer edited: no line form, no line buttons.
    expect(await page.getByRole('form', { name: 'Add a line' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete line 1' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    await page.locator('[data-status=rejected]').waitFor();
    const actions = page.getByRole('group', { name: 'Document actions' });
    expect(await actions.getByRole('button', { name: 'Convert to order' }).count()).toBe(0);
    expect(await actions.getByRole('button', { name: 'Accept' }).count()).toBe(0);

    const order = (
      await s.call('POST', '/api/v1/sales_orders', { warehouse_id: warehouseId, currency: 'EUR' })
    ).body;
    await s.call('POST', '/api/v1/sales_order_lines', {
      order_id: order.id,
      product_id: olive.id,
      quantity: '4',
      unit_price: { amount: '7.00', currency: 'EUR' },
    });
    expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {})).status).toBe(200);
    await page.goto(`${base}/o/sales_orders/${order.id}`);
    await expect.poll(() => cell(page, 'Lines', 1, 'Reserved')).toBe('4');
    // On a phone the page does not scroll sideways: the lines scroll in their own box.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.getByRole('button', { name: 'Cancel order…' }).waitFor();
      await page.screenshot({ path: '/tmp/docs-phone.png', fullPage: true });
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth'),
      ).toBeLessThanOrEqual(390);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await page.getByRole('button', { name: 'Cancel order…' }).click();
    const ask = page.getByRole('alertdialog');
    await ask.getByText('its reservations are released').waitFor();
    await ask.getByRole('button', { name: 'Keep it' }).click();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect((await s.call('GET', `/api/v1/sales_orders/${order.id}`)).body.status).toBe('confirmed');
    await page.getByRole('button', { name: 'Cancel order…' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel the order' }).click();
    await page.locator('[data-status=cancelled]').waitFor();
    await expect.poll(() => cell(page, 'Lines', 1, 'Reserved')).toBe('0');
    const balance = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${olive.id}&warehouse_id=${warehouseId}`,
      )
    ).body.data[0];
    expect(balance).toMatchObject({ on_hand: '5.000', reserved: '0.000' });
  });
});
