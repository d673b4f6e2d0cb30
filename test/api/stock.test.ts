import { afterEach, describe, expect, test } from 'vitest';
import { verifyStock } from '../../server/src/modules/inventory/ledger';
import { DIALECTS, callAs, serverFor, startServer } from '../helpers';

describe.each(DIALECTS)('the stock ledger on %s', (dialect) => {
  const s = serverFor(dialect);

  // After every test the balances must be what the ledger says.
  afterEach(async () => {
    if (!s) return;
    expect(await verifyStock(s.kontor.database.db, s.kontor.meta)).toMatchObject({
      differences: [],
    });
  });

  const setup = async () => {
    const product = (
      await s!.call('POST', '/api/v1/products', { name: `Chai ${Math.random()}`, kind: 'goods' })
    ).body;
    const main = (await s!.call('POST', '/api/v1/warehouses', { name: `Main ${Math.random()}` }))
      .body;
    const north = (await s!.call('POST', '/api/v1/warehouses', { name: `North ${Math.random()}` }))
      .body;
    return { product, main, north };
  };
  const onHand = async (product: string, warehouse: string) =>
    (await s!.call('GET', `/api/v1/stock/balances?product_id=${product}&warehouse_id=${warehouse}`))
      .body.data[0]?.on_hand;

  test('receipts, adjustments and transfers move the balances exactly, in thousandths', async () => {
    const { product, main, north } = await setup();
    const receipt = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '12.5',
      unit_cost: { amount: '3.10', currency: 'EUR' },
    });
    expect(receipt.status).toBe(201);
    expect(receipt.body.moves[0]).toMatchObject({
      kind: 'receipt',
      quantity: '12.500',
      unit_cost: { amount: '3.10', currency: 'EUR' },
    });
    expect(receipt.body.balances).toEqual([
      {
        product_id: product.id,
        warehouse_id: main.id,
        on_hand: '12.500',
        reserved: '0.000',
        available: '12.500',
        incoming: '0.000',
      },
    ]);
    await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'adjustment',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '-0.125',
      note: 'Counted',
    });
    const transfer = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'transfer',
      product_id: product.id,
      warehouse_id: main.id,
      to_warehouse_id: north.id,
      quantity: 2,
    });
    expect(transfer.status).toBe(201);
    expect(transfer.body.moves.map((m: { quantity: string }) => m.quantity).sort()).toEqual([
      '-2.000',
      '2.000',
    ]);
    expect(await onHand(product.id, main.id)).toBe('10.375');
    expect(await onHand(product.id, north.id)).toBe('2.000');
    const moves = (await s!.call('GET', `/api/v1/stock/moves?product_id=${product.id}`)).body.data;
    expect(moves).toHaveLength(4);
    // Every move is in the audit log.
    const audit = await s!.kontor.database.db
      .selectFrom('audit_log')
      .select('record_id')
      .where('object', '=', 'stock_moves')
      .execute();
    expect(audit.map((a) => a.record_id)).toEqual(
      expect.arrayContaining(moves.map((m: { id: string }) => m.id)),
    );
  });

  test('stock never goes below zero unless the product allows it; a refused move writes nothing', async () => {
    const { product, main } = await setup();
    await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '1',
    });
    const tooMuch = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'adjustment',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '-1.001',
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.errors).toEqual([
      { path: 'quantity', message: 'only 1.000 on hand; 1.001 needed' },
    ]);
    expect(await onHand(product.id, main.id)).toBe('1.000');
    expect(
      (await s!.call('GET', `/api/v1/stock/moves?product_id=${product.id}`)).body.data,
    ).toHaveLength(1);

    await s!.call('PATCH', `/api/v1/products/${product.id}`, { allow_negative_stock: true });
    const below = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'adjustment',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '-3',
    });
    expect(below.status).toBe(201);
    expect(await onHand(product.id, main.id)).toBe('-2.000');
  });

  test('bad input is a 400 naming the field, and nothing is written', async () => {
    const { product, main } = await setup();
    const service = (
      await s!.call('POST', '/api/v1/products', { name: 'Delivery', kind: 'service' })
    ).body;
    const base = { kind: 'receipt', product_id: product.id, warehouse_id: main.id, quantity: '1' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ quantity: '1.2345' }, 'quantity', 'has more than 3 decimal places'],
      [{ quantity: '0' }, 'quantity', 'must not be zero'],
      [{ quantity: 'lots' }, 'quantity', 'must be a decimal number like 12.50'],
      [{ quantity: '-1' }, 'quantity', 'must be more than zero; an adjustment may take stock away'],
      [{ product_id: service.id }, 'product_id', 'is a service, which holds no stock'],
      [{ product_id: main.id }, 'product_id', 'no such product'],
      [{ warehouse_id: 'nope' }, 'warehouse_id', 'must be a record id (UUID)'],
      [{ kind: 'theft' }, 'kind', 'must be receipt, adjustment or transfer'],
      [{ kind: 'transfer' }, 'to_warehouse_id', 'is required for a transfer'],
      [
        { kind: 'transfer', to_warehouse_id: main.id },
        'to_warehouse_id',
        'must be another warehouse than warehouse_id',
      ],
      [{ to_warehouse_id: main.id }, 'to_warehouse_id', 'is only for a transfer'],
      [
        { unit_cost: { amount: '1.001', currency: 'EUR' } },
        'unit_cost.amount',
        'has more than 2 decimal places',
      ],
      [
        { unit_cost: { amount: '1', currency: 'ZZZ1' } },
        'unit_cost.currency',
        'must be an ISO 4217 code like EUR',
      ],
    ];
    for (const [change, path, message] of cases) {
      const res = await s!.call('POST', '/api/v1/stock/moves', { ...base, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.body.errors, JSON.stringify(change)).toContainEqual({ path, message });
    }
    expect(
      (await s!.call('GET', `/api/v1/stock/moves?product_id=${product.id}`)).body.data,
    ).toEqual([]);
  });

  test('quantities stay within what the ledger counts exactly; stocked products and warehouses are kept', async () => {
    const { product, main } = await setup();
    const move = (quantity: string, extra: Record<string, unknown> = {}) =>
      s!.call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: product.id,
        warehouse_id: main.id,
        quantity,
        ...extra,
      });
    expect((await move('1000000000000.001')).body.errors).toEqual([
      { path: 'quantity', message: 'must be at most 1000000000000 (a trillion)' },
    ]);
    expect((await move('99999999999999999999')).status).toBe(400);
    expect(
      (await move('1', { unit_cost: { amount: '99999999999999999999', currency: 'EUR' } })).status,
    ).toBe(400);
    expect((await move('1000000000000')).status).toBe(201);
    const over = await move('0.001');
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([
      { path: 'quantity', message: 'would take the balance past a trillion units' },
    ]);
    expect(await onHand(product.id, main.id)).toBe('1000000000000.000');

    // Stock held: the product stays goods and neither it nor the warehouse can be deleted.
    const toService = await s!.call('PATCH', `/api/v1/products/${product.id}`, { kind: 'service' });
    expect(toService.status).toBe(400);
    expect((await s!.call('DELETE', `/api/v1/products/${product.id}`)).status).toBe(409);
    expect((await s!.call('DELETE', `/api/v1/warehouses/${main.id}`)).status).toBe(409);
    await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'adjustment',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '-1000000000000',
    });
    expect((await s!.call('DELETE', `/api/v1/warehouses/${main.id}`)).status).toBe(200);
  });

  test('a reader sees the stock only of the products and warehouses their role lets them read', async () => {
    const { product: theirs, main } = await setup();
    const other = (await s!.call('POST', '/api/v1/products', { name: 'Not theirs', kind: 'goods' }))
      .body;
    const role = `Own products ${Math.random()}`;
    await s!.call('POST', '/api/v1/roles', {
      name: role,
      permissions: { objects: { warehouses: { read: 'all' }, products: { read: 'own' } } },
    });
    const user = await s!.keyFor({ email: `own${Math.random()}@example.com`, name: 'Own', role });
    await s!.call('PATCH', `/api/v1/products/${theirs.id}`, { owner_id: user.id });
    for (const p of [theirs, other])
      await s!.call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: p.id,
        warehouse_id: main.id,
        quantity: '2',
      });
    const seen = (
      await callAs(s!, user.key)('GET', `/api/v1/stock/balances?warehouse_id=${main.id}`)
    ).body.data;
    expect(seen.map((b: { product_id: string }) => b.product_id)).toEqual([theirs.id]);
    const moves = await callAs(s!, user.key)('GET', `/api/v1/stock/moves?product_id=${other.id}`);
    expect(moves.body.data).toEqual([]);
  });

  test('reversing a posting needs the same rights and warehouses as posting it', async () => {
    const { product, main } = await setup();
    const receipt = (
      await s!.call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: product.id,
        warehouse_id: main.id,
        quantity: '5',
      })
    ).body;
    const role = `Own warehouses ${Math.random()}`;
    await s!.call('POST', '/api/v1/roles', {
      name: role,
      permissions: {
        objects: { warehouses: { read: 'all', update: 'own' }, products: { read: 'all' } },
      },
    });
    const { key } = await s!.keyFor({
      email: `own${Math.random()}@example.com`,
      name: 'Own',
      role,
    });
    const denied = await callAs(s!, key)(
      'POST',
      `/api/v1/stock/postings/${receipt.posting_id}/reverse`,
    );
    expect(denied.status).toBe(403);
    expect(await onHand(product.id, main.id)).toBe('5.000');
    await s!.call('PATCH', `/api/v1/warehouses/${main.id}`, { is_active: false });
    const inactive = await s!.call('POST', `/api/v1/stock/postings/${receipt.posting_id}/reverse`);
    expect(inactive.status).toBe(400);
    expect(inactive.body.errors).toEqual([{ path: 'warehouse_id', message: 'is not active' }]);
    await s!.call('PATCH', `/api/v1/warehouses/${main.id}`, { is_active: true });
    expect(
      (await s!.call('POST', `/api/v1/stock/postings/${receipt.posting_id}/reverse`)).status,
    ).toBe(201);
  });

  test('a posting is corrected by reversing it, once; the moves themselves never change', async () => {
    const { product, main, north } = await setup();
    await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '5',
    });
    const transfer = (
      await s!.call('POST', '/api/v1/stock/moves', {
        kind: 'transfer',
        product_id: product.id,
        warehouse_id: main.id,
        to_warehouse_id: north.id,
        quantity: '3',
      })
    ).body;
    const reversed = await s!.call('POST', `/api/v1/stock/postings/${transfer.posting_id}/reverse`);
    expect(reversed.status).toBe(201);
    expect(
      reversed.body.moves.every(
        (m: { reverses_posting_id: string }) => m.reverses_posting_id === transfer.posting_id,
      ),
    ).toBe(true);
    expect(await onHand(product.id, main.id)).toBe('5.000');
    expect(await onHand(product.id, north.id)).toBe('0.000');
    const again = await s!.call('POST', `/api/v1/stock/postings/${transfer.posting_id}/reverse`);
    expect(again.status).toBe(409);
    const ofReversal = await s!.call(
      'POST',
      `/api/v1/stock/postings/${reversed.body.posting_id}/reverse`,
    );
    expect(ofReversal.status).toBe(400);
  });

  test('two postings for the last unit at the same moment: exactly one gets it', async () => {
    const { product, main } = await setup();
    await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '1',
    });
    const take = {
      kind: 'adjustment',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '-1',
    };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => s!.call('POST', '/api/v1/stock/moves', take)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(await onHand(product.id, main.id)).toBe('0.000');
  });

  test('posting needs the right to change the warehouse; reading balances needs only reading', async () => {
    const { product, main } = await setup();
    const role = `Stock viewer ${Math.random()}`;
    await s!.call('POST', '/api/v1/roles', {
      name: role,
      permissions: {
        objects: { warehouses: { read: 'all' }, products: { read: 'all' } },
      },
    });
    const { key } = await s!.keyFor({
      email: `viewer${Math.random()}@example.com`,
      name: 'Viewer',
      role,
    });
    const viewer = callAs(s!, key);
    const res = await viewer('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '1',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    const read = await viewer('GET', `/api/v1/stock/balances?warehouse_id=${main.id}`);
    expect(read.status).toBe(200);
    // A representative who cannot see the warehouse is told it does not exist.
    const rep = await s!.keyFor({
      email: `rep${Math.random()}@example.com`,
      name: 'Rep',
      role: 'Sales representative',
    });
    const hidden = await callAs(s!, rep.key)('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: product.id,
      warehouse_id: main.id,
      quantity: '1',
    });
    expect([400, 403]).toContain(hidden.status);
    expect(
      (await s!.call('GET', `/api/v1/stock/moves?product_id=${product.id}`)).body.data,
    ).toEqual([]);
  });
});

