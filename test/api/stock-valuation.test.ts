import { afterEach, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/src/core/actor';
import { nextDocumentNumber } from '../../server/src/core/documents/numbering';
import { newId } from '../../server/src/core/ids';
import { inTransaction, type RecordContext } from '../../server/src/core/kontor';
import {
  averageUnitCost,
  changeIncoming,
  postStock,
  releaseReservations,
  reservationsOf,
  reserveStock,
  stockLevels,
} from '../../server/src/modules/inventory/ledger';
import { verifyStock } from '../../server/src/modules/inventory/verify';
import { DIALECTS, serverFor, startServer } from '../helpers';

describe.each(DIALECTS)('valuation, reservations and numbering on %s', (dialect) => {
  const s = serverFor(dialect);

  afterEach(async () => {
    if (!s) return;
    expect(await verifyStock(s.kontor.database.db, s.kontor.meta)).toMatchObject({
      differences: [],
    });
  });

  const run = <T>(fn: (ctx: RecordContext) => Promise<T>) =>
    inTransaction(s!.kontor, SYSTEM_ACTOR, fn);
  const setup = async (extra: Record<string, unknown> = {}) => {
    const product = (
      await s!.call('POST', '/api/v1/products', { name: `P ${Math.random()}`, ...extra })
    ).body;
    const main = (await s!.call('POST', '/api/v1/warehouses', { name: `W ${Math.random()}` })).body;
    const north = (await s!.call('POST', '/api/v1/warehouses', { name: `N ${Math.random()}` }))
      .body;
    return { p: product.id as string, w: main.id as string, n: north.id as string };
  };
  // Reservations belong to a document that exists; any record will do here.
  const document = async () => ({
    object: 'companies',
    id: (await s!.call('POST', '/api/v1/companies', { name: `Doc ${Math.random()}` })).body
      .id as string,
  });
  const receive = (p: string, w: string, quantity: string, amount?: string, currency = 'EUR') =>
    s!.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: p,
      warehouse_id: w,
      quantity,
      ...(amount ? { unit_cost: { amount, currency } } : {}),
    });
  const adjust = (p: string, w: string, quantity: string) =>
    s!.call('POST', '/api/v1/stock/moves', {
      kind: 'adjustment',
      product_id: p,
      warehouse_id: w,
      quantity,
    });
  const value = async (p: string, at?: string) =>
    (
      await s!.call(
        'GET',
        `/api/v1/stock/value?product_id=${p}${at ? `&at=${encodeURIComponent(at)}` : ''}`,
      )
    ).body.products[0];

  test('moving average cost; the move that empties the stock takes the value left', async () => {
    const { p, w } = await setup();
    await receive(p, w, '10', '1.00');
    await receive(p, w, '10', '2.00');
    expect(await value(p)).toMatchObject({
      quantity: '20.000',
      value: { amount: '30.00', currency: 'EUR' },
      average_unit_cost: { amount: '1.50', currency: 'EUR' },
    });
    const out = await adjust(p, w, '-5');
    expect(out.body.moves[0].value).toEqual({ amount: '-7.50', currency: 'EUR' });
    // 1 unit at 1.00 and 2 at 0.00: thirds of a euro, rounded, and nothing left at zero.
    const { p: q, w: w2 } = await setup();
    await receive(q, w2, '1', '1.00');
    await receive(q, w2, '2', '0.00');
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await adjust(q, w2, '-1')).body.moves[0].value.amount);
    expect(taken).toEqual(['-0.33', '-0.34', '-0.33']);
    expect(await value(q)).toBeUndefined();
  });

  test('a transfer moves value between warehouses and keeps the total; a reversal restores it', async () => {
    const { p, w, n } = await setup();
    const first = await receive(p, w, '3', '1.00');
    await receive(p, w, '3', '2.00');
    const t = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'transfer',
      product_id: p,
      warehouse_id: w,
      to_warehouse_id: n,
      quantity: '2',
    });
    expect(t.body.moves.map((m: { value: { amount: string } }) => m.value.amount).sort()).toEqual([
      '-3.00',
      '3.00',
    ]);
    expect((await value(p)).value.amount).toBe('9.00');
    const r = await s!.call('POST', `/api/v1/stock/postings/${first.body.posting_id}/reverse`);
    expect(r.status).toBe(201);
    expect(r.body.moves[0].value.amount).toBe('-3.00');
    expect(await value(p)).toMatchObject({ quantity: '3.000', value: { amount: '6.00' } });
  });

  test('a receipt in another currency than the stock is valued in is refused', async () => {
    const { p, w } = await setup();
    await receive(p, w, '1', '1.00', 'EUR');
    const r = await receive(p, w, '1', '1.00', 'USD');
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      {
        path: 'unit_cost.currency',
        message: "must be EUR, the currency this product's stock is valued in",
      },
    ]);
    expect((await value(p)).quantity).toBe('1.000');
  });

  test('stock value at a past instant sums the moves up to it', async () => {
    const { p, w } = await setup();
    await receive(p, w, '4', '2.50');
    const between = s!.clock.now().toISOString();
    s!.clock.advance(60_000);
    await receive(p, w, '4', '3.50');
    expect((await value(p, between)).value.amount).toBe('10.00');
    expect((await value(p)).value.amount).toBe('24.00');
    const bad = await s!.call('GET', '/api/v1/stock/value?at=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('at');
  });

  test('reservations: strict names the shortage, partial takes what is there, a shipment consumes them', async () => {
    const { p, w, n } = await setup();
    await receive(p, w, '17', '1.00');
    const doc = await document();
    const [l1, l2] = [newId(), newId()];
    // The same product on two lines is checked as a whole: 10 + 10 > 17.
    const strict = await run((ctx) =>
      reserveStock(
        ctx,
        [
          { productId: p, warehouseId: w, quantity: 10_000n, document: { ...doc, lineId: l1 } },
          { productId: p, warehouseId: w, quantity: 10_000n, document: { ...doc, lineId: l2 } },
        ],
        { paths: ['lines[0].quantity', 'lines[1].quantity'] },
      ),
    ).catch((e: { code: string; errors: unknown }) => e);
    expect(strict).toMatchObject({
      code: 'conflict',
      errors: [
        { path: 'lines[0].quantity', message: expect.stringContaining('only 17.000 available') },
        { path: 'lines[1].quantity', message: expect.stringContaining('20.000 needed') },
      ],
    });
    expect((await run((ctx) => stockLevels(ctx, [p]))).get(p)).toMatchObject({ reserved: 0n });

    const partial = await run((ctx) =>
      reserveStock(
        ctx,
        [
          { productId: p, warehouseId: w, quantity: 10_000n, document: { ...doc, lineId: l1 } },
          { productId: p, warehouseId: w, quantity: 10_000n, document: { ...doc, lineId: l2 } },
        ],
        { partial: true },
      ),
    );
    expect(partial).toEqual({ reserved: [10_000n, 7_000n], short: [0n, 3_000n] });
    expect((await run((ctx) => stockLevels(ctx, [p], w))).get(p)).toEqual({
      onHand: 17_000n,
      reserved: 17_000n,
      available: 0n,
      incoming: 0n,
    });
    // Reserved stock stays for its order: a transfer may not take it.
    const t = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'transfer',
      product_id: p,
      warehouse_id: w,
      to_warehouse_id: n,
      quantity: '1',
    });
    expect(t.status).toBe(409);
    expect(t.body.errors[0].message).toMatch(/only 0.000 available/);

    // Shipping 12 of line 1 uses its 10 reserved and 2 more that nobody else holds: refused.
    const over = await run((ctx) =>
      postStock(
        ctx,
        'shipment',
        [{ productId: p, warehouseId: w, quantity: -12_000n, document: { ...doc, lineId: l1 } }],
        { consumeReservations: true },
      ),
    ).catch((e: { code: string }) => e);
    expect(over).toMatchObject({ code: 'conflict' });
    const shipped = await run((ctx) =>
      postStock(
        ctx,
        'shipment',
        [{ productId: p, warehouseId: w, quantity: -10_000n, document: { ...doc, lineId: l1 } }],
        { consumeReservations: true },
      ),
    );
    expect(shipped.moves[0].valueMinor).toBe(-1000n);
    expect(await run((ctx) => reservationsOf(ctx, doc))).toEqual(new Map([[l2, 7_000n]]));
    await run((ctx) => releaseReservations(ctx, doc));
    expect((await run((ctx) => stockLevels(ctx, [p], w))).get(p)).toMatchObject({
      onHand: 7_000n,
      reserved: 0n,
      available: 7_000n,
    });
    const moves = await s!.call(
      'GET',
      `/api/v1/stock/moves?document_object=companies&document_id=${doc.id}`,
    );
    expect(moves.body.data).toMatchObject([{ kind: 'shipment', quantity: '-10.000' }]);
  });

  test('two documents reserving the last unit at once: exactly one gets it', async () => {
    const { p, w } = await setup();
    await receive(p, w, '1');
    const docs = await Promise.all([document(), document(), document(), document()]);
    const attempt = (doc: { object: string; id: string }) =>
      run((ctx) =>
        reserveStock(ctx, [
          { productId: p, warehouseId: w, quantity: 1000n, document: { ...doc, lineId: newId() } },
        ]),
      ).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    const results = await Promise.all(docs.map(attempt));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'conflict')).toHaveLength(3);
  });

  test('incoming never goes below zero; the average cost is read per unit', async () => {
    const { p, w } = await setup();
    await run((ctx) => changeIncoming(ctx, p, w, 5_000n));
    await run((ctx) => changeIncoming(ctx, p, w, -8_000n));
    expect((await run((ctx) => stockLevels(ctx, [p], w))).get(p)!.incoming).toBe(0n);
    expect(await run((ctx) => averageUnitCost(ctx, p))).toBeNull();
    await receive(p, w, '3', '1.00');
    await receive(p, w, '1', '2.00');
    expect(await run((ctx) => averageUnitCost(ctx, p))).toBe(125n);
  });

  test('document numbers count up per prefix and never repeat, even at once', async () => {
    const a = await run((ctx) => nextDocumentNumber(ctx, 'QA'));
    expect(a).toBe('QA-000001');
    const many = await Promise.all(
      Array.from({ length: 8 }, () => run((ctx) => nextDocumentNumber(ctx, 'QA'))),
    );
    expect(new Set(many).size).toBe(8);
    expect([...many].sort()[7]).toBe('QA-000009');
    await expect(run((ctx) => nextDocumentNumber(ctx, 'so'))).rejects.toMatchObject({
      code: 'validation',
    });
  });
  test('review: two shipments consuming one reservation at once never take it twice', async () => {
    const { p, w } = await setup();
    await receive(p, w, '20', '1.00');
    const doc = { ...(await document()), lineId: newId() };
    await run((ctx) =>
      reserveStock(ctx, [{ productId: p, warehouseId: w, quantity: 10_000n, document: doc }]),
    );
    const ship = () =>
      run((ctx) =>
        postStock(
          ctx,
          'shipment',
          [{ productId: p, warehouseId: w, quantity: -10_000n, document: doc }],
          { consumeReservations: true },
        ),
      ).then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? String(e),
      );
    const results = await Promise.all([
      ship(),
      ship(),
      run((ctx) => releaseReservations(ctx, doc)).then(() => 'released'),
    ]);
    expect(results).toContain('released');
    const level = (await run((ctx) => stockLevels(ctx, [p], w))).get(p)!;
    expect(level.reserved).toBe(0n);
    expect(level.onHand >= 0n).toBe(true);
  });

  test('review: manual moves leave reserved stock alone; stock received into a hole brings value only above zero', async () => {
    const { p, w } = await setup();
    const r = await receive(p, w, '10', '1.00');
    const doc = { ...(await document()), lineId: newId() };
    await run((ctx) =>
      reserveStock(ctx, [{ productId: p, warehouseId: w, quantity: 10_000n, document: doc }]),
    );
    expect((await adjust(p, w, '-1')).status).toBe(409);
    expect(
      (await s!.call('POST', `/api/v1/stock/postings/${r.body.posting_id}/reverse`)).status,
    ).toBe(409);
    await run((ctx) => releaseReservations(ctx, doc));

    const { p: q, w: w2 } = await setup({ allow_negative_stock: true });
    await adjust(q, w2, '-5');
    await receive(q, w2, '10', '1.00');
    expect(await value(q)).toMatchObject({ quantity: '5.000', value: { amount: '5.00' } });
    // Negative stock no longer allowed: a receipt that only partly fills the hole still goes in.
    const { p: n, w: w3 } = await setup({ allow_negative_stock: true });
    await adjust(n, w3, '-5');
    await s!.call('PATCH', `/api/v1/products/${n}`, { allow_negative_stock: false });
    expect((await receive(n, w3, '2', '1.00')).status).toBe(201);
    await s!.call('PATCH', `/api/v1/products/${n}`, { allow_negative_stock: true });
  });

  test('review: a product or warehouse holding stock is not merged away', async () => {
    const { p, w } = await setup();
    const keep = (await s!.call('POST', '/api/v1/products', { name: `Keep ${Math.random()}` }))
      .body;
    await receive(p, w, '7', '2.00');
    const merged = await s!.call('POST', '/api/v1/products/merge', {
      survivor_id: keep.id,
      merged_ids: [p],
    });
    expect(merged.status).toBe(409);
    expect((await value(p)).quantity).toBe('7.000');
  });

  test('review: bad instants and notes are 400s; a receipt past a trillion is a 400', async () => {
    const { p, w } = await setup();
    for (const at of ['0000-01-01', '2026-02-30', '2026-03-02T10:00', '2026-03-02 10:00'])
      expect(
        (await s!.call('GET', `/api/v1/stock/value?at=${encodeURIComponent(at)}`)).status,
      ).toBe(400);
    const note = await s!.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: p,
      warehouse_id: w,
      quantity: '1',
      note: 'a\u0000b',
    });
    expect(note.status).toBe(400);
    expect(note.body.errors[0].path).toBe('note');
    await receive(p, w, '1000000000000');
    const past = await receive(p, w, '1');
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('quantity');
    await adjust(p, w, '-1000000000000');
  });
});

