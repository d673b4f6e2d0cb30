import { afterEach, describe, expect, test } from 'vitest';
import { changeIncoming, verifyStock } from '../../server/src/modules/inventory/ledger';
import { explode } from '../../server/src/modules/production/explode';
import { DIALECTS, PG_URL, callAs, serverFor, startServer } from '../helpers';

describe.each(DIALECTS)('production on %s', (dialect) => {
  const s = serverFor(dialect);

  afterEach(async () => {
    if (!s) return;
    expect(await verifyStock(s.kontor.database.db, s.kontor.meta)).toMatchObject({
      differences: [],
    });
  });

  const product = async (name: string, extra: Record<string, unknown> = {}) => {
    const r = await s.call('POST', '/api/v1/products', {
      name: `${name} ${Math.random()}`,
      kind: 'goods',
      ...extra,
    });
    expect(r.status).toBe(201);
    return r.body as { id: string; name: string };
  };
  const bom = async (productId: string, extra: Record<string, unknown> = {}) => {
    const r = await s.call('POST', '/api/v1/bills_of_materials', {
      name: `BOM ${Math.random()}`,
      product_id: productId,
      ...extra,
    });
    expect(r.status).toBe(201);
    return r.body as { id: string };
  };
  const line = async (bomId: string, componentId: string, quantity: string) => {
    const r = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: bomId,
      component_id: componentId,
      quantity,
    });
    expect(r.status).toBe(201);
    return r.body as { id: string };
  };
  const linesOf = async (bomId: string) =>
    (await s.call('GET', `/api/v1/bom_lines?filter[bom_id][eq]=${bomId}`)).body.data as unknown[];
  const needs = (bomId: string, quantity: bigint) =>
    s.asSystem(async (ctx) =>
      (await explode(ctx, bomId, quantity)).map((n) => [n.componentId, n.quantity]),
    );

  const receive = async (
    productId: string,
    warehouseId: string,
    quantity: string,
    cost?: string,
  ) => {
    const r = await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: productId,
      warehouse_id: warehouseId,
      quantity,
      ...(cost ? { unit_cost: { amount: cost, currency: 'EUR' } } : {}),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };
  const balance = async (productId: string, warehouseId: string) =>
    (
      await s.call(
        'GET',
        `/api/v1/stock/balances?product_id=${productId}&warehouse_id=${warehouseId}`,
      )
    ).body.data[0] as
      | { on_hand: string; reserved: string; available: string; incoming: string; value: unknown }
      | undefined;
  const warehouse = async () =>
    (await s.call('POST', '/api/v1/warehouses', { name: `Main ${Math.random()}` })).body as {
      id: string;
    };
  const order = async (body: Record<string, unknown>) => {
    const r = await s.call('POST', '/api/v1/production_orders', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; number: string; status: string };
  };
  const act = (id: string, action: string, body?: unknown) =>
    s.call('POST', `/api/v1/production_orders/${id}/${action}`, body);

  /** A table of a top and one and a half legs' worth of legs; legs come three to a run. */
  const furniture = async () => {
    const table = await product('Table');
    const leg = await product('Leg');
    const top = await product('Top');
    const wood = await product('Wood');
    const glue = await product('Glue');
    const tableBom = await bom(table.id);
    await line(tableBom.id, leg.id, '1');
    await line(tableBom.id, top.id, '1');
    await line(tableBom.id, leg.id, '0.5');
    const legBom = await bom(leg.id, { output_quantity: '3' });
    await line(legBom.id, wood.id, '1');
    await line(legBom.id, glue.id, '0.001');
    return { table, leg, top, wood, glue, tableBom, legBom };
  };

  test('a bill defaults to one per run, active, and its lines are numbered in order', async () => {
    const f = await furniture();
    const got = (await s.call('GET', `/api/v1/bills_of_materials/${f.tableBom.id}`)).body;
    expect(got).toMatchObject({ output_quantity: '1.000', is_active: true });
    const lines = (await linesOf(f.tableBom.id)) as { position: number; quantity: string }[];
    expect(lines.map((l) => [l.position, l.quantity]).sort()).toEqual([
      [1, '1.000'],
      [2, '1.000'],
      [3, '0.500'],
    ]);
  });

  test('nested bills explode to leaf components exactly, rounding only the total, and up', async () => {
    const f = await furniture();
    // Two tables: 3 legs (2 + 1), each third of a leg run taking 1 wood and 0.001 glue.
    // Per path the glue is 2/3 and 1/3 of a thousandth, the wood 666⅔ and 333⅓ thousandths:
    // summed exactly they are 0.001 and 1.000 (rounded per path they would be 0.002 and 1.001).
    expect(await needs(f.tableBom.id, 2000n)).toEqual([
      [f.wood.id, 1000n],
      [f.glue.id, 1n],
      [f.top.id, 2000n],
    ]);
    // One table: half a thousandth of glue is rounded up to a whole one; wood is 0.5 exactly.
    expect(await needs(f.tableBom.id, 1000n)).toEqual([
      [f.wood.id, 500n],
      [f.glue.id, 1n],
      [f.top.id, 1000n],
    ]);
    // The leg bill alone: nine legs are three runs.
    expect(await needs(f.legBom.id, 9000n)).toEqual([
      [f.wood.id, 3000n],
      [f.glue.id, 3n],
    ]);
    // A component whose bill is inactive is taken from stock as it is.
    expect(
      (await s.call('PATCH', `/api/v1/bills_of_materials/${f.legBom.id}`, { is_active: false }))
        .status,
    ).toBe(200);
    expect(await needs(f.tableBom.id, 2000n)).toEqual([
      [f.leg.id, 3000n],
      [f.top.id, 2000n],
    ]);
  });

  test('a bill may not contain its own product, directly or through nested bills', async () => {
    const f = await furniture();
    const direct = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: f.tableBom.id,
      component_id: f.table.id,
      quantity: '1',
    });
    expect(direct.status).toBe(400);
    expect(direct.body.errors[0].path).toBe('component_id');
    expect(direct.body.errors[0].message).toContain('would contain its own product');
    // Legs made of tables: table → leg → table.
    const nested = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: f.legBom.id,
      component_id: f.table.id,
      quantity: '1',
    });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0]).toEqual({
      path: 'component_id',
      message: `would contain its own product: ${f.leg.name} → ${f.table.name} → ${f.leg.name}`,
    });
    // A Ukrainian reader reads it in Ukrainian, the products still named.
    await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'uk' });
    const uk = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: f.legBom.id,
      component_id: f.table.id,
      quantity: '1',
    });
    await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'en' });
    expect(uk.body.errors[0].message).toBe(
      `містила б власний виріб: ${f.leg.name} → ${f.table.name} → ${f.leg.name}`,
    );
    // Changing a line's component is checked the same way.
    const glueLine = ((await linesOf(f.legBom.id)) as { id: string; component_id: string }[]).find(
      (l) => l.component_id === f.glue.id,
    )!;
    const changed = await s.call('PATCH', `/api/v1/bom_lines/${glueLine.id}`, {
      component_id: f.table.id,
    });
    expect(changed.status).toBe(400);
    expect(changed.body.errors[0].path).toBe('component_id');
    // An inactive bill is checked as if it were used: wood made of tables is refused too.
    const woodBom = await bom(f.wood.id, { is_active: false });
    const woodOfTables = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: woodBom.id,
      component_id: f.table.id,
      quantity: '1',
    });
    expect(woodOfTables.status).toBe(400);
    // Wood made of nails is fine, and so are nails made of wood while the wood bill is inactive;
    // activating it then would close the circle, and is refused.
    const nail = await product('Nail');
    await line(woodBom.id, nail.id, '2');
    await line((await bom(nail.id)).id, f.wood.id, '0.1');
    const activate = await s.call('PATCH', `/api/v1/bills_of_materials/${woodBom.id}`, {
      is_active: true,
    });
    expect(activate.status).toBe(400);
    expect(activate.body.errors[0]).toEqual({
      path: 'is_active',
      message: `would contain its own product: ${f.wood.name} → ${nail.name} → ${f.wood.name}`,
    });
    expect((await s.call('GET', `/api/v1/bills_of_materials/${woodBom.id}`)).body.is_active).toBe(
      false,
    );
    // Moving a bill to another product is checked too.
    const moved = await s.call('PATCH', `/api/v1/bills_of_materials/${f.legBom.id}`, {
      product_id: f.wood.id,
    });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].path).toBe('product_id');
    // Nothing of the refused changes was written.
    expect(await linesOf(f.legBom.id)).toHaveLength(2);
    expect(await needs(f.tableBom.id, 2000n)).toEqual([
      [f.wood.id, 1000n],
      [f.glue.id, 1n],
      [f.top.id, 2000n],
    ]);
  });

  test('two lines closing a circle at the same moment: one is refused', async () => {
    const x = await product('X');
    const y = await product('Y');
    const [bx, by] = [await bom(x.id), await bom(y.id)];
    const results = await Promise.all([
      s.call('POST', '/api/v1/bom_lines', { bom_id: bx.id, component_id: y.id, quantity: '1' }),
      s.call('POST', '/api/v1/bom_lines', { bom_id: by.id, component_id: x.id, quantity: '1' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    expect([...(await linesOf(bx.id)), ...(await linesOf(by.id))]).toHaveLength(1);
  });

  test('bills nest at most 20 levels deep', async () => {
    const chain = [];
    for (let i = 0; i < 22; i++) chain.push(await product(`Level ${i}`));
    // Bills for levels 20 down to 1, each made of the next: 20 levels, allowed.
    for (let i = 20; i >= 1; i--) await line((await bom(chain[i].id)).id, chain[i + 1].id, '1');
    const deepest = await bom(chain[0].id);
    const tooDeep = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: deepest.id,
      component_id: chain[1].id,
      quantity: '1',
    });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors).toEqual([
      { path: 'component_id', message: 'nests bills of materials more than 20 levels deep' },
    ]);
  });

  test('a sub-assembly met on many paths is flattened once: twenty doubling levels stay quick', async () => {
    const levels = [];
    for (let i = 0; i < 20; i++) levels.push(await product(`Double ${i}`));
    const screw = await product('Screw');
    await line((await bom(levels[19].id)).id, screw.id, '1');
    for (let i = 18; i >= 0; i--) {
      const b = await bom(levels[i].id);
      await line(b.id, levels[i + 1].id, '1');
      await line(b.id, levels[i + 1].id, '1');
    }
    const started = Date.now();
    const top = (
      (await s.call('GET', `/api/v1/bills_of_materials?filter[product_id][eq]=${levels[0].id}`))
        .body.data as { id: string }[]
    )[0];
    // 2^19 paths down to the screw, 524,288 screws per unit.
    expect(await needs(top.id, 1000n)).toEqual([[screw.id, 524_288_000n]]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('one active bill per product; services make no bills and are no components', async () => {
    const f = await furniture();
    const second = await s.call('POST', '/api/v1/bills_of_materials', {
      name: 'Another table',
      product_id: f.table.id,
    });
    expect(second.status).toBe(400);
    expect(second.body.errors[0].path).toBe('is_active');
    expect(second.body.errors[0].message).toContain('already has an active bill of materials');
    const inactive = await bom(f.table.id, { is_active: false });
    expect(inactive).toMatchObject({ is_active: false });

    const service = await product('Assembly', { kind: 'service' });
    const serviceLine = await s.call('POST', '/api/v1/bom_lines', {
      bom_id: f.tableBom.id,
      component_id: service.id,
      quantity: '1',
    });
    expect(serviceLine.status).toBe(400);
    expect(serviceLine.body.errors).toEqual([
      { path: 'component_id', message: 'is a service, which is not a component' },
    ]);
    // Nor does a product in a bill become a service later.
    for (const p of [f.glue, f.table]) {
      const r = await s.call('PATCH', `/api/v1/products/${p.id}`, { kind: 'service' });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].path).toBe('kind');
    }
    const serviceBom = await s.call('POST', '/api/v1/bills_of_materials', {
      name: 'Service',
      product_id: service.id,
    });
    expect(serviceBom.status).toBe(400);
    expect(serviceBom.body.errors[0].path).toBe('product_id');
  });

  test('bad quantities are a 400 naming the field, and nothing is written', async () => {
    const f = await furniture();
    const cases: [string, Record<string, unknown>, string][] = [
      [
        '/api/v1/bom_lines',
        { bom_id: f.tableBom.id, component_id: f.wood.id, quantity: '0' },
        'quantity',
      ],
      [
        '/api/v1/bom_lines',
        { bom_id: f.tableBom.id, component_id: f.wood.id, quantity: '-1' },
        'quantity',
      ],
      [
        '/api/v1/bom_lines',
        { bom_id: f.tableBom.id, component_id: f.wood.id, quantity: '0.0001' },
        'quantity',
      ],
      ['/api/v1/bom_lines', { bom_id: f.tableBom.id, component_id: f.wood.id }, 'quantity'],
      ['/api/v1/bom_lines', { bom_id: f.tableBom.id, quantity: '1' }, 'component_id'],
      [
        '/api/v1/bills_of_materials',
        { name: 'x', product_id: f.wood.id, output_quantity: '0' },
        'output_quantity',
      ],
      [
        '/api/v1/bills_of_materials',
        { name: 'x', product_id: f.wood.id, output_quantity: null },
        'output_quantity',
      ],
      ['/api/v1/bills_of_materials', { name: 'x' }, 'product_id'],
    ];
    for (const [url, body, path] of cases) {
      const r = await s.call('POST', url, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await linesOf(f.tableBom.id)).toHaveLength(3);
    const woodBoms = (
      await s.call('GET', `/api/v1/bills_of_materials?filter[product_id][eq]=${f.wood.id}`)
    ).body.data;
    expect(woodBoms).toHaveLength(0);
  });

  test('a production order takes its product from its bill, or its bill from its product', async () => {
    const f = await furniture();
    const main = (await s.call('POST', '/api/v1/warehouses', { name: `Main ${Math.random()}` }))
      .body;
    const byBill = await s.call('POST', '/api/v1/production_orders', {
      bom_id: f.tableBom.id,
      quantity: '2',
      warehouse_id: main.id,
    });
    expect(byBill.status).toBe(201);
    expect(byBill.body).toMatchObject({
      status: 'draft',
      product_id: f.table.id,
      quantity: '2.000',
      produced_value: null,
    });
    const byProduct = await s.call('POST', '/api/v1/production_orders', {
      product_id: f.leg.id,
      quantity: '1',
      warehouse_id: main.id,
    });
    expect(byProduct.status).toBe(201);
    expect(byProduct.body).toMatchObject({ bom_id: f.legBom.id, product_id: f.leg.id });

    const inactive = await bom(f.wood.id, { is_active: false });
    const base = { quantity: '1', warehouse_id: main.id };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, bom_id: f.tableBom.id, product_id: f.leg.id }, 'product_id', 'is taken from'],
      [{ ...base, product_id: f.top.id }, 'product_id', 'has no active bill of materials'],
      [{ ...base }, 'bom_id', 'is required'],
      [{ ...base, bom_id: inactive.id }, 'bom_id', 'is not active'],
      [{ ...base, bom_id: f.tableBom.id, quantity: '0' }, 'quantity', 'must be more than zero'],
      [{ ...base, bom_id: f.tableBom.id, quantity: 'two' }, 'quantity', 'must be a decimal'],
      [{ ...base, bom_id: f.tableBom.id, status: 'done' }, 'status', 'is read-only'],
      [{ bom_id: f.tableBom.id, quantity: '1' }, 'warehouse_id', 'is required'],
      [
        { ...base, bom_id: f.tableBom.id, produced_value: { amount: '1', currency: 'EUR' } },
        'produced_value',
        'is read-only',
      ],
    ];
    for (const [body, path, message] of cases) {
      const r = await s.call('POST', '/api/v1/production_orders', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const error = r.body.errors.find((e: { path: string }) => e.path === path);
      expect(error?.message, JSON.stringify(r.body.errors)).toContain(message);
    }
    const all = (
      await s.call('GET', `/api/v1/production_orders?filter[warehouse_id][eq]=${main.id}`)
    ).body.data;
    expect(all).toHaveLength(2);
    // Linked to a deal, it shows in the deal's related list.
    const deal = (await s.call('POST', '/api/v1/deals', { name: `Tables ${Math.random()}` })).body;
    const linked = await s.call('PATCH', `/api/v1/production_orders/${byBill.body.id}`, {
      deal_id: deal.id,
    });
    expect(linked.status).toBe(200);
    const related = await s.call('GET', `/api/v1/deals/${deal.id}/related/production_orders`);
    expect(related.status).toBe(200);
    expect(related.body.data.map((r: { id: string }) => r.id)).toEqual([byBill.body.id]);
    const noSuchOrder = await s.call('PATCH', `/api/v1/production_orders/${byBill.body.id}`, {
      sales_order_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(noSuchOrder.status).toBe(400);
    expect(noSuchOrder.body.errors[0].path).toBe('sales_order_id');
    // A draft may change what it makes; the product follows the bill.
    const switched = await s.call('PATCH', `/api/v1/production_orders/${byProduct.body.id}`, {
      bom_id: f.tableBom.id,
    });
    expect(switched.status).toBe(200);
    expect(switched.body.product_id).toBe(f.table.id);
  });

  const stockValue = async () =>
    (await s.call('GET', '/api/v1/stock/value')).body.totals as {
      amount: string;
      currency: string;
    }[];
  /** The furniture, a warehouse, and wood, glue and tops in it. */
  const stocked = async (tops = '1') => {
    const f = await furniture();
    const w = await warehouse();
    await receive(f.wood.id, w.id, '5', '2.00');
    await receive(f.glue.id, w.id, '1', '0.30');
    await receive(f.top.id, w.id, tops, '10.00');
    return { ...f, w };
  };

  test('shortages are shown before starting; confirming reserves every component or none', async () => {
    const f = await stocked();
    await s.asSystem((ctx) => changeIncoming(ctx, f.top.id, f.w.id, 3000n));
    const o = await order({ bom_id: f.tableBom.id, quantity: '2', warehouse_id: f.w.id });
    expect(o.number).toMatch(/^MO-\d{6}$/);
    expect(o.status).toBe('draft');
    const shortages = await s.call('GET', `/api/v1/production_orders/${o.id}/shortages`);
    expect(shortages.status).toBe(200);
    expect(shortages.body).toMatchObject({ status: 'draft', warehouse_id: f.w.id, short: true });
    expect(shortages.body.data).toEqual([
      {
        component_id: f.wood.id,
        name: f.wood.name,
        sku: null,
        needed: '1.000',
        reserved: '0.000',
        available: '5.000',
        incoming: '0.000',
        short: '0.000',
      },
      expect.objectContaining({ component_id: f.glue.id, needed: '0.001', short: '0.000' }),
      expect.objectContaining({
        component_id: f.top.id,
        needed: '2.000',
        available: '1.000',
        incoming: '3.000',
        short: '1.000',
      }),
    ]);

    const refused = await act(o.id, 'confirm');
    expect(refused.status).toBe(409);
    expect(refused.body.code_detail).toBe('insufficient_stock');
    expect(refused.body.errors).toEqual([
      {
        path: `components.${f.top.id}`,
        message: `${f.top.name}: only 1.000 available (1.000 on hand, 0.000 reserved); 2.000 needed`,
      },
    ]);
    // Nothing was written: still a draft, nothing reserved.
    expect((await s.call('GET', `/api/v1/production_orders/${o.id}`)).body.status).toBe('draft');
    expect((await balance(f.wood.id, f.w.id))?.reserved).toBe('0.000');

    await receive(f.top.id, f.w.id, '1', '12.00');
    const confirmed = await act(o.id, 'confirm');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect(await balance(f.wood.id, f.w.id)).toMatchObject({
      reserved: '1.000',
      available: '4.000',
    });
    expect(await balance(f.glue.id, f.w.id)).toMatchObject({ reserved: '0.001' });
    expect(await balance(f.top.id, f.w.id)).toMatchObject({
      reserved: '2.000',
      available: '0.000',
    });
    const after = (await s.call('GET', `/api/v1/production_orders/${o.id}/shortages`)).body;
    expect(after.short).toBe(false);
    expect(after.data.map((d: { reserved: string }) => d.reserved)).toEqual([
      '1.000',
      '0.001',
      '2.000',
    ]);

    // Confirmed, it is not confirmed again, and what it makes is fixed.
    expect((await act(o.id, 'confirm')).status).toBe(409);
    const edit = await s.call('PATCH', `/api/v1/production_orders/${o.id}`, { quantity: '3' });
    expect(edit.status).toBe(400);
    expect(edit.body.errors[0]).toMatchObject({ path: 'quantity' });
    expect(
      (await s.call('PATCH', `/api/v1/production_orders/${o.id}`, { notes: 'Rush' })).status,
    ).toBe(200);
    expect((await s.call('DELETE', `/api/v1/production_orders/${o.id}`)).status).toBe(409);
    expect((await act(o.id, 'cancel')).status).toBe(200);
  });

  test('completing consumes the components and makes the goods at exactly their value', async () => {
    const f = await stocked('2');
    const o = await order({ bom_id: f.tableBom.id, quantity: '2', warehouse_id: f.w.id });
    expect((await act(o.id, 'confirm')).status).toBe(200);
    expect((await act(o.id, 'start')).body.status).toBe('in_progress');
    const before = await stockValue();
    const done = await act(o.id, 'complete', { finished_at: '2026-03-02T11:30:00+02:00' });
    expect(done.status).toBe(200);
    // Wood 1 of 5 at 2.00, glue 0.001 of 1 at 0.30 (0.0003: nothing), both tops: 20.00.
    expect(done.body).toMatchObject({
      status: 'done',
      finished_at: '2026-03-02T09:30:00.000Z',
      produced_value: { amount: '22.00', currency: 'EUR' },
    });
    expect(await stockValue()).toEqual(before);
    expect(await balance(f.wood.id, f.w.id)).toMatchObject({ on_hand: '4.000', reserved: '0.000' });
    expect(await balance(f.glue.id, f.w.id)).toMatchObject({ on_hand: '0.999', reserved: '0.000' });
    expect(await balance(f.top.id, f.w.id)).toMatchObject({ on_hand: '0.000', reserved: '0.000' });
    expect(await balance(f.table.id, f.w.id)).toMatchObject({ on_hand: '2.000' });
    const made = (await s.call('GET', `/api/v1/stock/value?product_id=${f.table.id}`)).body
      .products[0];
    expect(made).toMatchObject({ quantity: '2.000', value: { amount: '22.00', currency: 'EUR' } });
    const moves = (await s.call('GET', `/api/v1/stock/moves?product_id=${f.table.id}`)).body.data;
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      kind: 'production_in',
      quantity: '2.000',
      occurred_at: '2026-03-02T09:30:00.000Z',
      document: { object: 'production_orders', id: o.id },
    });
    const out = (await s.call('GET', `/api/v1/stock/moves?product_id=${f.wood.id}`)).body.data[0];
    expect(out).toMatchObject({ kind: 'production_out', quantity: '-1.000' });
    // Done is done.
    expect((await act(o.id, 'complete')).status).toBe(409);
    expect((await act(o.id, 'cancel')).status).toBe(409);
  });

  test('a value that does not divide by the quantity made is kept to the cent', async () => {
    const f = await furniture();
    const w = await warehouse();
    await receive(f.wood.id, w.id, '1', '10.00');
    await receive(f.glue.id, w.id, '1', '0.00');
    // Three legs are one run: all the wood (10.00) for three, 3.333… each.
    const o = await order({ bom_id: f.legBom.id, quantity: '3', warehouse_id: w.id });
    expect((await act(o.id, 'confirm')).status).toBe(200);
    const before = await stockValue();
    const done = await act(o.id, 'complete', {});
    expect(done.status).toBe(200);
    expect(done.body.produced_value).toMatchObject({ amount: '10.00' });
    expect(await stockValue()).toEqual(before);
    const made = (await s.call('GET', `/api/v1/stock/value?product_id=${f.leg.id}`)).body
      .products[0];
    expect(made).toMatchObject({ quantity: '3.000', value: { amount: '10.00' } });
  });

  test('cancelling releases the reservations', async () => {
    const f = await stocked('5');
    const o = await order({ bom_id: f.tableBom.id, quantity: '2', warehouse_id: f.w.id });
    await act(o.id, 'confirm');
    expect(await balance(f.top.id, f.w.id)).toMatchObject({ reserved: '2.000' });
    const cancelled = await act(o.id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    for (const p of [f.wood, f.glue, f.top])
      expect((await balance(p.id, f.w.id))?.reserved).toBe('0.000');
    expect((await act(o.id, 'confirm')).status).toBe(409);
    expect((await act(o.id, 'cancel')).status).toBe(409);
    // A draft is cancelled too, and nothing was reserved for it.
    const draft = await order({ bom_id: f.tableBom.id, quantity: '1', warehouse_id: f.w.id });
    expect((await act(draft.id, 'cancel')).body.status).toBe('cancelled');
  });

  test('two production orders for the last component at the same moment: exactly one confirms', async () => {
    const f = await stocked('1');
    const a = await order({ bom_id: f.tableBom.id, quantity: '1', warehouse_id: f.w.id });
    const b = await order({ bom_id: f.tableBom.id, quantity: '1', warehouse_id: f.w.id });
    const results = await Promise.all([act(a.id, 'confirm'), act(b.id, 'confirm')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await balance(f.top.id, f.w.id)).toMatchObject({ on_hand: '1.000', reserved: '1.000' });
    const statuses = await Promise.all(
      [a, b].map(
        async (o) => (await s.call('GET', `/api/v1/production_orders/${o.id}`)).body.status,
      ),
    );
    expect(statuses.sort()).toEqual(['confirmed', 'draft']);
  });

  test('bad input to the actions is a 400 naming the field, and nothing is written', async () => {
    const f = await stocked('2');
    const o = await order({ bom_id: f.tableBom.id, quantity: '1', warehouse_id: f.w.id });
    expect((await act(o.id, 'complete')).status).toBe(409);
    await act(o.id, 'confirm');
    const cases: [unknown, string][] = [
      [{ finished_at: 'yesterday' }, 'finished_at'],
      [{ finished_at: '2026-02-30T10:00:00Z' }, 'finished_at'],
      [{ finished_at: 5 }, 'finished_at'],
      [{ finished_at: '2026-03-02T10:00:01Z' }, 'finished_at'],
      [{ when: 'now' }, 'when'],
    ];
    for (const [body, path] of cases) {
      const r = await act(o.id, 'complete', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.errors[0].path).toBe(path);
    }
    expect((await s.call('GET', `/api/v1/production_orders/${o.id}`)).body.status).toBe(
      'confirmed',
    );
    expect(await balance(f.top.id, f.w.id)).toMatchObject({ on_hand: '2.000', reserved: '1.000' });
    expect(
      (await s.call('GET', `/api/v1/stock/moves?product_id=${f.table.id}`)).body.data,
    ).toHaveLength(0);
    expect((await act('not-an-id', 'confirm')).status).toBe(400);
    expect((await act('00000000-0000-4000-8000-000000000000', 'confirm')).status).toBe(404);
    // A bill with no lines makes nothing.
    const empty = await order({
      bom_id: (await bom((await product('Air')).id)).id,
      quantity: '1',
      warehouse_id: f.w.id,
    });
    const nothing = await act(empty.id, 'confirm');
    expect(nothing.status).toBe(400);
    expect(nothing.body.errors).toEqual([{ path: 'bom_id', message: 'has no lines' }]);
    expect((await s.call('GET', `/api/v1/production_orders/${empty.id}`)).body.status).toBe(
      'draft',
    );
    // The actions are in the OpenAPI document.
    const openapi = (await s.call('GET', '/api/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/production_orders/{id}/shortages',
        '/api/v1/production_orders/{id}/confirm',
        '/api/v1/production_orders/{id}/complete',
        '/api/v1/production_orders/{id}/cancel',
      ]),
    );
    // Someone who may only read production orders sees shortages but confirms nothing.
    const role = `Production viewer ${Math.random()}`;
    await s.call('POST', '/api/v1/roles', {
      name: role,
      permissions: { objects: { production_orders: { read: 'all' }, products: { read: 'all' } } },
    });
    const { key } = await s.keyFor({
      email: `viewer${Math.random()}@example.com`,
      name: 'V',
      role,
    });
    const viewer = callAs(s, key);
    const draft = await order({ bom_id: f.tableBom.id, quantity: '1', warehouse_id: f.w.id });
    expect((await viewer('GET', `/api/v1/production_orders/${draft.id}/shortages`)).status).toBe(
      200,
    );
    expect((await viewer('POST', `/api/v1/production_orders/${draft.id}/confirm`)).status).toBe(
      403,
    );
    // A planner who may change production orders but not the warehouse.
    const plannerRole = `Planner ${Math.random()}`;
    await s.call('POST', '/api/v1/roles', {
      name: plannerRole,
      permissions: {
        objects: {
          production_orders: { read: 'all', update: 'all' },
          products: { read: 'all' },
          warehouses: { read: 'all' },
        },
      },
    });
    const plannerKey = await s.keyFor({
      email: `planner${Math.random()}@example.com`,
      name: 'P',
      role: plannerRole,
    });
    const planner = callAs(s, plannerKey.key);
    // Reserving moves no stock: the order's right is enough. Completing moves it: refused.
    expect((await planner('POST', `/api/v1/production_orders/${draft.id}/confirm`)).status).toBe(
      200,
    );
    const refused = await planner('POST', `/api/v1/production_orders/${draft.id}/complete`);
    expect(refused.status).toBe(403);
    expect((await s.call('GET', `/api/v1/production_orders/${draft.id}`)).body.status).toBe(
      'confirmed',
    );
    expect((await balance(f.table.id, f.w.id))?.on_hand ?? '0.000').toBe('0.000');
    expect((await planner('POST', `/api/v1/production_orders/${draft.id}/cancel`)).status).toBe(
      200,
    );
  });

  test('a production order assembles a kit from its catalog components', async () => {
    const w = await warehouse();
    const box = await product('Gift box', { kind: 'kit' });
    const chai = await product('Chai');
    const mug = await product('Mug');
    for (const [component, quantity] of [
      [chai, '2'],
      [mug, '1'],
    ] as const) {
      const r = await s.call('POST', '/api/v1/kit_components', {
        kit_id: box.id,
        component_id: component.id,
        quantity,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    await receive(chai.id, w.id, '10', '3.00');
    await receive(mug.id, w.id, '5', '4.50');
    // Given the kit instead of a bill: it has none, so its components are the bill.
    const o = await order({ product_id: box.id, quantity: '3', warehouse_id: w.id });
    expect(o).toMatchObject({ bom_id: null, product_id: box.id });
    const shortages = (await s.call('GET', `/api/v1/production_orders/${o.id}/shortages`)).body;
    expect(
      shortages.data.map((d: { component_id: string; needed: string; short: string }) => [
        d.component_id,
        d.needed,
        d.short,
      ]),
    ).toEqual([
      [chai.id, '6.000', '0.000'],
      [mug.id, '3.000', '0.000'],
    ]);
    expect((await act(o.id, 'confirm')).status).toBe(200);
    expect(await balance(mug.id, w.id)).toMatchObject({ reserved: '3.000', available: '2.000' });
    const before = await stockValue();
    const done = await act(o.id, 'complete');
    expect(done.status).toBe(200);
    // 6 × 3.00 + 3 × 4.50.
    expect(done.body.produced_value).toMatchObject({ amount: '31.50', currency: 'EUR' });
    expect(await stockValue()).toEqual(before);
    expect(await balance(box.id, w.id)).toMatchObject({ on_hand: '3.000', available: '3.000' });
    expect(await balance(chai.id, w.id)).toMatchObject({ on_hand: '4.000', reserved: '0.000' });
    expect(await balance(mug.id, w.id)).toMatchObject({ on_hand: '2.000', reserved: '0.000' });

    // A kit with no components makes nothing; a product that is neither kit nor made is refused.
    const bare = await product('Bare box', { kind: 'kit' });
    const empty = await order({ product_id: bare.id, quantity: '1', warehouse_id: w.id });
    const refused = await act(empty.id, 'confirm');
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      { path: 'product_id', message: 'is a kit with no components' },
    ]);
    const plain = await s.call('POST', '/api/v1/production_orders', {
      product_id: chai.id,
      quantity: '1',
      warehouse_id: w.id,
    });
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0]).toEqual({
      path: 'product_id',
      message: 'has no active bill of materials and is not a kit; give bom_id',
    });
  });
});

