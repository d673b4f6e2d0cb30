import { afterEach, describe, expect, test } from 'vitest';
import { createRecord } from '../../server/src/core/records/write';
import { localizeMessage } from '../../server/src/http/messages';
import { verifyStock } from '../../server/src/modules/inventory/ledger';
import { DIALECTS, callAs, serverFor, startServer, type TestServer } from '../helpers';

type Call = TestServer['call'];

/** A company, a warehouse and a product to sell, each new. */
async function world(call: Call) {
  const tag = Math.random().toString(36).slice(2, 8);
  const company = (await call('POST', '/api/v1/companies', { name: `Buyer ${tag}` })).body;
  const warehouse = (await call('POST', '/api/v1/warehouses', { name: `Main ${tag}` })).body;
  const product = (await call('POST', '/api/v1/products', { name: `Chai ${tag}`, kind: 'goods' }))
    .body;
  return { company, warehouse, product };
}

const eur = (amount: string) => ({ amount, currency: 'EUR' });

function helpers(call: Call) {
  return {
    receive: async (productId: string, warehouseId: string, quantity: string) => {
      const r = await call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: productId,
        warehouse_id: warehouseId,
        quantity,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    },
    document: async (object: 'quotes' | 'sales_orders', fields: Record<string, unknown>) => {
      const r = await call('POST', `/api/v1/${object}`, { currency: 'EUR', ...fields });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    line: async (object: 'quote_lines' | 'sales_order_lines', fields: Record<string, unknown>) => {
      const r = await call('POST', `/api/v1/${object}`, { unit_price: eur('1.00'), ...fields });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body;
    },
    get: async (object: string, id: string) => (await call('GET', `/api/v1/${object}/${id}`)).body,
  };
}

describe.each(DIALECTS)('sales on %s', (dialect) => {
  const s = serverFor(dialect);

  // After every test the balances and reservations must be what the ledger says.
  afterEach(async () => {
    expect(await verifyStock(s.kontor.database.db)).toMatchObject({ differences: [] });
  });

  test('quotes, orders and shipments are numbered in order; number and status are not input', async () => {
    const h = helpers(s.call);
    const a = await h.document('quotes', {});
    const b = await h.document('quotes', {});
    expect(a.number).toMatch(/^QT-\d{6}$/);
    expect(Number(b.number.slice(3))).toBe(Number(a.number.slice(3)) + 1);
    expect(a.status).toBe('draft');
    const order = await h.document('sales_orders', {});
    expect(order.number).toMatch(/^SO-\d{6}$/);
    expect(order.status).toBe('draft');
    for (const body of [{ number: 'QT-999999' }, { status: 'accepted' }]) {
      const res = await s.call('POST', '/api/v1/quotes', { currency: 'EUR', ...body });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: Object.keys(body)[0], message: 'is read-only' }]);
      const patch = await s.call('PATCH', `/api/v1/quotes/${a.id}`, body);
      expect(patch.status).toBe(400);
    }
  });

  test('line amounts round half-even per line; the totals are sums of the rounded lines', async () => {
    const h = helpers(s.call);
    const { product } = await world(s.call);
    const quote = await h.document('quotes', {});
    // 0.5 × 0.05 = 0.025 → 0.02 and 1.5 × 0.05 = 0.075 → 0.08: half to even, not half up.
    const l1 = await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '0.5',
      unit_price: eur('0.05'),
    });
    expect(l1).toMatchObject({
      position: 1,
      description: product.name,
      net: { amount_minor: 2 },
      tax: { amount_minor: 0 },
      total: { amount_minor: 2 },
    });
    const l2 = await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '1.5',
      unit_price: eur('0.05'),
    });
    expect(l2).toMatchObject({ position: 2, net: { amount_minor: 8 } });
    // 3 × 10.00 less 12.5 % = 26.25.
    const l3 = await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '3',
      unit_price: eur('10.00'),
      discount: '12.5',
    });
    expect(l3).toMatchObject({ net: { amount_minor: 2625 }, discount: '12.50' });
    // Taxes are copied onto the line by the catalog's pricing; here set as module code may.
    const taxed = await s.asSystem(async (ctx) => {
      const excluded = await createRecord(
        ctx,
        'quote_lines',
        {
          quote_id: quote.id,
          product_id: product.id,
          quantity: '1',
          unit_price: { amount: '0.25', currency: 'EUR' },
          tax_rate: '10',
          tax_included: false,
        },
        { system: true },
      );
      const included = await createRecord(
        ctx,
        'quote_lines',
        {
          quote_id: quote.id,
          product_id: product.id,
          quantity: '1',
          unit_price: { amount: '1.20', currency: 'EUR' },
          tax_rate: '20',
          tax_included: true,
        },
        { system: true },
      );
      return { excluded, included };
    });
    // 10 % of 0.25 is 0.025 → 0.02; 1.20 with 20 % included is 1.00 + 0.20.
    expect(taxed.excluded).toMatchObject({
      net: { amount_minor: 25 },
      tax: { amount_minor: 2 },
      total: { amount_minor: 27 },
    });
    expect(taxed.included).toMatchObject({
      net: { amount_minor: 100 },
      tax: { amount_minor: 20 },
      total: { amount_minor: 120 },
    });
    const totals = await h.get('quotes', quote.id);
    expect(totals).toMatchObject({
      net_total: { amount_minor: 2 + 8 + 2625 + 25 + 100, currency: 'EUR' },
      tax_total: { amount_minor: 2 + 20 },
      total: { amount_minor: 2 + 8 + 2625 + 27 + 120 },
    });

    // Changing or deleting a line in the draft recomputes the line and the totals.
    const changed = await s.call('PATCH', `/api/v1/quote_lines/${l3.id}`, { discount: '0' });
    expect(changed.body.net.amount_minor).toBe(3000);
    expect((await s.call('DELETE', `/api/v1/quote_lines/${l1.id}`)).status).toBe(200);
    expect((await h.get('quotes', quote.id)).net_total.amount_minor).toBe(8 + 3000 + 25 + 100);
  });

  test('a quote goes draft → sent → accepted or rejected; other moves and late line changes are refused', async () => {
    const h = helpers(s.call);
    const { product, company } = await world(s.call);
    const quote = await h.document('quotes', { company_id: company.id });
    const empty = await s.call('POST', `/api/v1/quotes/${quote.id}/send`);
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'lines', message: 'the quote has no lines' }]);
    const line = await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '2',
    });
    const early = await s.call('POST', `/api/v1/quotes/${quote.id}/accept`);
    expect(early.status).toBe(409);
    expect(early.body.errors).toEqual([{ path: 'status', message: 'is draft' }]);
    expect((await s.call('POST', `/api/v1/quotes/${quote.id}/send`)).body.quote.status).toBe(
      'sent',
    );
    expect((await s.call('POST', `/api/v1/quotes/${quote.id}/send`)).status).toBe(409);
    const refused = await s.call('POST', `/api/v1/quotes/${quote.id}/send`);
    expect(localizeMessage(refused.body.detail, 'uk')).toBe(
      `Документ ${quote.number} у стані «sent»; ця дія недоступна`,
    );

    // A sent quote's lines and worth are fixed; its notes are not.
    const edit = await s.call('PATCH', `/api/v1/quote_lines/${line.id}`, { quantity: '3' });
    expect(edit.status).toBe(409);
    expect(edit.body.errors).toEqual([{ path: 'quote_id', message: 'is not a draft quote' }]);
    const add = await s.call('POST', '/api/v1/quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '1',
      unit_price: eur('1.00'),
    });
    expect(add.status).toBe(409);
    expect((await s.call('DELETE', `/api/v1/quote_lines/${line.id}`)).status).toBe(409);
    const currency = await s.call('PATCH', `/api/v1/quotes/${quote.id}`, { currency: 'USD' });
    expect(currency.status).toBe(409);
    expect(currency.body.errors).toEqual([
      { path: 'currency', message: 'is fixed once the quote leaves draft' },
    ]);
    expect(
      (await s.call('PATCH', `/api/v1/quotes/${quote.id}`, { notes: 'Called back' })).status,
    ).toBe(200);
    expect((await h.get('quote_lines', line.id)).quantity).toBe('2.000');

    expect((await s.call('POST', `/api/v1/quotes/${quote.id}/reject`)).body.quote.status).toBe(
      'rejected',
    );
    for (const action of ['accept', 'send', 'reject', 'convert'])
      expect((await s.call('POST', `/api/v1/quotes/${quote.id}/${action}`)).status, action).toBe(
        409,
      );
    expect(
      (await s.call('GET', `/api/v1/sales_orders?filter[quote_id][eq]=${quote.id}`)).body.data,
    ).toEqual([]);
  });

  test('an accepted quote converts once into a draft order with the same lines and totals', async () => {
    const h = helpers(s.call);
    const { product, company, warehouse } = await world(s.call);
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Chai for the year' })).body;
    const quote = await h.document('quotes', {
      company_id: company.id,
      deal_id: deal.id,
      warehouse_id: warehouse.id,
      freight: eur('12.50'),
    });
    await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '4',
      unit_price: eur('18.00'),
      discount: '5',
    });
    await s.call('POST', `/api/v1/quotes/${quote.id}/send`);
    expect((await s.call('POST', `/api/v1/quotes/${quote.id}/accept`)).status).toBe(200);
    const res = await s.call('POST', `/api/v1/quotes/${quote.id}/convert`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const order = res.body.sales_order;
    expect(order).toMatchObject({
      status: 'draft',
      number: expect.stringMatching(/^SO-\d{6}$/),
      company_id: company.id,
      deal_id: deal.id,
      warehouse_id: warehouse.id,
      quote_id: quote.id,
      freight: { amount_minor: 1250, currency: 'EUR' },
      net_total: { amount_minor: 6840, currency: 'EUR' },
      total: { amount_minor: 6840 },
    });
    expect(res.body.quote).toMatchObject({ status: 'accepted', sales_order_id: order.id });
    expect(res.body.lines).toEqual([
      expect.objectContaining({
        order_id: order.id,
        product_id: product.id,
        quantity: '4.000',
        discount: '5.00',
        unit_price: expect.objectContaining({ amount_minor: 1800 }),
      }),
    ]);
    const again = await s.call('POST', `/api/v1/quotes/${quote.id}/convert`);
    expect(again.status).toBe(409);
    expect(again.body.code_detail).toBe('already_converted');
    // The deal and the company list the documents.
    const related = await s.call('GET', `/api/v1/deals/${deal.id}/related/sales_orders`);
    expect(related.body.data.map((o: { id: string }) => o.id)).toEqual([order.id]);
    const quotes = await s.call('GET', `/api/v1/companies/${company.id}/related/quotes`);
    expect(quotes.body.data.map((q: { id: string }) => q.id)).toEqual([quote.id]);
  });

  test('quote 20 with 17 in stock: the shortage shows, the order backorders 3 and ships in two', async () => {
    const h = helpers(s.call);
    const { product, company, warehouse } = await world(s.call);
    await h.receive(product.id, warehouse.id, '17');
    const quote = await h.document('quotes', {
      company_id: company.id,
      warehouse_id: warehouse.id,
    });
    await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '20',
      unit_price: eur('18.00'),
    });
    const seen = await s.call('GET', `/api/v1/quotes/${quote.id}/availability`);
    expect(seen.status).toBe(200);
    expect(seen.body.data).toEqual([
      expect.objectContaining({
        product_id: product.id,
        ordered: '20.000',
        on_hand: '17.000',
        available: '17.000',
        incoming: '0.000',
        shortage: '3.000',
      }),
    ]);

    const order = (await s.call('POST', `/api/v1/quotes/${quote.id}/convert`)).body.sales_order;
    const strict = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    expect(strict.status).toBe(409);
    expect(strict.body.code_detail).toBe('insufficient_stock');
    expect(strict.body.errors.map((e: { path: string }) => e.path)).toEqual(['lines[0].quantity']);
    expect((await h.get('sales_orders', order.id)).status).toBe('draft');

    const confirmed = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {
      backorder: true,
    });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.sales_order.status).toBe('confirmed');
    expect(confirmed.body.lines[0]).toMatchObject({
      reserved_quantity: '17.000',
      backorder_quantity: '3.000',
      shipped_quantity: '0.000',
    });
    const short = (await s.call('GET', `/api/v1/sales_orders/${order.id}/availability`)).body;
    expect(short.data[0]).toMatchObject({
      reserved: '17.000',
      available: '0.000',
      shortage: '3.000',
    });

    const first = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {
      shipped_at: '2026-03-02T09:00:00Z',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.sales_order).toMatchObject({
      status: 'partly_shipped',
      shipped_at: '2026-03-02T09:00:00.000Z',
    });
    expect(first.body.shipment).toMatchObject({
      number: expect.stringMatching(/^SH-\d{6}$/),
      order_id: order.id,
      warehouse_id: warehouse.id,
      lines: [expect.objectContaining({ quantity: '17.000', product_id: product.id })],
    });
    expect(first.body.lines[0]).toMatchObject({
      shipped_quantity: '17.000',
      reserved_quantity: '0.000',
      backorder_quantity: '3.000',
    });
    const nothing = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {});
    expect(nothing.status).toBe(409);
    expect(nothing.body.code_detail).toBe('nothing_to_ship');

    await h.receive(product.id, warehouse.id, '3');
    const reserved = await s.call('POST', `/api/v1/sales_orders/${order.id}/reserve`);
    expect(reserved.status, JSON.stringify(reserved.body)).toBe(200);
    expect(reserved.body.lines[0]).toMatchObject({
      reserved_quantity: '3.000',
      backorder_quantity: '0.000',
    });
    const last = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {});
    expect(last.status).toBe(201);
    expect(last.body.sales_order.status).toBe('shipped');
    expect(last.body.lines[0]).toMatchObject({
      shipped_quantity: '20.000',
      reserved_quantity: '0.000',
      backorder_quantity: '0.000',
    });
    const moves = (await s.call('GET', `/api/v1/stock/moves?product_id=${product.id}`)).body.data;
    expect(
      moves
        .filter((m: { kind: string }) => m.kind === 'shipment')
        .map((m: { quantity: string }) => m.quantity)
        .sort(),
    ).toEqual(['-17.000', '-3.000']);
    const balance = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    expect(balance).toMatchObject({ on_hand: '0.000', reserved: '0.000' });
    for (const action of ['confirm', 'ship', 'cancel', 'reserve'])
      expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/${action}`, {})).status).toBe(
        409,
      );
    const shipments = await s.call('GET', `/api/v1/sales_orders/${order.id}/related/shipments`);
    expect(shipments.body.data).toHaveLength(2);
  });

  test('the backorder is bought from the supplier: incoming shows, the receipt is reserved and shipped', async () => {
    const h = helpers(s.call);
    const { product, company, warehouse } = await world(s.call);
    const supplier = (
      await s.call('POST', '/api/v1/companies', { name: 'Exotic Liquids', is_supplier: true })
    ).body;
    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: warehouse.id,
      quantity: '17',
      unit_cost: eur('10.00'),
    });
    const order = await h.document('sales_orders', {
      company_id: company.id,
      warehouse_id: warehouse.id,
    });
    await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '20',
      unit_price: eur('18.00'),
    });
    await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, { backorder: true });
    expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {})).status).toBe(201);

    const po = (
      await s.call('POST', '/api/v1/purchase_orders', {
        supplier_id: supplier.id,
        warehouse_id: warehouse.id,
      })
    ).body;
    await s.call('POST', '/api/v1/purchase_order_lines', {
      order_id: po.id,
      product_id: product.id,
      quantity: '3',
      unit_price: eur('11.00'),
    });
    expect((await s.call('POST', `/api/v1/purchase_orders/${po.id}/confirm`)).status).toBe(200);
    const waiting = (await s.call('GET', `/api/v1/sales_orders/${order.id}/availability`)).body;
    expect(waiting.data[0]).toMatchObject({
      ordered: '20.000',
      shipped: '17.000',
      on_hand: '0.000',
      incoming: '3.000',
      shortage: '3.000',
    });
    expect((await s.call('POST', `/api/v1/purchase_orders/${po.id}/receive`, {})).status).toBe(201);
    const reserved = await s.call('POST', `/api/v1/sales_orders/${order.id}/reserve`);
    expect(reserved.body.lines[0]).toMatchObject({
      reserved_quantity: '3.000',
      backorder_quantity: '0.000',
    });
    const held = await s.call('GET', `/api/v1/stock/value?product_id=${product.id}`);
    expect(held.body.products).toEqual([
      expect.objectContaining({ quantity: '3.000', value: { amount: '33.00', currency: 'EUR' } }),
    ]);
    const last = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {});
    expect(last.body.sales_order.status).toBe('shipped');
    const balance = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    expect(balance).toMatchObject({ on_hand: '0.000', reserved: '0.000', incoming: '0.000' });
    // Nothing is left, so no value is left either.
    const value = await s.call('GET', `/api/v1/stock/value?product_id=${product.id}`);
    expect(value.status).toBe(200);
    expect(value.body.products).toEqual([]);
  });

  test('cancelling releases the reservations; what was shipped stays shipped', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    await h.receive(product.id, warehouse.id, '10');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    const line = await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '6',
    });
    expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {})).status).toBe(200);
    const partial = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {
      lines: [{ line_id: line.id, quantity: '2' }],
    });
    expect(partial.status, JSON.stringify(partial.body)).toBe(201);
    expect(partial.body.lines[0]).toMatchObject({
      shipped_quantity: '2.000',
      reserved_quantity: '4.000',
    });
    const balance = async () =>
      (
        await s.call(
          'GET',
          `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
        )
      ).body.data[0];
    expect(await balance()).toMatchObject({
      on_hand: '8.000',
      reserved: '4.000',
      available: '4.000',
    });
    const cancelled = await s.call('POST', `/api/v1/sales_orders/${order.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.sales_order.status).toBe('cancelled');
    expect(cancelled.body.lines[0]).toMatchObject({
      shipped_quantity: '2.000',
      reserved_quantity: '0.000',
      backorder_quantity: '0.000',
    });
    expect(await balance()).toMatchObject({
      on_hand: '8.000',
      reserved: '0.000',
      available: '8.000',
    });

    // A draft cancels too; a cancelled order does nothing more.
    const draft = await h.document('sales_orders', {});
    expect((await s.call('POST', `/api/v1/sales_orders/${draft.id}/cancel`)).status).toBe(200);
    for (const action of ['confirm', 'ship', 'cancel'])
      expect((await s.call('POST', `/api/v1/sales_orders/${draft.id}/${action}`, {})).status).toBe(
        409,
      );
  });

  test('two orders confirming at once for the last unit: exactly one gets it', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    await h.receive(product.id, warehouse.id, '1');
    const orders = [];
    for (let i = 0; i < 2; i++) {
      const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
      await h.line('sales_order_lines', {
        order_id: order.id,
        product_id: product.id,
        quantity: '1',
      });
      orders.push(order);
    }
    const results = await Promise.all(
      orders.map((o) => s.call('POST', `/api/v1/sales_orders/${o.id}/confirm`, {})),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const states = await Promise.all(
      orders.map(async (o) => (await h.get('sales_orders', o.id)).status),
    );
    expect(states.sort()).toEqual(['confirmed', 'draft']);
  });

  test('the same product on two lines is checked as a whole', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    await h.receive(product.id, warehouse.id, '5');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    for (const quantity of ['3', '3'])
      await h.line('sales_order_lines', { order_id: order.id, product_id: product.id, quantity });
    const seen = (await s.call('GET', `/api/v1/sales_orders/${order.id}/availability`)).body.data;
    expect(seen.map((l: { shortage: string }) => l.shortage)).toEqual(['0.000', '1.000']);
    const strict = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    expect(strict.status).toBe(409);
    expect(strict.body.code_detail).toBe('insufficient_stock');
    const balance = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    expect(balance).toMatchObject({ reserved: '0.000' });
    const partly = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {
      backorder: true,
    });
    const lines = partly.body.lines as { reserved_quantity: string; backorder_quantity: string }[];
    expect(
      lines
        .map((l) => [l.reserved_quantity, l.backorder_quantity])
        .flat()
        .sort(),
    ).toEqual(['0.000', '1.000', '2.000', '3.000'].sort());
    expect(lines.reduce((sum, l) => sum + Number(l.reserved_quantity), 0)).toBe(5);
  });

  test('shipping more than ordered is a 400 naming the line, and nothing is written', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    await h.receive(product.id, warehouse.id, '10');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    const line = await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '4',
    });
    await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    const over = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {
      lines: [{ line_id: line.id, quantity: '4.001' }],
    });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      {
        path: 'lines[0].quantity',
        message: 'is more than the 4.000 left to ship (ordered 4.000, shipped 0.000)',
      },
    ]);
    expect(
      (await s.call('GET', `/api/v1/sales_orders/${order.id}/related/shipments`)).body.data,
    ).toEqual([]);
    expect((await h.get('sales_orders', order.id)).status).toBe('confirmed');
    expect((await h.get('sales_order_lines', line.id)).reserved_quantity).toBe('4.000');
  });

  test('bad input is a 400 naming its field, and nothing is written', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    const quote = await h.document('quotes', {});
    const count = async (object: string) =>
      (await s.call('GET', `/api/v1/${object}?count=true&limit=1`)).body.total;
    const before = { quotes: await count('quotes'), lines: await count('quote_lines') };
    const base = {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '1',
      unit_price: eur('1.00'),
    };
    const lineCases: [Record<string, unknown>, string, string | RegExp][] = [
      [{ quantity: '0' }, 'quantity', 'must be more than zero'],
      [{ quantity: '-2' }, 'quantity', 'must be more than zero'],
      [{ quantity: '1.2345' }, 'quantity', 'has more than 3 decimal places'],
      [{ discount: '100.01' }, 'discount', 'must be from 0 to 100'],
      [{ discount: '-1' }, 'discount', 'must be from 0 to 100'],
      [
        { unit_price: { amount: '1.00', currency: 'USD' } },
        'unit_price.currency',
        'must be EUR, the currency of the quote',
      ],
      [
        { unit_price: { amount: '1.001', currency: 'EUR' } },
        'unit_price.amount',
        'has more than 2 decimal places for EUR',
      ],
      [{ unit_price: eur('-1.00') }, 'unit_price', 'must not be negative'],
      [{ unit_price: null }, 'unit_price', 'is required'],
      [{ quantity: undefined }, 'quantity', 'is required'],
      [{ product_id: warehouse.id }, 'product_id', /^no (such )?product/],
      [{ quote_id: warehouse.id }, 'quote_id', 'no quote with this id'],
      [{ tax_rate: '20' }, 'tax_rate', 'is read-only'],
      [{ net: eur('1.00') }, 'net', 'is read-only'],
    ];
    for (const [change, path, message] of lineCases) {
      const res = await s.call('POST', '/api/v1/quote_lines', { ...base, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.body.errors, JSON.stringify(change)).toContainEqual({
        path,
        message: typeof message === 'string' ? message : expect.stringMatching(message),
      });
    }
    const docCases: [Record<string, unknown>, string, string][] = [
      [{ currency: 'EURO' }, 'currency', 'must be at most 3 characters'],
      [{ currency: 'ZZZ' }, 'currency', 'must be an ISO 4217 code like EUR'],
      [{ currency: undefined }, 'currency', 'is required'],
      [
        { freight: { amount: '5.00', currency: 'USD' } },
        'freight.currency',
        'must be EUR, the currency of the quote',
      ],
      [{ warehouse_id: product.id }, 'warehouse_id', `no warehouse with id ${product.id}`],
      [
        { quote_date: '2026-03-02', valid_until: '2026-03-01' },
        'valid_until',
        'must not be before the quote date',
      ],
    ];
    for (const [change, path, message] of docCases) {
      const res = await s.call('POST', '/api/v1/quotes', { currency: 'EUR', ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.body.errors, JSON.stringify(change)).toContainEqual({ path, message });
    }
    expect({ quotes: await count('quotes'), lines: await count('quote_lines') }).toEqual(before);

    const order = await h.document('sales_orders', {});
    await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '1',
    });
    const actionCases: [string, unknown, string, string][] = [
      ['confirm', { backorder: 'yes' }, 'backorder', 'must be true or false'],
      ['confirm', { hurry: true }, 'body', 'Unrecognized key: "hurry"'],
      ['confirm', {}, 'warehouse_id', 'is required to reserve and ship stock'],
    ];
    for (const [action, body, path, message] of actionCases) {
      const res = await s.call('POST', `/api/v1/sales_orders/${order.id}/${action}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors, JSON.stringify(body)).toContainEqual({ path, message });
    }
    await s.call('PATCH', `/api/v1/sales_orders/${order.id}`, { warehouse_id: warehouse.id });
    await h.receive(product.id, warehouse.id, '1');
    expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {})).status).toBe(200);
    const lineId = (await s.call('GET', `/api/v1/sales_orders/${order.id}/related/lines`)).body
      .data[0].id;
    const shipCases: [unknown, string, string][] = [
      [
        { shipped_at: 'yesterday' },
        'shipped_at',
        'must be an ISO 8601 instant with a time zone, like 2026-03-31T14:00:00Z',
      ],
      [{ shipped_at: '2099-01-01T00:00:00Z' }, 'shipped_at', 'must not be in the future'],
      [
        { lines: [] },
        'lines',
        'must list at least one line; leave it out to ship everything reserved',
      ],
      [
        { lines: [{ line_id: product.id, quantity: '1' }] },
        'lines[0].line_id',
        'is not a line of this order',
      ],
      [
        { lines: [{ line_id: lineId, quantity: '0' }] },
        'lines[0].quantity',
        'must be more than zero',
      ],
      [
        { lines: [{ line_id: lineId, quantity: 'all' }] },
        'lines[0].quantity',
        'must be a decimal number like 12.50',
      ],
      [
        {
          lines: [
            { line_id: lineId, quantity: '0.5' },
            { line_id: lineId, quantity: '0.5' },
          ],
        },
        'lines[1].line_id',
        'is listed twice',
      ],
    ];
    for (const [body, path, message] of shipCases) {
      const res = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors, JSON.stringify(body)).toContainEqual({ path, message });
    }
    expect(
      (await s.call('GET', `/api/v1/sales_orders/${order.id}/related/shipments`)).body.data,
    ).toEqual([]);
    expect((await h.get('sales_orders', order.id)).status).toBe('confirmed');
  });

  test('a line changes its document: it needs the right to change that document', async () => {
    const h = helpers(s.call);
    const { product } = await world(s.call);
    const quote = await h.document('quotes', {});
    const line = await h.line('quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '1',
    });
    const role = `Own quotes ${Math.random()}`;
    await s.call('POST', '/api/v1/roles', {
      name: role,
      permissions: {
        objects: {
          quotes: { read: 'all', create: true, update: 'own' },
          quote_lines: { read: 'all', create: true, update: 'all', delete: 'all' },
          products: { read: 'all' },
        },
      },
    });
    const user = await s.keyFor({ email: `o${Math.random()}@example.com`, name: 'O', role });
    const as = callAs(s, user.key);
    const add = await as('POST', '/api/v1/quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '1',
      unit_price: eur('1.00'),
    });
    expect(add.status).toBe(403);
    expect((await as('PATCH', `/api/v1/quote_lines/${line.id}`, { quantity: '2' })).status).toBe(
      403,
    );
    expect((await as('DELETE', `/api/v1/quote_lines/${line.id}`)).status).toBe(403);
    expect((await h.get('quotes', quote.id)).total.amount_minor).toBe(100);
    // Their own quote is theirs to fill.
    const own = (await as('POST', '/api/v1/quotes', { currency: 'EUR' })).body;
    const mine = await as('POST', '/api/v1/quote_lines', {
      quote_id: own.id,
      product_id: product.id,
      quantity: '1',
      unit_price: eur('1.00'),
    });
    expect(mine.status).toBe(201);
  });

  test('services are never reserved and go with a shipment of everything reserved', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    const service = (
      await s.call('POST', '/api/v1/products', { name: 'Delivery', kind: 'service' })
    ).body;
    await h.receive(product.id, warehouse.id, '2');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '2',
    });
    await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: service.id,
      quantity: '1',
    });
    const seen = (await s.call('GET', `/api/v1/sales_orders/${order.id}/availability`)).body.data;
    expect(seen[1]).toMatchObject({ stocked: false, on_hand: null, shortage: '0.000' });
    const confirmed = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    expect(
      confirmed.body.lines.map((l: { reserved_quantity: string }) => l.reserved_quantity),
    ).toEqual(['2.000', '0.000']);
    expect(confirmed.body.lines[1].backorder_quantity).toBe('0.000');
    const shipped = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {});
    expect(shipped.status).toBe(201);
    expect(shipped.body.sales_order.status).toBe('shipped');
    expect(shipped.body.shipment.lines).toHaveLength(2);
    const moves = (await s.call('GET', `/api/v1/stock/moves?product_id=${service.id}`)).body.data;
    expect(moves).toEqual([]);
  });

  test('confirming reserves for whoever may change the order; shipping also needs the warehouse', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    await h.receive(product.id, warehouse.id, '2');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '2',
    });
    const role = `Order desk ${Math.random()}`;
    await s.call('POST', '/api/v1/roles', {
      name: role,
      permissions: {
        objects: {
          sales_orders: { read: 'all', update: 'all' },
          sales_order_lines: { read: 'all', update: 'all' },
          warehouses: { read: 'all' },
          products: { read: 'all' },
        },
      },
    });
    const desk = callAs(
      s,
      (await s.keyFor({ email: `d${Math.random()}@example.com`, name: 'D', role })).key,
    );
    const confirmed = await desk('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    const shipped = await desk('POST', `/api/v1/sales_orders/${order.id}/ship`, {});
    expect(shipped.status).toBe(403);
    expect((await h.get('sales_orders', order.id)).status).toBe('confirmed');
    expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {})).status).toBe(201);
  });

  test('the OpenAPI document lists the documents’ actions', async () => {
    const doc = (await s.call('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/v1/sales_orders/{id}/ship'].post.operationId).toBe('shipSalesOrder');
    expect(doc.paths['/api/v1/quotes/{id}/convert'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/v1/quotes/{id}/availability'].get).toBeDefined();
  });

  test('availability shows stock only to whom may read the warehouses', async () => {
    const h = helpers(s.call);
    const quote = await h.document('quotes', {});
    const role = `Quotes only ${Math.random()}`;
    await s.call('POST', '/api/v1/roles', {
      name: role,
      permissions: { objects: { quotes: { read: 'all' }, products: { read: 'all' } } },
    });
    const user = await s.keyFor({ email: `q${Math.random()}@example.com`, name: 'Q', role });
    const res = await callAs(s, user.key)('GET', `/api/v1/quotes/${quote.id}/availability`);
    expect(res.status).toBe(403);
    expect((await s.call('GET', `/api/v1/quotes/${quote.id}/availability`)).status).toBe(200);
  });

  test('shipments are made only by shipping an order and are never deleted', async () => {
    const h = helpers(s.call);
    const { product, warehouse } = await world(s.call);
    const made = await s.call('POST', '/api/v1/shipments', { notes: 'by hand' });
    expect(made.status).toBe(409);
    await h.receive(product.id, warehouse.id, '1');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    await h.line('sales_order_lines', {
      order_id: order.id,
      product_id: product.id,
      quantity: '1',
    });
    await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    const shipment = (await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {})).body
      .shipment;
    expect((await s.call('DELETE', `/api/v1/shipment_lines/${shipment.lines[0].id}`)).status).toBe(
      409,
    );
    expect((await s.call('DELETE', `/api/v1/shipments/${shipment.id}`)).status).toBe(409);
    expect(
      (await s.call('PATCH', `/api/v1/shipments/${shipment.id}`, { notes: 'Left at the door' }))
        .status,
    ).toBe(200);
    // An order with lines is not deleted from under them.
    expect((await s.call('DELETE', `/api/v1/sales_orders/${order.id}`)).status).toBe(409);
  });
});

