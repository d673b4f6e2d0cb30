import { afterEach, describe, expect, test } from 'vitest';
import { averageUnitCost, verifyStock } from '../../server/src/modules/inventory/ledger';
import { inventoryLabelsUk } from '../../server/src/modules/inventory/labels';
import {
  reorderPoints,
  stockCountLines,
  stockCounts,
} from '../../server/src/modules/inventory/objects';
import { purchasingLabelsUk } from '../../server/src/modules/purchasing/labels';
import { purchasingObjects } from '../../server/src/modules/purchasing/objects';
import { spread } from '../../server/src/flows/purchasing-stock';
import { DIALECTS, callAs, serverFor } from '../helpers';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

test('every purchasing and inventory-extra object, field and option has a Ukrainian label', () => {
  const check = (labels: typeof purchasingLabelsUk, defs: typeof purchasingObjects) => {
    for (const def of defs) {
      const l = labels[def.name];
      expect(l?.singular, def.name).toBeTruthy();
      expect(l?.plural, def.name).toBeTruthy();
      for (const f of def.fields) {
        expect(l?.fields?.[f.name], `${def.name}.${f.name}`).toBeTruthy();
        for (const o of f.options ?? [])
          expect(l?.options?.[f.name]?.[o.value], `${def.name}.${f.name}=${o.value}`).toBeTruthy();
        if (f.reverseName)
          expect(l?.reverse?.[f.name], `${def.name}.${f.name} reverse`).toBeTruthy();
      }
    }
  };
  check(purchasingLabelsUk, purchasingObjects);
  check(inventoryLabelsUk, [reorderPoints, stockCounts, stockCountLines]);
});

test('landed costs are spread by value, half-even, with the remainder on the last line', () => {
  expect(spread(1000n, [300n, 300n, 300n], [1n, 1n, 1n])).toEqual([333n, 333n, 334n]);
  expect(spread(1n, [1n, 1n], [1n, 1n])).toEqual([0n, 1n]); // 0.5 rounds to even (0)
  expect(spread(3n, [1n, 1n], [1n, 1n])).toEqual([2n, 1n]); // 1.5 rounds to even (2)
  expect(spread(700n, [0n, 0n], [1000n, 3000n])).toEqual([175n, 525n]); // no value: by quantity
  for (const [amount, weights] of [
    [9999n, [1n, 7n, 13n, 101n]],
    [1n, [5n, 5n, 5n]],
    [123457n, [333n, 333n, 334n]],
  ] as [bigint, bigint[]][])
    expect(spread(amount, weights, weights).reduce((a, b) => a + b, 0n)).toBe(amount);
});

