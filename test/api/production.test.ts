import { afterEach, describe, expect, test } from 'vitest';
import { verifyStock } from '../../server/src/modules/inventory/ledger';
import { explode } from '../../server/src/modules/production/explode';
import { DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('production on %s', (dialect) => {
  const s = serverFor(dialect);

  afterEach(async () => {
    if (!s) return;
    expect(await verifyStock(s.kontor.database.db)).toMatchObject({ differences: [] });
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
    // A draft may change what it makes; the product follows the bill.
    const switched = await s.call('PATCH', `/api/v1/production_orders/${byProduct.body.id}`, {
      bom_id: f.tableBom.id,
    });
    expect(switched.status).toBe(200);
    expect(switched.body.product_id).toBe(f.table.id);
  });
});