// Two Kontor instances on one PostgreSQL schema, each with its own connection pool, as two
// server processes would be: the row lock decides, not the process.
test('two instances reserving the last unit at once on PostgreSQL: exactly one gets it', async (t) => {
  const a = await startServer('postgres');
  if (!a) return t.skip();
  const pino = (await import('pino')).default;
  const { boot } = await import('../../server/src/boot');
  const { loadConfig } = await import('../../server/src/config');
  const { PG_URL } = await import('../helpers');
  const config = loadConfig({ dataDir: '/tmp', databaseUrl: PG_URL, logLevel: 'silent' }, {});
  const other = await boot({
    config,
    schema: a.kontor.database.schema!,
    log: pino({ level: 'silent' }),
  });
  try {
    const p = (await a.call('POST', '/api/v1/products', { name: 'Last' })).body.id;
    const w = (await a.call('POST', '/api/v1/warehouses', { name: 'Main' })).body.id;
    await a.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: p,
      warehouse_id: w,
      quantity: '1',
    });
    const attempt = async (k: typeof a.kontor) => {
      const id = (await a.call('POST', '/api/v1/companies', { name: `Doc ${Math.random()}` })).body
        .id as string;
      return inTransaction(k, SYSTEM_ACTOR, (ctx) =>
        reserveStock(ctx, [
          {
            productId: p,
            warehouseId: w,
            quantity: 1000n,
            document: { object: 'companies', id, lineId: newId() },
          },
        ]),
      ).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
    };
    const results = await Promise.all([
      attempt(a.kontor),
      attempt(other.kontor),
      attempt(a.kontor),
      attempt(other.kontor),
    ]);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(await verifyStock(a.kontor.database.db, a.kontor.meta)).toMatchObject({
      differences: [],
    });
  } finally {
    await other.kontor.database.close();
    await a.close();
  }
});