describe.each(DIALECTS)('purchasing on %s', (dialect) => {
  const s = serverFor(dialect);

  // After every test the balances must be what the ledger says.
  afterEach(async () => {
    if (!s) return;
    expect(await verifyStock(s.kontor.database.db, s.kontor.meta)).toMatchObject({
      differences: [],
    });
  });

  const create = async (object: string, body: Record<string, unknown>) => {
    const res = await s.call('POST', `/api/v1/${object}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const action = (object: string, id: string, verb: string, body?: unknown) =>
    s.call('POST', `/api/v1/${object}/${id}/${verb}`, body ?? {});

  const setup = async () => {
    const n = Math.random().toString(36).slice(2, 8);
    const supplier = await create('companies', { name: `Exotic Liquids ${n}`, is_supplier: true });
    const customer = await create('companies', { name: `Alfreds ${n}` });
    const warehouse = await create('warehouses', { name: `Main ${n}` });
    const chai = await create('products', { name: `Chai ${n}`, kind: 'goods' });
    const syrup = await create('products', { name: `Syrup ${n}`, kind: 'goods' });
    return { supplier, customer, warehouse, chai, syrup };
  };

  /** A purchase order with lines ([product, quantity, unit price, discount?]). */
  const order = async (
    supplierId: string,
    warehouseId: string,
    lines: [string, string, string, string?][],
  ) => {
    const po = await create('purchase_orders', {
      supplier_id: supplierId,
      warehouse_id: warehouseId,
    });
    const made = [];
    for (const [product, quantity, price, discount] of lines)
      made.push(
        await create('purchase_order_lines', {
          order_id: po.id,
          product_id: product,
          quantity,
          unit_price: eur(price),
          ...(discount ? { discount } : {}),
        }),
      );
    return { po, lines: made };
  };

  const level = async (productId: string, warehouseId: string) => {
    const res = await s.call(
      'GET',
      `/api/v1/stock/balances?product_id=${productId}&warehouse_id=${warehouseId}`,
    );
    const b = res.body.data[0];
    return { on_hand: b?.on_hand ?? '0.000', incoming: b?.incoming ?? '0.000' };
  };
  const get = async (object: string, id: string) =>
    (await s.call('GET', `/api/v1/${object}/${id}`)).body;

  test('a purchase order is numbered and totalled from its rounded lines; its status moves only by actions', async () => {
    const { supplier, warehouse, chai, syrup } = await setup();
    const { po, lines } = await order(supplier.id, warehouse.id, [
      [chai.id, '10', '2.50', '10'],
      [syrup.id, '3.333', '0.10'],
    ]);
    expect(po.number).toMatch(/^PO-\d{6}$/);
    expect(po).toMatchObject({ status: 'draft', currency: 'EUR', order_date: '2026-03-02' });
    // 10 × 2.50 less 10% = 22.50; 3.333 × 0.10 = 0.3333, rounded per line to 0.33.
    expect(lines[0].net).toMatchObject({ amount: '22.50', currency: 'EUR' });
    expect(lines[1]).toMatchObject({ net: { amount: '0.33' }, position: 2 });
    expect(lines[1].description).toBe(syrup.name);
    expect((await get('purchase_orders', po.id)).net).toMatchObject({ amount: '22.83' });
    const next = await create('purchase_orders', {
      supplier_id: supplier.id,
      warehouse_id: warehouse.id,
    });
    expect(Number(next.number.slice(3))).toBe(Number(po.number.slice(3)) + 1);

    const forced = await s.call('PATCH', `/api/v1/purchase_orders/${po.id}`, {
      status: 'received',
    });
    expect(forced.status).toBe(400);
    expect(forced.body.errors).toContainEqual({ path: 'status', message: 'is read-only' });

    expect((await action('purchase_orders', next.id, 'send')).status).toBe(409); // no lines
    const sent = await action('purchase_orders', po.id, 'send');
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('sent');
    const late = await s.call('POST', '/api/v1/purchase_order_lines', {
      order_id: po.id,
      product_id: chai.id,
      quantity: '1',
      unit_price: eur('1'),
    });
    expect(late.status).toBe(409);
    expect(
      (await s.call('PATCH', `/api/v1/purchase_order_lines/${lines[0].id}`, { quantity: '5' }))
        .status,
    ).toBe(409);
    expect((await s.call('DELETE', `/api/v1/purchase_order_lines/${lines[0].id}`)).status).toBe(
      409,
    );
    expect(
      (await s.call('PATCH', `/api/v1/purchase_orders/${po.id}`, { warehouse_id: warehouse.id }))
        .status,
    ).toBe(200); // unchanged: nothing to refuse
    const other = await create('warehouses', { name: `Other ${Math.random()}` });
    expect(
      (await s.call('PATCH', `/api/v1/purchase_orders/${po.id}`, { warehouse_id: other.id }))
        .status,
    ).toBe(409);
    expect(
      (await s.call('PATCH', `/api/v1/purchase_orders/${po.id}`, { notes: 'Call before delivery' }))
        .status,
    ).toBe(200);

    expect((await action('purchase_orders', po.id, 'confirm')).body.status).toBe('confirmed');
    expect((await action('purchase_orders', po.id, 'send')).status).toBe(409);
    expect((await action('purchase_orders', po.id, 'confirm')).status).toBe(409);
    expect((await s.call('DELETE', `/api/v1/purchase_orders/${po.id}`)).status).toBe(409);
  });

  test('confirming puts the lines on order; receiving and cancelling take them off', async () => {
    const { supplier, warehouse, chai } = await setup();
    const { po, lines } = await order(supplier.id, warehouse.id, [[chai.id, '10', '2.00']]);
    expect((await level(chai.id, warehouse.id)).incoming).toBe('0.000');
    await action('purchase_orders', po.id, 'confirm');
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '0.000', incoming: '10.000' });

    const got = await action('purchase_orders', po.id, 'receive', {
      lines: [{ line_id: lines[0].id, quantity: '4' }],
    });
    expect(got.status, JSON.stringify(got.body)).toBe(201);
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '4.000', incoming: '6.000' });

    const cancelled = await action('purchase_orders', po.id, 'cancel');
    expect(cancelled.body.status).toBe('cancelled');
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '4.000', incoming: '0.000' });

    const again = await action('purchase_orders', po.id, 'receive', {
      lines: [{ line_id: lines[0].id, quantity: '1' }],
    });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].path).toBe('status');
    expect((await action('purchase_orders', po.id, 'cancel')).status).toBe(409);

    // A draft (or merely sent) order cannot be received either.
    const draft = await order(supplier.id, warehouse.id, [[chai.id, '1', '2.00']]);
    const early = await action('purchase_orders', draft.po.id, 'receive', {});
    expect(early.status).toBe(409);
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '4.000', incoming: '0.000' });
  });

  test('two confirmations or two receipts of one order at once count once each', async () => {
    const { supplier, warehouse, chai } = await setup();
    const { po, lines } = await order(supplier.id, warehouse.id, [[chai.id, '10', '2.00']]);
    const confirms = await Promise.all(
      [1, 2, 3].map(() => action('purchase_orders', po.id, 'confirm')),
    );
    expect(confirms.filter((r) => r.status === 200)).toHaveLength(1);
    expect(confirms.every((r) => [200, 409, 412].includes(r.status))).toBe(true);
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '0.000', incoming: '10.000' });

    const receipts = await Promise.all(
      [1, 2, 3].map(() =>
        action('purchase_orders', po.id, 'receive', {
          lines: [{ line_id: lines[0].id, quantity: '3' }],
        }),
      ),
    );
    expect(
      receipts.every((r) => [201, 412].includes(r.status)),
      JSON.stringify(receipts.map((r) => r.body)),
    ).toBe(true);
    const done = receipts.filter((r) => r.status === 201).length;
    expect(done).toBeGreaterThan(0);
    expect(await level(chai.id, warehouse.id)).toEqual({
      on_hand: `${3 * done}.000`,
      incoming: `${10 - 3 * done}.000`,
    });
    expect((await get('purchase_order_lines', lines[0].id)).received_quantity).toBe(
      `${3 * done}.000`,
    );
  });

  test('only someone who may change the order may send, confirm, receive or cancel it', async () => {
    const { supplier, warehouse, chai } = await setup();
    const { po } = await order(supplier.id, warehouse.id, [[chai.id, '10', '2.00']]);
    const rep = await s.keyFor({
      email: `rep-${Math.random()}@example.com`,
      name: 'Rep',
      role: 'Sales representative',
    });
    const asRep = callAs(s, rep.key);
    for (const verb of ['send', 'confirm', 'cancel', 'receive'])
      expect([403, 404]).toContain(
        (await asRep('POST', `/api/v1/purchase_orders/${po.id}/${verb}`, {})).status,
      );
    expect((await get('purchase_orders', po.id)).status).toBe('draft');
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '0.000', incoming: '0.000' });
  });

  test('a partial receipt, then the rest; over- and under-delivery are reported per line', async () => {
    const { supplier, warehouse, chai, syrup } = await setup();
    // Another order keeps 5 on order throughout: an over-delivery must not eat into it.
    const other = await order(supplier.id, warehouse.id, [[chai.id, '5', '2.00']]);
    await action('purchase_orders', other.po.id, 'confirm');

    const { po, lines } = await order(supplier.id, warehouse.id, [
      [chai.id, '10', '2.00'],
      [syrup.id, '5', '1.00'],
    ]);
    await action('purchase_orders', po.id, 'confirm');
    const first = await action('purchase_orders', po.id, 'receive', {
      lines: [{ line_id: lines[0].id, quantity: '4' }],
      received_at: '2026-03-01T09:00:00Z',
    });
    expect(first.status).toBe(201);
    expect(first.body.order.status).toBe('partly_received');
    expect(first.body.receipt.number).toMatch(/^RC-\d{6}$/);
    expect(first.body.receipt.received_at).toBe('2026-03-01T09:00:00.000Z');
    expect(first.body.lines).toEqual([
      expect.objectContaining({
        line_id: lines[0].id,
        ordered: '10.000',
        received: '4.000',
        received_now: '4.000',
        over: '0.000',
        under: '6.000',
      }),
      expect.objectContaining({
        line_id: lines[1].id,
        ordered: '5.000',
        received: '0.000',
        received_now: '0.000',
        over: '0.000',
        under: '5.000',
      }),
    ]);

    // Without lines, everything still outstanding comes in.
    const rest = await action('purchase_orders', po.id, 'receive', {});
    expect(rest.status).toBe(201);
    expect(rest.body.order.status).toBe('received');
    expect(
      rest.body.lines.map((l: { received_now: string; under: string }) => [
        l.received_now,
        l.under,
      ]),
    ).toEqual([
      ['6.000', '0.000'],
      ['5.000', '0.000'],
    ]);
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '10.000', incoming: '5.000' });
    expect(await level(syrup.id, warehouse.id)).toEqual({ on_hand: '5.000', incoming: '0.000' });
    expect((await get('purchase_order_lines', lines[0].id)).received_quantity).toBe('10.000');

    // Two more than ordered arrive on a fully received order: taken in and reported as over.
    const over = await action('purchase_orders', po.id, 'receive', {
      lines: [{ line_id: lines[0].id, quantity: '2' }],
    });
    expect(over.status).toBe(201);
    expect(over.body.lines[0]).toMatchObject({
      ordered: '10.000',
      received: '12.000',
      over: '2.000',
      under: '0.000',
    });
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '12.000', incoming: '5.000' });

    // Under-delivery of the other order: 3 of 5, then it is cancelled; the rest leaves incoming.
    const short = await action('purchase_orders', other.po.id, 'receive', {
      lines: [{ line_id: other.lines[0].id, quantity: '3' }],
    });
    expect(short.body.lines[0]).toMatchObject({ received: '3.000', under: '2.000' });
    await action('purchase_orders', other.po.id, 'cancel');
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '15.000', incoming: '0.000' });

    const receipts = (
      await s.call('GET', `/api/v1/receipts?filter[purchase_order_id][eq]=${po.id}`)
    ).body.data;
    expect(receipts).toHaveLength(3);
    const rlines = (
      await s.call('GET', `/api/v1/receipt_lines?filter[order_line_id][eq]=${lines[0].id}`)
    ).body.data;
    expect(rlines.map((l: { quantity: string }) => l.quantity).sort()).toEqual([
      '2.000',
      '4.000',
      '6.000',
    ]);
  });

  test('landed costs are spread over the received lines by value without losing a cent', async () => {
    const { supplier, warehouse, chai, syrup } = await setup();
    const tea = await create('products', { name: `Tea ${Math.random()}`, kind: 'goods' });
    const { po, lines } = await order(supplier.id, warehouse.id, [
      [chai.id, '3', '1.00'],
      [syrup.id, '1', '3.00'],
      [tea.id, '6', '0.60', '16.67'], // 6 × 0.60 less 16.67% = 2.99988 → 3.00
    ]);
    await action('purchase_orders', po.id, 'confirm');
    const res = await action('purchase_orders', po.id, 'receive', {
      landed_costs: eur('10.00'),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Goods 3.00 each; 10.00 spread as 3.33, 3.33 and the remainder 3.34.
    expect(res.body.lines.map((l: { value: { amount: string } }) => l.value.amount)).toEqual([
      '6.33',
      '6.33',
      '6.34',
    ]);
    expect(
      res.body.lines.map((l: { unit_cost: { amount: string } }) => l.unit_cost.amount),
    ).toEqual([
      '2.11', // 6.33 / 3
      '6.33',
      '1.06', // 6.34 / 6 = 1.0566…
    ]);
    expect(res.body.receipt.landed_costs).toMatchObject({ amount: '10.00', currency: 'EUR' });
    const moves = await s.kontor.database.db
      .selectFrom('stock_moves')
      .select(['value_minor', 'document_line_id', 'kind'])
      .where('document_id', '=', po.id)
      .execute();
    expect(moves).toHaveLength(3);
    expect(moves.every((m) => m.kind === 'receipt')).toBe(true);
    expect(moves.reduce((sum, m) => sum + Number(m.value_minor), 0)).toBe(1900);
    expect(new Set(moves.map((m) => m.document_line_id))).toEqual(new Set(lines.map((l) => l.id)));
  });

  test('receipts move the average cost', async () => {
    const { supplier, warehouse, chai } = await setup();
    const first = await order(supplier.id, warehouse.id, [[chai.id, '10', '2.00']]);
    await action('purchase_orders', first.po.id, 'confirm');
    await action('purchase_orders', first.po.id, 'receive', {});
    expect(await s.asSystem((ctx) => averageUnitCost(ctx, chai.id))).toBe(200n);
    // 30 more at 3.00 less 10%, plus 3.00 landed: 81.00 + 3.00 = 84.00 for 30, 2.80 each.
    const second = await order(supplier.id, warehouse.id, [[chai.id, '30', '3.00', '10']]);
    await action('purchase_orders', second.po.id, 'confirm');
    const res = await action('purchase_orders', second.po.id, 'receive', {
      landed_costs: eur('3'),
    });
    expect(res.body.lines[0].unit_cost.amount).toBe('2.80');
    // (20.00 + 84.00) / 40 = 2.60
    expect(await s.asSystem((ctx) => averageUnitCost(ctx, chai.id))).toBe(260n);
    // A unit cost given at receipt replaces the order price.
    const third = await order(supplier.id, warehouse.id, [[chai.id, '10', '3.00']]);
    await action('purchase_orders', third.po.id, 'confirm');
    const given = await action('purchase_orders', third.po.id, 'receive', {
      lines: [{ line_id: third.lines[0].id, quantity: '10', unit_cost: eur('1.60') }],
    });
    expect(given.body.lines[0].unit_cost.amount).toBe('1.60');
    // (104.00 + 16.00) / 50 = 2.40
    expect(await s.asSystem((ctx) => averageUnitCost(ctx, chai.id))).toBe(240n);
  });

  test('the reorder list shows what is short; drafting makes one order per supplier at its prices', async () => {
    const { supplier, warehouse, chai, syrup } = await setup();
    const rival = await create('companies', {
      name: `Tokyo Traders ${Math.random()}`,
      is_supplier: true,
    });
    await s.call('PATCH', `/api/v1/products/${chai.id}`, { supplier_id: supplier.id });
    await s.call('PATCH', `/api/v1/products/${syrup.id}`, { supplier_id: supplier.id });
    const tofu = await create('products', { name: `Tofu ${Math.random()}`, kind: 'goods' });
    const plenty = await create('products', { name: `Plenty ${Math.random()}`, kind: 'goods' });
    await create('supplier_prices', {
      supplier_id: supplier.id,
      product_id: chai.id,
      price: eur('1.50'),
      lead_time_days: 5,
    });
    await create('supplier_prices', {
      supplier_id: supplier.id,
      product_id: chai.id,
      price: eur('1.20'),
      min_quantity: '100',
    });
    await create('supplier_prices', {
      supplier_id: supplier.id,
      product_id: syrup.id,
      price: eur('2.00'),
    });
    await create('supplier_prices', {
      supplier_id: rival.id,
      product_id: syrup.id,
      price: eur('1.80'),
    });
    await create('supplier_prices', {
      supplier_id: rival.id,
      product_id: tofu.id,
      price: eur('4.00'),
      supplier_sku: 'TT-9',
    });

    await create('reorder_points', {
      product_id: chai.id,
      warehouse_id: warehouse.id,
      min_quantity: '10',
      reorder_quantity: '20',
    });
    await create('reorder_points', {
      product_id: syrup.id,
      warehouse_id: warehouse.id,
      min_quantity: '5',
    });
    await create('reorder_points', {
      product_id: tofu.id,
      warehouse_id: warehouse.id,
      min_quantity: '1',
    });
    await create('reorder_points', {
      product_id: plenty.id,
      warehouse_id: warehouse.id,
      min_quantity: '1',
    });
    const twice = await s.call('POST', '/api/v1/reorder_points', {
      product_id: chai.id,
      warehouse_id: warehouse.id,
      min_quantity: '3',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.errors[0].path).toBe('product_id');

    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: chai.id,
      warehouse_id: warehouse.id,
      quantity: '3',
    });
    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: plenty.id,
      warehouse_id: warehouse.id,
      quantity: '5',
    });
    const onOrder = await order(supplier.id, warehouse.id, [[syrup.id, '2', '2.00']]);
    await action('purchase_orders', onOrder.po.id, 'confirm');

    const list = await s.call('GET', `/api/v1/stock/reorder?warehouse_id=${warehouse.id}`);
    expect(list.status).toBe(200);
    const byProduct = new Map(list.body.data.map((r: { product_id: string }) => [r.product_id, r]));
    expect(byProduct.has(plenty.id)).toBe(false);
    // Chai: 3 available, min 10: 7 short, but at least the reorder quantity of 20.
    expect(byProduct.get(chai.id)).toMatchObject({
      available: '3.000',
      incoming: '0.000',
      suggested_quantity: '20.000',
      supplier_id: supplier.id,
      supplier_price: { supplier_id: supplier.id, price: { amount: '1.50' }, lead_time_days: 5 },
    });
    // Syrup: 2 on order count towards the minimum of 5; the product's supplier is not the cheapest.
    expect(byProduct.get(syrup.id)).toMatchObject({
      incoming: '2.000',
      suggested_quantity: '3.000',
      supplier_id: supplier.id,
      supplier_price: { price: { amount: '2.00' } },
      best_price: { supplier_id: rival.id, price: { amount: '1.80' } },
    });
    // Tofu has no supplier of its own: it goes to the one that prices it.
    expect(byProduct.get(tofu.id)).toMatchObject({
      suggested_quantity: '1.000',
      supplier_id: rival.id,
    });

    const drafted = await s.call('POST', '/api/v1/stock/reorder/purchase-orders', {
      items: [
        { product_id: chai.id, warehouse_id: warehouse.id, quantity: '20' },
        { product_id: syrup.id, warehouse_id: warehouse.id, quantity: '3' },
        { product_id: tofu.id, warehouse_id: warehouse.id, quantity: '1' },
      ],
    });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const orders = drafted.body.data as {
      supplier_id: string;
      status: string;
      total: { amount: string };
      lines: { product_id: string; unit_price: { amount: string } }[];
    }[];
    expect(orders).toHaveLength(2);
    const mine = orders.find((o) => o.supplier_id === supplier.id)!;
    expect(mine.status).toBe('draft');
    expect(mine.lines.map((l) => [l.product_id, l.unit_price.amount])).toEqual([
      [chai.id, '1.50'],
      [syrup.id, '2.00'],
    ]);
    expect(mine.total.amount).toBe('36.00');
    const theirs = orders.find((o) => o.supplier_id === rival.id)!;
    expect(theirs.lines.map((l) => [l.product_id, l.unit_price.amount])).toEqual([
      [tofu.id, '4.00'],
    ]);

    // Once confirmed, the drafted quantities count as incoming and the list is empty.
    for (const o of orders)
      await action('purchase_orders', (o as unknown as { id: string }).id, 'confirm');
    const after = await s.call('GET', `/api/v1/stock/reorder?warehouse_id=${warehouse.id}`);
    expect(after.body.data).toEqual([]);
  });

  test('a stock count posts the differences as one adjustment', async () => {
    const { warehouse, chai, syrup } = await setup();
    const tea = await create('products', { name: `Tea ${Math.random()}`, kind: 'goods' });
    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: chai.id,
      warehouse_id: warehouse.id,
      quantity: '10',
      unit_cost: eur('2.00'),
    });
    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: syrup.id,
      warehouse_id: warehouse.id,
      quantity: '5',
    });
    const count = await create('stock_counts', { warehouse_id: warehouse.id });
    expect(count).toMatchObject({ status: 'draft', counted_at: '2026-03-02T10:00:00.000Z' });
    expect(count.number).toMatch(/^SC-\d{6}$/);
    const lines = [
      await create('stock_count_lines', {
        count_id: count.id,
        product_id: chai.id,
        counted_quantity: '8.5',
      }),
      await create('stock_count_lines', {
        count_id: count.id,
        product_id: syrup.id,
        counted_quantity: '5',
      }),
      await create('stock_count_lines', {
        count_id: count.id,
        product_id: tea.id,
        counted_quantity: '2',
      }),
    ];
    const dup = await s.call('POST', '/api/v1/stock_count_lines', {
      count_id: count.id,
      product_id: chai.id,
      counted_quantity: '1',
    });
    expect(dup.status).toBe(400);
    expect(dup.body.errors[0].path).toBe('product_id');

    const posted = await action('stock_counts', count.id, 'post');
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    expect(posted.body.status).toBe('posted');
    expect(posted.body.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          product_id: chai.id,
          expected_quantity: '10.000',
          difference: '-1.500',
        }),
        expect.objectContaining({
          product_id: syrup.id,
          expected_quantity: '5.000',
          difference: '0.000',
        }),
        expect.objectContaining({
          product_id: tea.id,
          expected_quantity: '0.000',
          difference: '2.000',
        }),
      ]),
    );
    const moves = await s.kontor.database.db
      .selectFrom('stock_moves')
      .select(['posting_id', 'kind', 'product_id', 'quantity'])
      .where('document_id', '=', count.id)
      .execute();
    expect(moves).toHaveLength(2);
    expect(new Set(moves.map((m) => m.posting_id))).toEqual(new Set([posted.body.posting_id]));
    expect(moves.every((m) => m.kind === 'adjustment')).toBe(true);
    expect(await level(chai.id, warehouse.id)).toMatchObject({ on_hand: '8.500' });
    expect(await level(tea.id, warehouse.id)).toMatchObject({ on_hand: '2.000' });
    expect((await get('stock_count_lines', lines[0].id)).expected_quantity).toBe('10.000');

    expect((await action('stock_counts', count.id, 'post')).status).toBe(409);
    expect(
      (await s.call('PATCH', `/api/v1/stock_count_lines/${lines[0].id}`, { counted_quantity: '9' }))
        .status,
    ).toBe(409);
    expect((await s.call('DELETE', `/api/v1/stock_counts/${count.id}`)).status).toBe(409);
  });

  test('bad input is a 400 naming the field, and nothing is written', async () => {
    const { supplier, customer, warehouse, chai } = await setup();
    const expect400 = async (
      res: { status: number; body: { errors: { path: string }[] } },
      path: string,
    ) => {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(
        res.body.errors.map((e) => e.path),
        JSON.stringify(res.body),
      ).toContain(path);
    };
    await expect400(
      await s.call('POST', '/api/v1/purchase_orders', {
        supplier_id: customer.id,
        warehouse_id: warehouse.id,
      }),
      'supplier_id',
    );
    await expect400(
      await s.call('POST', '/api/v1/purchase_orders', {
        supplier_id: supplier.id,
        warehouse_id: warehouse.id,
        currency: 'EURO',
      }),
      'currency',
    );
    await expect400(
      await s.call('POST', '/api/v1/purchase_orders', { supplier_id: supplier.id }),
      'warehouse_id',
    );
    await expect400(
      await s.call('POST', '/api/v1/purchase_orders', {
        supplier_id: supplier.id,
        warehouse_id: warehouse.id,
        order_date: '2026-03-02',
        expected_date: '2026-03-01',
      }),
      'expected_date',
    );
    await expect400(
      await s.call('POST', '/api/v1/supplier_prices', {
        supplier_id: customer.id,
        product_id: chai.id,
        price: eur('1'),
      }),
      'supplier_id',
    );
    await expect400(
      await s.call('POST', '/api/v1/supplier_prices', {
        supplier_id: supplier.id,
        product_id: chai.id,
        price: eur('-1'),
      }),
      'price',
    );
    await expect400(
      await s.call('POST', '/api/v1/supplier_prices', {
        supplier_id: supplier.id,
        product_id: chai.id,
        price: eur('1'),
        lead_time_days: -2,
      }),
      'lead_time_days',
    );
    expect(
      (await s.call('GET', `/api/v1/supplier_prices?filter[product_id][eq]=${chai.id}`)).body.data,
    ).toEqual([]);

    const { po, lines } = await order(supplier.id, warehouse.id, [[chai.id, '10', '2.00']]);
    const line = (change: Record<string, unknown>) =>
      s.call('POST', '/api/v1/purchase_order_lines', {
        order_id: po.id,
        product_id: chai.id,
        quantity: '1',
        unit_price: eur('1'),
        ...change,
      });
    await expect400(await line({ quantity: '0' }), 'quantity');
    await expect400(await line({ quantity: '-1' }), 'quantity');
    await expect400(await line({ quantity: '1.0001' }), 'quantity');
    await expect400(
      await line({ unit_price: { amount: '1', currency: 'USD' } }),
      'unit_price.currency',
    );
    await expect400(await line({ unit_price: eur('1.001') }), 'unit_price.amount');
    await expect400(await line({ discount: '100.01' }), 'discount');
    await expect400(
      await line({ quantity: '1000000000000', unit_price: eur('90000000000') }),
      'quantity',
    );
    await expect400(await line({ unit_price: undefined }), 'unit_price'); // no supplier price to take
    const service = await create('products', { name: 'Freight', kind: 'service' });
    await expect400(await line({ product_id: service.id }), 'product_id');
    expect(
      (await s.call('GET', `/api/v1/purchase_order_lines?filter[order_id][eq]=${po.id}`)).body.data,
    ).toHaveLength(1);

    await action('purchase_orders', po.id, 'confirm');
    const receive = (body: unknown) => action('purchase_orders', po.id, 'receive', body);
    const one = (change: Record<string, unknown>) => ({
      lines: [{ line_id: lines[0].id, quantity: '1', ...change }],
    });
    await expect400(await receive(one({ quantity: '0' })), 'lines[0].quantity');
    await expect400(await receive(one({ quantity: '-2' })), 'lines[0].quantity');
    await expect400(await receive(one({ quantity: 'many' })), 'lines[0].quantity');
    await expect400(await receive(one({ line_id: po.id })), 'lines[0].line_id');
    await expect400(
      await receive({
        lines: [
          { line_id: lines[0].id, quantity: '1' },
          { line_id: lines[0].id, quantity: '1' },
        ],
      }),
      'lines[1].line_id',
    );
    await expect400(
      await receive(one({ unit_cost: { amount: '1', currency: 'USD' } })),
      'lines[0].unit_cost.currency',
    );
    await expect400(
      await receive({ ...one({}), landed_costs: { amount: '1', currency: 'USD' } }),
      'landed_costs.currency',
    );
    await expect400(
      await receive({ ...one({}), landed_costs: eur('1.001') }),
      'landed_costs.amount',
    );
    await expect400(await receive({ ...one({}), landed_costs: eur('-1') }), 'landed_costs.amount');
    await expect400(
      await receive({ ...one({}), received_at: '2026-02-30T10:00:00Z' }),
      'received_at',
    );
    await expect400(
      await receive({ ...one({}), received_at: '2026-03-02T10:00:01Z' }),
      'received_at',
    );
    await expect400(await receive({ ...one({}), lines: [] }), 'lines');
    await expect400(await receive({ ...one({}), warehouse: warehouse.id }), 'body');

    // A product's stock is valued in one currency: goods valued in EUR are not received in USD.
    const euroValued = await create('products', { name: 'Valued in EUR', kind: 'goods' });
    await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: euroValued.id,
      warehouse_id: warehouse.id,
      quantity: '1',
      unit_cost: { amount: '1.00', currency: 'EUR' },
    });
    const usd = await create('purchase_orders', {
      supplier_id: supplier.id,
      warehouse_id: warehouse.id,
      currency: 'USD',
    });
    await create('purchase_order_lines', {
      order_id: usd.id,
      product_id: euroValued.id,
      quantity: '1',
      unit_price: { amount: '1', currency: 'USD' },
    });
    await action('purchase_orders', usd.id, 'confirm');
    await expect400(await action('purchase_orders', usd.id, 'receive', {}), 'unit_cost.currency');

    // Nothing of the refused receipts was written.
    expect(await level(chai.id, warehouse.id)).toEqual({ on_hand: '0.000', incoming: '10.000' });
    expect((await get('purchase_order_lines', lines[0].id)).received_quantity).toBe('0.000');
    expect(
      (await s.call('GET', `/api/v1/receipts?filter[purchase_order_id][eq]=${po.id}`)).body.data,
    ).toEqual([]);
    expect((await get('purchase_orders', po.id)).status).toBe('confirmed');
    const direct = await s.call('POST', '/api/v1/receipts', {});
    expect(direct.status).toBe(409);

    const draft = (items: unknown) =>
      s.call('POST', '/api/v1/stock/reorder/purchase-orders', { items });
    const before = (await s.call('GET', '/api/v1/purchase_orders?limit=500')).body.data.length;
    await expect400(await draft([]), 'items');
    await expect400(
      await draft([{ product_id: chai.id, warehouse_id: warehouse.id, quantity: '0' }]),
      'items[0].quantity',
    );
    await expect400(
      await draft([{ product_id: chai.id, warehouse_id: warehouse.id, quantity: '1' }]),
      'items[0].product_id',
    ); // no supplier
    await expect400(
      await draft([{ product_id: warehouse.id, warehouse_id: warehouse.id, quantity: '1' }]),
      'items[0].product_id',
    );
    await expect400(
      await draft([{ product_id: chai.id, warehouse_id: chai.id, quantity: '1' }]),
      'items[0].warehouse_id',
    );
    await expect400(
      await draft([{ product_id: 'x', warehouse_id: warehouse.id, quantity: '1' }]),
      'items.0.product_id',
    );
    expect((await s.call('GET', '/api/v1/purchase_orders?limit=500')).body.data.length).toBe(
      before,
    );

    await expect400(
      await s.call('POST', '/api/v1/reorder_points', {
        product_id: chai.id,
        warehouse_id: warehouse.id,
        min_quantity: '-1',
      }),
      'min_quantity',
    );
    const count = await create('stock_counts', { warehouse_id: warehouse.id });
    await expect400(
      await s.call('POST', '/api/v1/stock_count_lines', {
        count_id: count.id,
        product_id: chai.id,
        counted_quantity: '-1',
      }),
      'counted_quantity',
    );
    await expect400(
      await s.call('POST', '/api/v1/stock_count_lines', {
        count_id: count.id,
        product_id: service.id,
        counted_quantity: '1',
      }),
      'product_id',
    );
    expect((await action('stock_counts', count.id, 'post')).status).toBe(409); // no lines
  });
});