describe.each(DIALECTS)('sales lines priced by the catalog on %s', (dialect) => {
  const s = serverFor(dialect);

  afterEach(async () => {
    expect(await verifyStock(s.kontor.database.db)).toMatchObject({ differences: [] });
  });

  /** A product counted in pieces, sold also by the box of 12, at 2.00 EUR a piece plus 20 % tax. */
  async function catalog() {
    const tag = Math.random().toString(36).slice(2, 8);
    const post = async (object: string, body: Record<string, unknown>) => {
      const r = await s.call('POST', `/api/v1/${object}`, body);
      expect(r.status, `${object} ${JSON.stringify(r.body)}`).toBe(201);
      return r.body;
    };
    const piece = await post('units', { name: `Piece ${tag}`, code: `pc${tag}` });
    const box = await post('units', { name: `Box ${tag}`, code: `bx${tag}` });
    const kg = await post('units', { name: `Kilogram ${tag}`, code: `kg${tag}` });
    const vat = await post('taxes', { name: `VAT ${tag}`, rate: '20' });
    const product = await post('products', {
      name: `Chang ${tag}`,
      kind: 'goods',
      unit_id: piece.id,
      price: eur('2.00'),
      tax_id: vat.id,
    });
    await post('product_units', { product_id: product.id, unit_id: box.id, factor: '12' });
    const warehouse = await post('warehouses', { name: `Main ${tag}` });
    return { post, piece, box, kg, vat, product, warehouse };
  }

  test('a line takes its unit, price and tax from the catalog; what the line gives wins', async () => {
    const h = helpers(s.call);
    const { post, piece, box, kg, vat, product } = await catalog();
    const quote = await h.document('quotes', {});
    const line = (fields: Record<string, unknown>) =>
      s.call('POST', '/api/v1/quote_lines', {
        quote_id: quote.id,
        product_id: product.id,
        ...fields,
      });

    const pieces = await line({ quantity: '2' });
    expect(pieces.status, JSON.stringify(pieces.body)).toBe(201);
    expect(pieces.body).toMatchObject({
      unit_id: piece.id,
      base_quantity: '2.000',
      unit_price: { amount_minor: 200, currency: 'EUR' },
      tax_id: vat.id,
      tax_rate: '20.00',
      tax_included: false,
      net: { amount_minor: 400 },
      tax: { amount_minor: 80 },
      total: { amount_minor: 480 },
    });
    const boxes = await line({ quantity: '2', unit_id: box.id });
    expect(boxes.body).toMatchObject({
      base_quantity: '24.000',
      unit_price: { amount_minor: 2400 },
      net: { amount_minor: 4800 },
    });
    const priced = await line({ quantity: '1', unit_price: eur('1.75'), tax_id: null });
    expect(priced.body).toMatchObject({
      unit_price: { amount_minor: 175 },
      tax_rate: '0.00',
      total: { amount_minor: 175 },
    });
    // Another unit re-prices the line; a changed quantity converts again.
    const moved = await s.call('PATCH', `/api/v1/quote_lines/${pieces.body.id}`, {
      unit_id: box.id,
    });
    expect(moved.body).toMatchObject({
      base_quantity: '24.000',
      unit_price: { amount_minor: 2400 },
    });
    const more = await s.call('PATCH', `/api/v1/quote_lines/${pieces.body.id}`, { quantity: '3' });
    expect(more.body).toMatchObject({
      base_quantity: '36.000',
      unit_price: { amount_minor: 2400 },
    });

    const notAUnit = await line({ quantity: '1', unit_id: kg.id });
    expect(notAUnit.status).toBe(400);
    expect(notAUnit.body.errors[0].path).toBe('unit_id');
    const third = await post('product_units', {
      product_id: (
        await post('products', {
          name: 'Loose tea',
          kind: 'goods',
          unit_id: piece.id,
          price: eur('1.00'),
        })
      ).id,
      unit_id: box.id,
      factor: '0.333',
    });
    const inexact = await s.call('POST', '/api/v1/quote_lines', {
      quote_id: quote.id,
      product_id: third.product_id,
      unit_id: box.id,
      quantity: '0.001',
    });
    expect(inexact.status).toBe(400);
    expect(inexact.body.errors[0].path).toBe('quantity');
    const dollars = await h.document('quotes', { currency: 'USD' });
    const noPrice = await s.call('POST', '/api/v1/quote_lines', {
      quote_id: dollars.id,
      product_id: product.id,
      quantity: '1',
    });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.errors).toEqual([
      { path: 'unit_price', message: 'is required: the product has no price in USD' },
    ]);
    expect((await h.get('quotes', quote.id)).net_total.amount_minor).toBe(7200 + 4800 + 175);
  });

  test('the customer’s price list prices the line; a converted quote keeps its prices and taxes', async () => {
    const h = helpers(s.call);
    const { post, vat, product } = await catalog();
    const group = await post('customer_groups', { name: `Wholesale ${Math.random()}` });
    const company = await post('companies', { name: 'Save-a-lot', customer_group_id: group.id });
    const list = await post('price_lists', {
      name: 'Wholesale EUR',
      currency: 'EUR',
      customer_group_id: group.id,
    });
    await post('price_list_items', {
      price_list_id: list.id,
      product_id: product.id,
      price: eur('1.50'),
    });
    const quote = await h.document('quotes', { company_id: company.id });
    const line = await s.call('POST', '/api/v1/quote_lines', {
      quote_id: quote.id,
      product_id: product.id,
      quantity: '10',
    });
    expect(line.body).toMatchObject({ unit_price: { amount_minor: 150 }, tax_rate: '20.00' });

    // The tax changes after the quote was written: the quote and its order keep 20 %.
    await s.call('PATCH', `/api/v1/taxes/${vat.id}`, { rate: '10' });
    const converted = await s.call('POST', `/api/v1/quotes/${quote.id}/convert`);
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    expect(converted.body.lines[0]).toMatchObject({
      unit_price: { amount_minor: 150 },
      tax_rate: '20.00',
      tax_id: vat.id,
      tax: { amount_minor: 300 },
    });
    expect(converted.body.sales_order.total.amount_minor).toBe(1800);
  });

  test('an order in boxes reserves and ships pieces; the line counts boxes', async () => {
    const h = helpers(s.call);
    const { box, product, warehouse } = await catalog();
    await h.receive(product.id, warehouse.id, '30');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    const line = (
      await s.call('POST', '/api/v1/sales_order_lines', {
        order_id: order.id,
        product_id: product.id,
        unit_id: box.id,
        quantity: '2',
      })
    ).body;
    const confirmed = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.lines[0]).toMatchObject({ reserved_quantity: '2.000' });
    const balance = async () =>
      (
        await s.call(
          'GET',
          `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
        )
      ).body.data[0];
    expect(await balance()).toMatchObject({ on_hand: '30.000', reserved: '24.000' });
    const shipped = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {
      lines: [{ line_id: line.id, quantity: '1' }],
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    expect(shipped.body.shipment.lines[0]).toMatchObject({
      quantity: '1.000',
      base_quantity: '12.000',
    });
    expect(shipped.body.lines[0]).toMatchObject({
      shipped_quantity: '1.000',
      reserved_quantity: '1.000',
      backorder_quantity: '0.000',
    });
    expect(await balance()).toMatchObject({ on_hand: '18.000', reserved: '12.000' });
    const part = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {
      lines: [{ line_id: line.id, quantity: '0.0005' }],
    });
    expect(part.status).toBe(400);
  });

  test('review: what an open document names is not deleted or merged away, and a line in boxes never ships more than ordered', async () => {
    const h = helpers(s.call);
    const { box, product, warehouse } = await catalog();
    await h.receive(product.id, warehouse.id, '0.011');
    const customer = (await s.call('POST', '/api/v1/companies', { name: `C ${Math.random()}` }))
      .body;
    const order = await h.document('sales_orders', {
      warehouse_id: warehouse.id,
      company_id: customer.id,
    });
    const line = (
      await s.call('POST', '/api/v1/sales_order_lines', {
        order_id: order.id,
        product_id: product.id,
        unit_id: box.id,
        quantity: '1',
      })
    ).body;
    expect(
      (await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, { backorder: true }))
        .status,
    ).toBe(200);
    // The unit, the warehouse and the customer stay while the order names them.
    expect((await s.call('DELETE', `/api/v1/units/${box.id}`)).status).toBe(409);
    expect((await s.call('DELETE', `/api/v1/warehouses/${warehouse.id}`)).status).toBe(409);
    expect((await s.call('DELETE', `/api/v1/companies/${customer.id}`)).status).toBe(409);
    // Merging the product away would move a confirmed line: refused, nothing changed.
    const other = (await s.call('POST', '/api/v1/products', { name: `Other ${Math.random()}` }))
      .body;
    const merged = await s.call('POST', '/api/v1/products/merge', {
      survivor_id: other.id,
      merged_ids: [product.id],
    });
    // (The line refuses: its order is confirmed, and its unit is not one of the survivor's.)
    expect([400, 409]).toContain(merged.status);
    expect((await s.call('GET', `/api/v1/sales_order_lines/${line.id}`)).body.product_id).toBe(
      product.id,
    );
    // 0.011 of a 12-piece box ships as 0.000 box; then "1 box" would be 12.011 pieces: refused.
    expect((await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {})).status).toBe(201);
    await h.receive(product.id, warehouse.id, '100');
    const over = await s.call('POST', `/api/v1/sales_orders/${order.id}/ship`, {
      lines: [{ line_id: line.id, quantity: '1' }],
    });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].path).toBe('lines[0].quantity');
    // A money amount past what is counted exactly is a 400, not a 500.
    const huge = await s.call('PATCH', `/api/v1/products/${product.id}`, {
      price: { amount: '99999999999999999', currency: 'EUR' },
    });
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0].path).toMatch(/^price/);
  });

  test('a kit line reserves and ships the kit itself, from its assembled stock', async () => {
    const h = helpers(s.call);
    const { post, product, warehouse } = await catalog();
    const kit = await post('products', {
      name: `Gift box ${Math.random()}`,
      kind: 'kit',
      price: eur('9.00'),
    });
    await post('kit_components', { kit_id: kit.id, component_id: product.id, quantity: '3' });
    await h.receive(kit.id, warehouse.id, '1');
    await h.receive(product.id, warehouse.id, '10');
    const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
    await s.call('POST', '/api/v1/sales_order_lines', {
      order_id: order.id,
      product_id: kit.id,
      quantity: '2',
    });
    const strict = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {});
    expect(strict.status).toBe(409);
    expect(strict.body.errors[0].message).toMatch(/^only 1\.000 available/);
    const partly = await s.call('POST', `/api/v1/sales_orders/${order.id}/confirm`, {
      backorder: true,
    });
    expect(partly.body.lines[0]).toMatchObject({
      reserved_quantity: '1.000',
      backorder_quantity: '1.000',
    });
    const components = (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    expect(components).toMatchObject({ reserved: '0.000' });
    await s.call('POST', `/api/v1/sales_orders/${order.id}/cancel`);
  });
});

describe('sales across two server processes on PostgreSQL', () => {
  test('two processes confirming orders for the last unit at once: exactly one gets it', async (ctx) => {
    const a = await startServer('postgres');
    if (!a) return ctx.skip();
    const pino = (await import('pino')).default;
    const { boot } = await import('../../server/src/boot');
    const { loadConfig } = await import('../../server/src/config');
    const { buildApp } = await import('../../server/src/http/app');
    const { PG_URL } = await import('../helpers');
    const config = loadConfig({ dataDir: '/tmp', databaseUrl: PG_URL, logLevel: 'silent' }, {});
    const other = await boot({
      config,
      schema: a.kontor.database.schema!,
      log: pino({ level: 'silent' }),
    });
    const otherApp = await buildApp(other.kontor);
    try {
      const h = helpers(a.call);
      const { product, warehouse } = await world(a.call);
      await h.receive(product.id, warehouse.id, '1');
      const orders = [];
      for (let i = 0; i < 4; i++) {
        const order = await h.document('sales_orders', { warehouse_id: warehouse.id });
        await h.line('sales_order_lines', {
          order_id: order.id,
          product_id: product.id,
          quantity: '1',
        });
        orders.push(order);
      }
      const viaOther = async (id: string) => {
        const r = await otherApp.inject({
          method: 'POST',
          url: `/api/v1/sales_orders/${id}/confirm`,
          headers: { authorization: `Bearer ${a.adminKey}`, 'content-type': 'application/json' },
          payload: '{}',
        });
        return r.statusCode;
      };
      const viaA = async (id: string) =>
        (await a.call('POST', `/api/v1/sales_orders/${id}/confirm`, {})).status;
      const statuses = await Promise.all([
        viaA(orders[0].id),
        viaOther(orders[1].id),
        viaA(orders[2].id),
        viaOther(orders[3].id),
      ]);
      expect(statuses.sort()).toEqual([200, 409, 409, 409]);
      expect(await verifyStock(a.kontor.database.db)).toMatchObject({ differences: [] });
    } finally {
      await otherApp.close();
      await other.kontor.database.close();
      await a.close();
    }
  });
});