describe('the stock ledger across two server processes on PostgreSQL', () => {
  test('two processes posting the last unit at once: exactly one gets it', async (ctx) => {
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
      const product = (
        await a.call('POST', '/api/v1/products', { name: 'Last one', kind: 'goods' })
      ).body;
      const main = (await a.call('POST', '/api/v1/warehouses', { name: 'Main' })).body;
      await a.call('POST', '/api/v1/stock/moves', {
        kind: 'receipt',
        product_id: product.id,
        warehouse_id: main.id,
        quantity: '1',
      });
      const body = {
        kind: 'adjustment',
        product_id: product.id,
        warehouse_id: main.id,
        quantity: '-1',
      };
      const viaOther = () =>
        otherApp.inject({
          method: 'POST',
          url: '/api/v1/stock/moves',
          headers: { authorization: `Bearer ${a.adminKey}`, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
      const results = await Promise.all([
        a.call('POST', '/api/v1/stock/moves', body),
        viaOther(),
        a.call('POST', '/api/v1/stock/moves', body),
        viaOther(),
      ]);
      const statuses = results.map((r) => ('statusCode' in r ? r.statusCode : r.status)).sort();
      expect(statuses).toEqual([201, 409, 409, 409]);
      expect(await verifyStock(a.kontor.database.db)).toMatchObject({ differences: [] });
    } finally {
      await otherApp.close();
      await other.kontor.database.close();
      await a.close();
    }
  });
});