describe('production orders across two server processes on PostgreSQL', () => {
  test('the last component goes to one order; an order completes once', async (ctx) => {
    const a = await startServer('postgres');
    if (!a) return ctx.skip();
    const pino = (await import('pino')).default;
    const { boot } = await import('../../server/src/boot');
    const { loadConfig } = await import('../../server/src/config');
    const { buildApp } = await import('../../server/src/http/app');
    const config = loadConfig({ dataDir: '/tmp', databaseUrl: PG_URL, logLevel: 'silent' }, {});
    const other = await boot({
      config,
      schema: a.kontor.database.schema!,
      log: pino({ level: 'silent' }),
    });
    const otherApp = await buildApp(other.kontor);
    const viaOther = async (url: string) => {
      const r = await otherApp.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${a.adminKey}` },
      });
      return { status: r.statusCode, body: JSON.parse(r.body) };
    };
    try {
      const part = (await a.call('POST', '/api/v1/products', { name: 'Part' })).body;
      const made = (await a.call('POST', '/api/v1/products', { name: 'Made' })).body;
      const w = (await a.call('POST', '/api/v1/warehouses', { name: 'Main' })).body;
      const bill = (
        await a.call('POST', '/api/v1/bills_of_materials', { name: 'Made', product_id: made.id })
      ).body;
      await a.call('POST', '/api/v1/bom_lines', {
        bom_id: bill.id,
        component_id: part.id,
        quantity: '1',
      });
      await a.call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: part.id,
        warehouse_id: w.id,
        quantity: '1',
        unit_cost: { amount: '5.00', currency: 'EUR' },
      });
      const orders = [];
      for (let i = 0; i < 2; i++)
        orders.push(
          (
            await a.call('POST', '/api/v1/production_orders', {
              bom_id: bill.id,
              quantity: '1',
              warehouse_id: w.id,
            })
          ).body,
        );
      const confirms = await Promise.all([
        a.call('POST', `/api/v1/production_orders/${orders[0].id}/confirm`),
        viaOther(`/api/v1/production_orders/${orders[1].id}/confirm`),
      ]);
      expect(confirms.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = orders[confirms[0].status === 200 ? 0 : 1];
      const completes = await Promise.all([
        a.call('POST', `/api/v1/production_orders/${winner.id}/complete`),
        viaOther(`/api/v1/production_orders/${winner.id}/complete`),
      ]);
      expect(completes.map((r) => r.status).sort()).toEqual([200, 409]);
      const balance = async (p: string) =>
        (await a.call('GET', `/api/v1/stock/balances?product_id=${p}&warehouse_id=${w.id}`)).body
          .data[0];
      expect(await balance(part.id)).toMatchObject({ on_hand: '0.000', reserved: '0.000' });
      expect(await balance(made.id)).toMatchObject({ on_hand: '1.000' });
      expect(await verifyStock(a.kontor.database.db, a.kontor.meta)).toMatchObject({
        differences: [],
      });
    } finally {
      await otherApp.close();
      await other.kontor.database.close();
      await a.close();
    }
  });
});
