import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { afterEach, describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/src/core/actor';
import type { RecordContext } from '../../server/src/core/kontor';
import type { Db } from '../../server/src/db/database';
import { stockValue } from '../../server/src/modules/inventory/stock-api';
import { verifyStock } from '../../server/src/modules/inventory/verify';
import { DIALECTS, serverFor } from '../helpers';

/** Records the SQL sent through a Kysely instance. */
class Capture implements KyselyPlugin {
  readonly queries: CompiledQuery[] = [];
  constructor(private readonly base: Db) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries.push(this.base.getExecutor().compileQuery(args.node, args.queryId));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe.each(DIALECTS)('stock indexes on %s', (dialect) => {
  const s = serverFor(dialect);

  afterEach(async () => {
    expect(await verifyStock(s.kontor.database.db, s.kontor.meta)).toMatchObject({
      differences: [],
    });
  });

  test('the sums over stock moves read the covering index on SQLite; PostgreSQL has none', async () => {
    const product = (await s.call('POST', '/api/v1/products', { name: 'Indexed bolt' })).body;
    const main = (await s.call('POST', '/api/v1/warehouses', { name: 'Indexed main' })).body;
    const north = (await s.call('POST', '/api/v1/warehouses', { name: 'Indexed north' })).body;
    const move = (body: Record<string, unknown>) =>
      s.call('POST', '/api/v1/stock/moves', { product_id: product.id, ...body });
    expect(
      (
        await move({
          kind: 'receipt',
          warehouse_id: main.id,
          quantity: '10',
          unit_cost: { amount: '2.50', currency: 'EUR' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await move({
          kind: 'transfer',
          warehouse_id: main.id,
          to_warehouse_id: north.id,
          quantity: '4',
        })
      ).status,
    ).toBe(201);
    expect(
      (await move({ kind: 'adjustment', warehouse_id: north.id, quantity: '-1' })).status,
    ).toBe(201);

    const db = s.kontor.database.db;
    const capture = new Capture(db);
    const watched = db.withPlugin(capture);
    await verifyStock(watched, s.kontor.meta);
    const ctx: RecordContext = {
      k: s.kontor,
      db: watched,
      actor: SYSTEM_ACTOR,
      pending: { rollups: new Map() },
    };
    const value = await stockValue(ctx, { at: '2099-01-01' });
    // The value at an instant is still right: 10 at 2.50, one unit out at the average.
    expect(value.totals).toEqual([{ amount: '22.50', currency: 'EUR' }]);
    const sums = capture.queries.filter((q) => /from "?stock_moves"?/i.test(q.sql));
    // verify: per product and warehouse, per product; value: per product up to the instant.
    expect(sums).toHaveLength(3);

    if (dialect === 'sqlite') {
      for (const q of sums) {
        const plan = (
          await db.executeQuery<{ detail: string }>(
            CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]),
          )
        ).rows.map((r) => r.detail);
        expect(plan.join(' | '), q.sql).toMatch(/COVERING INDEX stock_moves_totals/);
      }
    } else {
      const found = await db
        .selectFrom('pg_indexes')
        .select('indexname')
        .where('schemaname', '=', s.kontor.database.schema!)
        .where('indexname', '=', 'stock_moves_totals')
        .execute();
      expect(found).toEqual([]);
    }
  });
});
