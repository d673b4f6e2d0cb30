/**
 * The stock ledger at size: 10,000 products in 5 warehouses with 2,000,000 stock moves over two
 * years (at --scale 1), written straight into the tables in large transactions but consistent
 * (balances, reservations, valuation and each move's value agree as the ledger keeps them), then:
 *
 *   1. the balance of one product (a random one each time): HTTP, listBalances and stockLevels
 *      in-process, and the plain SQL `select … from stock_balances where product_id = ?`;
 *   2. stock value at a past instant (all products): stockValue({ at }) and HTTP, against a plain
 *      `sum(value_minor) … group by currency`, and what monthly snapshots would make of it;
 *   3. verifyStock over everything, wall time;
 *   4. reservations per second: reserveStock from 1, 8 and 16 callers at once on random products
 *      and on one hot product (and, on PostgreSQL, from two Kontor instances on one schema),
 *      against a plain guarded UPDATE + INSERT; afterwards verifyStock and
 *      `on_hand - reserved >= 0` everywhere.
 *
 *   npx tsx bench/stock.ts                              # SQLite and PostgreSQL, full size
 *   npx tsx bench/stock.ts --dialects sqlite --scale 0.1
 *   options: --dialects sqlite,postgres --scale 1 --products 10000 --warehouses 5 --moves 2000000
 *            --seed 11 --keep --data-dir DIR (SQLite) --schema NAME (PostgreSQL) --database-url URL
 *            --iterations 200 --warmup 20 --budget 20 --min-samples 30 --value-iterations 30
 *            --verify-iterations 3 --reserve-seconds 10 --hot-attempts 2000
 *            --server child|none --server-log-level info --json FILE
 *            --parts balance,value,verify,reserve,plans (what to measure)
 *
 * Without --data-dir / --schema the data goes to a new temporary folder or a new schema
 * bench_stock_<pid>, removed at the end (also on Ctrl-C) unless --keep. With them, a database
 * that already holds stock moves is measured as it is (nothing is generated or removed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type CompiledQuery } from 'kysely';
import type { Actor } from '../server/src/core/actor';
import { createApiKey } from '../server/src/core/auth/tokens';
import { actorForUser } from '../server/src/core/auth/users';
import { newId as freshId } from '../server/src/core/ids';
import { inTransaction, type Kontor } from '../server/src/core/kontor';
import { decimalToScaled, minorDigits } from '../server/src/core/metadata/money';
import { searchBody } from '../server/src/core/search/search-index';
import { boolToDb } from '../server/src/db/column-types';
import type { Db } from '../server/src/db/database';
import { reserveStock, stockLevels } from '../server/src/modules/inventory/ledger';
import { listBalances, stockValue } from '../server/src/modules/inventory/stock-api';
import { verifyStock } from '../server/src/modules/inventory/verify';
import { CaptureSql, explain, timed, type Budget, type Measured } from './api';
import {
  databaseBytes,
  ident,
  idMaker,
  insertMany,
  iso,
  loadObject,
  rebuildIndexes,
  rowsPerStatement,
  secondaryIndexes,
  type IndexDef,
  type Phase,
  type Row,
} from './generate';
import { boolArg, intArg, numArg, parseArgs } from './lib/args';
import { Rng } from './lib/data';
import {
  adminActor,
  bootTarget,
  codeVersion,
  countRows,
  DEFAULT_PG_URL,
  describe,
  dropSchema,
  postgresReachable,
  REPO_ROOT,
  type Target,
} from './lib/db';
import { startServer, type ServerProcess } from './lib/server';
import { StockSim, type SimMove } from './lib/stock-data';
import { int, mib, ms, now, summarize, table, writeJson, type Summary } from './lib/stats';

const DAY = 86_400_000;

export interface StockGenerateOptions {
  products: number;
  warehouses: number;
  moves: number;
  seed: number;
  /** Move rows per transaction. */
  txRows?: number;
  log?: (line: string) => void;
}

export interface StockGenerateResult {
  products: number;
  warehouses: number;
  moves: number;
  balances: number;
  reservations: number;
  postings: Record<string, number>;
  phases: Phase[];
  seconds: number;
  bytes: number | null;
}

export interface ReadCell {
  name: string;
  /** Mode (http, listBalances, stockLevels, stockValue, direct, …) → figures. */
  modes: Record<string, Measured>;
  /** The plain SQL mode the others are compared with. */
  direct: string;
  ratios: Record<string, { median: number; p95: number }>;
  note?: string;
}

export interface ReserveCell {
  name: string;
  callers: number;
  instances: number;
  mode: 'engine' | 'direct';
  target: 'random' | 'hot';
  seconds: number;
  attempts: number;
  reserved: number;
  refused: number;
  errors: number;
  firstError?: string;
  perSecond: number;
  latency: Summary;
  /** Hot product: whether exactly what was available got reserved. */
  check?: string;
}

export interface StockBenchResult {
  code: string;
  dialect: string;
  generated: StockGenerateResult | null;
  data: { products: number; warehouses: number; moves: number; balances: number };
  agreement: string[];
  reads: ReadCell[];
  verify: {
    engine: Measured;
    direct: Measured;
    differences: number;
    checked: number;
  } | null;
  reservations: ReserveCell[];
  afterReservations: { differences: number; overReserved: number; verdict: string };
  plans: { operation: string; statements: { sql: string; plan: string[] }[] }[];
}

// ---------------------------------------------------------------------------------------------
// Generation

const NOUNS = ['bolt', 'bracket', 'cable', 'valve', 'hinge', 'filter', 'panel', 'gasket', 'pump'];
const KINDS = ['steel', 'brass', 'oak', 'nylon', 'copper', 'ceramic', 'rubber', 'glass'];
const CITIES = ['Kyiv', 'Lviv', 'Berlin', 'Gdańsk', 'Vienna', 'Odesa', 'Praha', 'Wrocław'];

/**
 * The documents reservations belong to: sales orders, or deals where there are no sales orders
 * yet. The ledger locks a reservation's document row (and refuses one that does not exist), so
 * they are real rows, written here without their business fields: only their ids matter.
 */
export function documentObject(k: Kontor): string {
  return k.meta.find('sales_orders') ? 'sales_orders' : 'deals';
}

/** At least `count` document rows; their ids. */
export async function documentPool(k: Kontor, count: number, seed: number): Promise<string[]> {
  const meta = k.meta.get(documentObject(k));
  const have = (
    await k.database.db
      .selectFrom(meta.table)
      .select('id')
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .limit(count)
      .execute()
  ).map((r) => r.id as string);
  if (have.length >= count) return have;
  const admin = (await adminActor(k)).userId!;
  const newId = idMaker(seed);
  const at = Date.now() - DAY;
  await loadObject(
    k,
    meta,
    count - have.length,
    () => {
      const id = newId(at);
      have.push(id);
      return {
        row: {
          id,
          created_at: iso(at),
          updated_at: iso(at),
          created_by: admin,
          updated_by: admin,
          owner_id: admin,
          deleted_at: null,
          version: 1,
        },
        body: searchBody(meta, {}),
      };
    },
    { txRows: 10_000, log: () => {} },
  );
  return have;
}

/** Writes the rows of stock_moves: multi-row inserts on SQLite, unnest() arrays on PostgreSQL. */
async function insertMoves(
  k: Kontor,
  trx: Db,
  moves: SimMove[],
  ids: { products: string[]; warehouses: string[]; admin: string },
) {
  const columns = [
    'id',
    'posting_id',
    'kind',
    'product_id',
    'warehouse_id',
    'quantity',
    'unit_cost_minor',
    'currency',
    'value_minor',
    'document_object',
    'document_id',
    'document_line_id',
    'occurred_at',
    'created_at',
    'created_by',
  ] as const;
  const values = (m: SimMove) => {
    const at = iso(m.at);
    return [
      m.id,
      m.posting_id,
      m.kind,
      ids.products[m.product],
      ids.warehouses[m.warehouse],
      m.quantity.toString(),
      m.unit_cost_minor.toString(),
      m.currency,
      m.value_minor.toString(),
      m.document,
      m.document_id,
      m.document_line_id,
      at,
      at,
      ids.admin,
    ];
  };
  if (k.database.dialect === 'postgres') {
    const types = [
      'text',
      'text',
      'text',
      'text',
      'text',
      'bigint',
      'bigint',
      'text',
      'bigint',
      'text',
      'text',
      'text',
      'timestamptz',
      'timestamptz',
      'text',
    ];
    const per = 20_000;
    for (let i = 0; i < moves.length; i += per) {
      const arrays: (string | null)[][] = columns.map(() => []);
      for (const m of moves.slice(i, i + per)) values(m).forEach((v, c) => arrays[c].push(v));
      await sql`insert into stock_moves (${sql.join(columns.map((c) => sql.ref(c)))})
        select * from unnest(${sql.join(arrays.map((a, c) => sql`${a}::${sql.raw(types[c])}[]`))})`.execute(
        trx,
      );
    }
    return;
  }
  const rows = moves.map((m) => {
    const v = values(m);
    const row: Row = {};
    columns.forEach((c, i) => (row[c] = v[i]));
    return row;
  });
  await insertMany(trx, 'stock_moves', rows, rowsPerStatement(k, columns.length));
}

/** Fills an empty Kontor with products, warehouses and a consistent stock history. */
export async function generateStock(
  k: Kontor,
  o: StockGenerateOptions,
): Promise<StockGenerateResult> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = k.database.db;
  const dialect = k.database.dialect;
  const sqlite = dialect === 'sqlite';
  const bool = (v: boolean) => boolToDb(dialect, v);
  const started = now();
  const phases: Phase[] = [];
  const admin = await adminActor(k);
  const adminId = admin.userId!;
  const endMs = Date.now() - DAY;
  const startMs = endMs - 730 * DAY;
  const newId = idMaker(o.seed ^ 0x5a);
  const rng = new Rng(o.seed);
  // Most stock is valued in the company currency; one product in ten was bought in dollars.
  const home = k.settings.currency;
  const foreign = home === 'USD' ? 'EUR' : 'USD';
  const currencyOf = (p: number) => (p % 10 === 7 ? foreign : home);

  if (sqlite) {
    await sql`pragma cache_size = -524288`.execute(db);
    await sql`pragma synchronous = off`.execute(db);
  }
  const recordRow = (id: string, createdMs: number): Row => ({
    id,
    created_at: iso(createdMs),
    updated_at: iso(createdMs),
    created_by: adminId,
    updated_by: adminId,
    owner_id: adminId,
    deleted_at: null,
    version: 1,
  });

  // Warehouses and products: records like any other, with their search index.
  const warehousesMeta = k.meta.get('warehouses');
  const warehouseIds: string[] = [];
  phases.push(
    await loadObject(
      k,
      warehousesMeta,
      o.warehouses,
      (i) => {
        const id = newId(startMs - DAY);
        warehouseIds.push(id);
        const v = {
          name: `${CITIES[i % CITIES.length]} warehouse ${i + 1}`,
          code: `WH${String(i + 1).padStart(2, '0')}`,
          city: CITIES[i % CITIES.length],
        };
        return {
          row: { ...recordRow(id, startMs - DAY), ...v, is_active: bool(true) },
          body: searchBody(warehousesMeta, v),
        };
      },
      { txRows: 10_000, log },
    ),
  );
  const productsMeta = k.meta.get('products');
  const productIds: string[] = [];
  phases.push(
    await loadObject(
      k,
      productsMeta,
      o.products,
      (i) => {
        const createdMs = startMs - DAY + i;
        const id = newId(createdMs);
        productIds.push(id);
        const v = {
          name: `${KINDS[rng.int(KINDS.length)]} ${NOUNS[rng.int(NOUNS.length)]} ${i + 1}`,
          sku: `SKU-${String(i + 1).padStart(6, '0')}`,
          unit: 'pcs',
        };
        return {
          row: {
            ...recordRow(id, createdMs),
            ...v,
            kind: 'goods',
            price_minor: 100 + rng.int(100_000),
            price_currency: currencyOf(i),
            is_active: bool(true),
            allow_negative_stock: bool(false),
          },
          body: searchBody(productsMeta, v),
        };
      },
      { txRows: 10_000, log },
    ),
  );

  // Moves, with the secondary indexes dropped during the load and rebuilt afterwards.
  const dropped: IndexDef[] = [];
  {
    const t0 = now();
    for (const t of ['stock_moves']) {
      const list = await secondaryIndexes(k, t);
      for (const ix of list) await sql.raw(`drop index ${ident(ix.name)}`).execute(db);
      dropped.push(...list);
    }
    phases.push({ name: `drop ${dropped.length} indexes`, seconds: (now() - t0) / 1000 });
  }
  const sim = new StockSim({
    products: o.products,
    warehouses: o.warehouses,
    moves: o.moves,
    startMs,
    endMs,
    seed: o.seed ^ 0x77,
    currencyOf,
    newId,
  });
  {
    const t0 = now();
    let lastPrint = t0;
    const txRows = o.txRows ?? 50_000;
    const ids = { products: productIds, warehouses: warehouseIds, admin: adminId };
    while (sim.written < o.moves) {
      const chunk: SimMove[] = [];
      while (chunk.length < txRows && sim.written < o.moves) chunk.push(...sim.next());
      await db.transaction().execute((trx) => insertMoves(k, trx, chunk, ids));
      const t = now();
      if (t - lastPrint > 3000 || sim.written >= o.moves) {
        log(
          `  stock_moves ${int(sim.written).padStart(10)} / ${int(o.moves)}   ${int((sim.written / (t - t0)) * 1000)} rows/s`,
        );
        lastPrint = t;
      }
    }
    const seconds = (now() - t0) / 1000;
    phases.push({
      name: 'insert stock_moves',
      rows: sim.written,
      seconds,
      rowsPerSecond: sim.written / seconds,
    });
  }

  // Balances, open reservations, what is on order, and each product's valuation.
  let balances = 0;
  let reservations = 0;
  const documents = await documentPool(k, 5000, o.seed ^ 0xd0c);
  const documentName = documentObject(k);
  {
    const t0 = now();
    const W = o.warehouses;
    const at = iso(endMs);
    const balanceRows: Row[] = [];
    const reservationRows: Row[] = [];
    for (let p = 0; p < o.products; p++) {
      for (let w = 0; w < W; w++) {
        if (!sim.touched[p * W + w]) continue;
        const onHand = sim.onHand[p * W + w];
        let reserved = 0;
        // One balance in ten has open orders reserving up to half of what is there.
        if (onHand >= 2000 && rng.chance(0.1)) {
          const lines = 1 + rng.int(2);
          for (let l = 0; l < lines; l++) {
            const q = 1000 * (1 + rng.int(Math.max(1, Math.floor(onHand / 2 / 1000 / lines))));
            reserved += q;
            reservationRows.push({
              id: newId(endMs),
              product_id: productIds[p],
              warehouse_id: warehouseIds[w],
              document_object: documentName,
              document_id: documents[rng.int(documents.length)],
              document_line_id: newId(endMs),
              quantity: q,
              created_at: at,
              updated_at: at,
            });
          }
        }
        balanceRows.push({
          product_id: productIds[p],
          warehouse_id: warehouseIds[w],
          on_hand: onHand,
          reserved,
          incoming: rng.chance(0.05) ? 1000 * (1 + rng.int(100)) : 0,
          updated_at: at,
        });
      }
    }
    const valuationRows: Row[] = [];
    for (let p = 0; p < o.products; p++) {
      if (sim.currency[p] === null) continue;
      valuationRows.push({
        product_id: productIds[p],
        quantity: sim.quantity[p].toString(),
        value_minor: sim.value[p].toString(),
        currency: sim.currency[p],
        updated_at: at,
      });
    }
    await db.transaction().execute(async (trx) => {
      for (const [t, list] of [
        ['stock_balances', balanceRows],
        ['stock_reservations', reservationRows],
        ['stock_valuation', valuationRows],
      ] as const)
        if (list.length)
          await insertMany(trx, t, list, rowsPerStatement(k, Object.keys(list[0]).length));
    });
    balances = balanceRows.length;
    reservations = reservationRows.length;
    phases.push({
      name: 'balances, reservations, valuation',
      rows: balances + reservations + valuationRows.length,
      seconds: (now() - t0) / 1000,
    });
  }

  {
    const t0 = now();
    log(`  rebuilding ${dropped.length} indexes …`);
    await rebuildIndexes(k, dropped);
    phases.push({ name: `rebuild ${dropped.length} indexes`, seconds: (now() - t0) / 1000 });
  }
  {
    const t0 = now();
    log('  analyzing …');
    if (sqlite) {
      await sql`pragma synchronous = normal`.execute(db);
      await sql`analyze`.execute(db);
      await sql`pragma optimize`.execute(db);
      await sql`pragma wal_checkpoint(truncate)`.execute(db);
    } else {
      for (const t of [
        'stock_moves',
        'stock_balances',
        'stock_reservations',
        'stock_valuation',
        productsMeta.table,
      ])
        await sql.raw(`vacuum analyze ${ident(t)}`).execute(db);
    }
    phases.push({ name: sqlite ? 'analyze' : 'vacuum analyze', seconds: (now() - t0) / 1000 });
  }
  return {
    products: o.products,
    warehouses: o.warehouses,
    moves: sim.written,
    balances,
    reservations,
    postings: { ...sim.counts },
    phases,
    seconds: (now() - started) / 1000,
    bytes: await databaseBytes(k),
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring

export interface StockBenchOptions extends Budget {
  valueIterations: number;
  verifyIterations: number;
  reserveSeconds: number;
  hotAttempts: number;
  server: 'child' | 'none';
  serverLogLevel: string;
  /** What to measure: balance, value, verify, reserve, plans. */
  parts: Set<string>;
  /** PostgreSQL: a second Kontor on the same schema, for the two-instance reservation runs. */
  second?: () => Promise<Kontor>;
  log?: (line: string) => void;
}

const big = (v: unknown) => BigInt(String(v ?? 0));

/** Calls `attempt` from `callers` loops at once until `stop()`; counts outcomes. */
async function hammer(
  callers: number,
  stop: (attempted: number, elapsedMs: number) => boolean,
  attempt: (caller: number) => Promise<boolean>,
) {
  const latencies: number[] = [];
  let attempts = 0;
  let reserved = 0;
  let refused = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      while (!stop(attempts, now() - t0)) {
        attempts++;
        const t = now();
        try {
          if (await attempt(c)) reserved++;
          else refused++;
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message.slice(0, 300);
        }
        latencies.push(now() - t);
      }
    }),
  );
  const seconds = (now() - t0) / 1000;
  return {
    seconds,
    attempts,
    reserved,
    refused,
    errors,
    firstError,
    perSecond: reserved / seconds,
    latency: summarize(latencies),
  };
}

export async function runStockBench(
  k: Kontor,
  target: Target,
  generated: StockGenerateResult | null,
  opts: StockBenchOptions,
): Promise<StockBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = k.database.db;
  const dialect = k.database.dialect;
  const admin = await adminActor(k);
  const { key, id: keyId } = await createApiKey(db, k.clock, 'stock benchmark', admin.userId!);
  const actor: Actor = (await actorForUser(db, admin.userId!, keyId))!;
  const rng = new Rng(4242);
  const productIds = (
    await db.selectFrom('stock_valuation').select('product_id').orderBy('product_id').execute()
  ).map((r) => r.product_id as string);
  const warehouses = await countRows(k, 'warehouses');
  const data = {
    products: productIds.length,
    warehouses,
    moves: await countRows(k, 'stock_moves'),
    balances: await countRows(k, 'stock_balances'),
  };
  log(
    `  ${int(data.products)} products with stock, ${warehouses} warehouses, ${int(data.moves)} moves, ${int(data.balances)} balances`,
  );
  const randomProduct = () => productIds[rng.int(productIds.length)];
  const span = (await db
    .selectFrom('stock_moves')
    .select([sql<string>`min(occurred_at)`.as('lo'), sql<string>`max(occurred_at)`.as('hi')])
    .executeTakeFirstOrThrow()) as { lo: string; hi: string };
  const lo = Date.parse(new Date(span.lo).toISOString());
  const hi = Date.parse(new Date(span.hi).toISOString());
  // A past instant anywhere in the history, seconds precision as a person would ask.
  const randomInstant = () =>
    new Date(Math.floor((lo + rng.next() * (hi - lo)) / 1000) * 1000).toISOString();

  const result: StockBenchResult = {
    code: codeVersion(),
    dialect,
    generated,
    data,
    agreement: [],
    reads: [],
    verify: null,
    reservations: [],
    afterReservations: { differences: -1, overReserved: -1, verdict: '' },
    plans: [],
  };

  const engine = {
    listBalances: (id: string) =>
      inTransaction(k, actor, (ctx) => listBalances(ctx, { product_id: id })),
    stockLevels: (id: string) => inTransaction(k, actor, (ctx) => stockLevels(ctx, [id])),
    stockValue: (at: string) => inTransaction(k, actor, (ctx) => stockValue(ctx, { at })),
  };
  const direct = {
    balance: (id: string) =>
      db.selectFrom('stock_balances').selectAll().where('product_id', '=', id).execute(),
    // listBalances' query with its scope written as correlated EXISTS instead of IN (select …):
    // a sketch of a change to readableStock in stock-api.ts, not Kontor's code.
    balanceExists: (id: string) =>
      sql`select * from stock_balances b where b.product_id = ${id}
        and exists (select 1 from products p where p.id = b.product_id and p.deleted_at is null)
        and exists (select 1 from warehouses w where w.id = b.warehouse_id and w.deleted_at is null)
        order by b.product_id, b.warehouse_id limit 5000`.execute(db),
    valueQuery: (at: string) =>
      db
        .selectFrom('stock_moves')
        .select(['currency', sql<string>`sum(value_minor)`.as('value')])
        .where('occurred_at', '<=', at)
        .groupBy('currency'),
    value: (at: string) => direct.valueQuery(at).execute(),
    // What verifyStock reads from the moves: on hand per product and warehouse, and each
    // product's quantity and value.
    verify: [
      sql`select product_id, warehouse_id, sum(quantity) as quantity from stock_moves group by product_id, warehouse_id`.compile(
        db,
      ),
      sql`select product_id, sum(quantity) as quantity, sum(coalesce(value_minor, 0)) as value from stock_moves group by product_id`.compile(
        db,
      ),
    ],
  };

  let server: ServerProcess | undefined;
  let http: { balance: (id: string) => Promise<string>; value: (at: string) => Promise<string> };
  const part = (name: string) => opts.parts.has(name);
  if (opts.server === 'child' && (part('balance') || part('value'))) {
    server = await startServer(target, { logLevel: opts.serverLogLevel });
    log(
      `  server at ${server.url} (PID ${server.pid}, ready in ${(server.startupMs / 1000).toFixed(1)} s)`,
    );
    const get = async (path: string) => {
      const res = await fetch(`${server!.url}${path}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 200)}`);
      return text;
    };
    http = {
      balance: (id) => get(`/api/v1/stock/balances?product_id=${id}`),
      value: (at) => get(`/api/v1/stock/value?at=${encodeURIComponent(at)}`),
    };
  }

  try {
    // The ways of asking must give the same answer, or the comparison means nothing.
    if (part('balance')) {
      let same = 0;
      const tried = 20;
      for (let i = 0; i < tried; i++) {
        const id = randomProduct();
        const d = (await direct.balance(id)).reduce((a, r) => a + big(r.on_hand), 0n);
        const e = (await engine.listBalances(id)).data.reduce(
          (a, r) => a + big(decimalToScaled(r.on_hand, 3)),
          0n,
        );
        const l = (await engine.stockLevels(id)).get(id)!.onHand;
        const h = server
          ? (JSON.parse(await http!.balance(id)) as { data: { on_hand: string }[] }).data.reduce(
              (a, r) => a + big(decimalToScaled(r.on_hand, 3)),
              0n,
            )
          : d;
        if (d === e && e === l && l === h) same++;
      }
      result.agreement.push(`balance of one product: ${same} of ${tried} agree`);
    }
    if (part('value')) {
      const at = randomInstant();
      const fromDirect = new Map(
        (await direct.value(at)).map((r) => [r.currency as string, big(r.value)]),
      );
      const toMinor = (t: { amount: string; currency: string } | null) =>
        t ? [t.currency, big(decimalToScaled(t.amount, minorDigits(t.currency)))] : null;
      const fromEngine = new Map(
        (await engine.stockValue(at)).totals.map(toMinor).filter((x) => x !== null) as [
          string,
          bigint,
        ][],
      );
      const sameValue =
        fromDirect.size === fromEngine.size &&
        [...fromDirect].every(([c, v]) => fromEngine.get(c) === v);
      result.agreement.push(
        `value at ${at}: ${sameValue ? 'same totals' : 'DIFFERENT totals'} (${[...fromDirect]
          .map(([c, v]) => `${c} ${v}`)
          .join(', ')})`,
      );
    }
    log(`  agreement: ${result.agreement.join('; ')}`);

    const cell = async (
      name: string,
      budget: Budget,
      modes: [string, () => Promise<unknown>][],
      directMode: string,
    ) => {
      const out: ReadCell = { name, modes: {}, direct: directMode, ratios: {} };
      for (const [mode, fn] of modes) {
        const m = await timed(budget, fn);
        out.modes[mode] = m;
        log(
          `  ${name.padEnd(30)} ${mode.padEnd(24)} median ${ms(m.summary.median).padStart(7)} ms  p95 ${ms(m.summary.p95).padStart(7)} ms  n=${m.summary.n}${m.errors ? `  ${m.errors} errors: ${m.firstError}` : ''}`,
        );
      }
      const d = out.modes[directMode].summary;
      for (const [mode, m] of Object.entries(out.modes))
        if (mode !== directMode)
          out.ratios[mode] = { median: m.summary.median / d.median, p95: m.summary.p95 / d.p95 };
      result.reads.push(out);
      return out;
    };

    if (part('balance')) {
      const balanceCell = await cell(
        'balance of one product',
        opts,
        [
          ...(server
            ? [['HTTP', () => http.balance(randomProduct())] as [string, () => Promise<unknown>]]
            : []),
          ['listBalances', () => engine.listBalances(randomProduct())],
          ['stockLevels', () => engine.stockLevels(randomProduct())],
          ['scope as EXISTS (sketch)', () => direct.balanceExists(randomProduct())],
          ['direct', () => direct.balance(randomProduct())],
        ],
        'direct',
      );
      const kontorWays = Object.entries(balanceCell.modes).filter(
        ([m]) => m !== 'direct' && !m.includes('sketch'),
      );
      balanceCell.note = `target p95 under 5 ms: ${kontorWays
        .map(([m, x]) => `${m} ${x.summary.p95 < 5 ? 'met' : 'NOT met'} (${ms(x.summary.p95)} ms)`)
        .join(', ')}`;
      log(`  ${balanceCell.note}`);
    }

    if (part('value')) {
      const valueBudget: Budget = {
        iterations: opts.valueIterations,
        warmup: 2,
        seconds: opts.seconds * 2,
        minSamples: Math.min(5, opts.valueIterations),
      };
      await cell(
        'stock value at a past instant',
        valueBudget,
        [
          ...(server
            ? [['HTTP', () => http.value(randomInstant())] as [string, () => Promise<unknown>]]
            : []),
          ['stockValue', () => engine.stockValue(randomInstant())],
          ['direct', () => direct.value(randomInstant())],
        ],
        'direct',
      );
    }
  } finally {
    if (server) await server.stop();
  }

  // What monthly snapshots would make of the value at an instant (a sketch, not Kontor's code):
  // each product's quantity and value at the end of every month, summed from the moves once;
  // the value at an instant is then the snapshot before it plus the moves since.
  if (part('value')) {
    const month =
      dialect === 'postgres'
        ? sql<string>`to_char(occurred_at at time zone 'UTC', 'YYYY-MM')`
        : sql<string>`substr(occurred_at, 1, 7)`;
    const t0 = now();
    await sql`drop table if exists bench_value_snapshots`.execute(db);
    await sql`create table bench_value_snapshots (month text not null, product_id text not null,
      currency text, quantity bigint not null, value_minor bigint not null, primary key (month, product_id))`.execute(
      db,
    );
    const deltas = await db
      .selectFrom('stock_moves')
      .select([
        month.as('month'),
        'product_id',
        sql<string | null>`max(currency)`.as('currency'),
        sql<string>`sum(quantity)`.as('quantity'),
        sql<string>`sum(value_minor)`.as('value'),
      ])
      .groupBy([month, 'product_id'])
      .orderBy('product_id')
      .orderBy(month)
      .execute();
    // Running sums per product, written for every month from its first move to the last month.
    const months: string[] = [];
    for (let d = new Date(lo); d.getTime() <= hi; d.setUTCMonth(d.getUTCMonth() + 1, 1))
      months.push(d.toISOString().slice(0, 7));
    const rows: Row[] = [];
    let i = 0;
    while (i < deltas.length) {
      const p = deltas[i].product_id as string;
      let q = 0n;
      let v = 0n;
      let currency: string | null = null;
      let j = i;
      for (const m of months) {
        while (j < deltas.length && deltas[j].product_id === p && deltas[j].month === m) {
          q += big(deltas[j].quantity);
          v += big(deltas[j].value);
          currency = (deltas[j].currency as string | null) ?? currency;
          j++;
        }
        if (currency !== null)
          rows.push({
            month: m,
            product_id: p,
            currency,
            quantity: q.toString(),
            value_minor: v.toString(),
          });
      }
      i = j;
    }
    await db.transaction().execute((trx) => insertMany(trx, 'bench_value_snapshots', rows, 5000));
    if (dialect === 'postgres') await sql`analyze bench_value_snapshots`.execute(db);
    const buildSeconds = (now() - t0) / 1000;
    const monthStart = (at: string) => `${at.slice(0, 7)}-01T00:00:00.000Z`;
    const previousMonth = (at: string) => {
      const d = new Date(monthStart(at));
      d.setUTCMonth(d.getUTCMonth() - 1);
      return d.toISOString().slice(0, 7);
    };
    const snapshotValue = async (at: string) => {
      const base = await db
        .selectFrom('bench_value_snapshots')
        .select(['currency', sql<string>`sum(value_minor)`.as('value')])
        .where('month', '=', previousMonth(at))
        .groupBy('currency')
        .execute();
      const since = await db
        .selectFrom('stock_moves')
        .select(['currency', sql<string>`sum(value_minor)`.as('value')])
        .where('occurred_at', '>=', monthStart(at))
        .where('occurred_at', '<=', at)
        .groupBy('currency')
        .execute();
      const out = new Map<string, bigint>();
      for (const r of [...base, ...since])
        out.set(r.currency as string, (out.get(r.currency as string) ?? 0n) + big(r.value));
      return out;
    };
    // The sketch must give the same totals as the sum over all moves.
    let agree = 0;
    for (let n = 0; n < 5; n++) {
      const at = randomInstant();
      const a = await snapshotValue(at);
      const b = new Map((await direct.value(at)).map((r) => [r.currency as string, big(r.value)]));
      if (a.size === b.size && [...a].every(([c, v]) => b.get(c) === v)) agree++;
    }
    const valueCell = result.reads.find((r) => r.name === 'stock value at a past instant')!;
    const m = await timed(
      {
        iterations: opts.valueIterations * 3,
        warmup: 3,
        seconds: opts.seconds,
        minSamples: 5,
      },
      () => snapshotValue(randomInstant()),
    );
    valueCell.modes['monthly snapshots (sketch)'] = m;
    valueCell.ratios['monthly snapshots (sketch)'] = {
      median: m.summary.median / valueCell.modes.direct.summary.median,
      p95: m.summary.p95 / valueCell.modes.direct.summary.p95,
    };
    valueCell.note = `sketch: ${int(rows.length)} snapshot rows (${months.length} months x products) built in ${buildSeconds.toFixed(1)} s; same totals as the full sum ${agree} of 5 times`;
    log(
      `  ${'stock value at a past instant'.padEnd(30)} ${'snapshots (sketch)'.padEnd(24)} median ${ms(m.summary.median).padStart(7)} ms  p95 ${ms(m.summary.p95).padStart(7)} ms  n=${m.summary.n}`,
    );
    log(`  ${valueCell.note}`);
    await sql`drop table bench_value_snapshots`.execute(db);
  }

  // verifyStock over everything, and the two aggregates it is made of as plain SQL.
  if (part('verify')) {
    const budget: Budget = {
      iterations: opts.verifyIterations,
      warmup: 1,
      seconds: 1,
      minSamples: opts.verifyIterations,
    };
    let differences = -1;
    let checked = 0;
    const e = await timed(budget, async () => {
      const r = await verifyStock(db, k.meta);
      differences = r.differences.length;
      checked = r.checked;
    });
    const d = await timed(budget, async () => {
      for (const q of direct.verify) await db.executeQuery(q);
    });
    result.verify = { engine: e, direct: d, differences, checked };
    log(
      `  verifyStock: median ${(e.summary.median / 1000).toFixed(2)} s (n=${e.summary.n}; target under 30 s: ${e.summary.median < 30_000 ? 'met' : 'NOT met'}), ${checked} balances checked, ${differences} differences; plain aggregates ${(d.summary.median / 1000).toFixed(2)} s`,
    );
  }

  // Reservations. Every reservation is one unit on one document line, as an order line would be.
  if (part('reserve')) {
    const available = async (minimum: number) =>
      (
        await db
          .selectFrom('stock_balances')
          .select(['product_id', 'warehouse_id', sql<string>`on_hand - reserved`.as('free')])
          .where(sql<boolean>`on_hand - reserved >= ${minimum}`)
          .execute()
      ).map((r) => ({ p: r.product_id as string, w: r.warehouse_id as string, free: big(r.free) }));
    const pool = await available(1000);
    const randomPair = () => pool[rng.int(pool.length)];
    const documents = await documentPool(k, 5000, 0xd0d);
    const documentName = documentObject(k);
    const document = () => ({
      object: documentName,
      id: documents[rng.int(documents.length)],
      lineId: freshId(),
    });
    const engineReserve = (kk: Kontor, p: string, w: string, quantity: bigint) =>
      inTransaction(kk, actor, (ctx) =>
        reserveStock(ctx, [
          {
            productId: p,
            warehouseId: w,
            quantity,
            document: document(),
          },
        ]),
      ).then(
        () => true,
        (err: { code?: string }) => {
          if (err.code === 'conflict') return false;
          throw err;
        },
      );
    // The same work as plain SQL: the guarded update and the reservation row, in a transaction.
    const directReserve = (p: string, w: string, quantity: bigint) =>
      db.transaction().execute(async (trx) => {
        const q = quantity.toString();
        const r = await trx
          .updateTable('stock_balances')
          .set({ reserved: sql`reserved + ${sql.raw(q)}` })
          .where('product_id', '=', p)
          .where('warehouse_id', '=', w)
          .where(sql<boolean>`on_hand - reserved >= ${sql.raw(q)}`)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        const t = new Date().toISOString();
        await trx
          .insertInto('stock_reservations')
          .values({
            id: freshId(),
            product_id: p,
            warehouse_id: w,
            document_object: documentName,
            document_id: documents[rng.int(documents.length)],
            document_line_id: freshId(),
            quantity: q,
            created_at: t,
            updated_at: t,
          })
          .execute();
        return true;
      });
    const instances: Kontor[] = [k];
    let second: Kontor | undefined;
    if (opts.second) {
      second = await opts.second();
      instances.push(second);
    }
    const record = (c: Omit<ReserveCell, 'name'>) => {
      const name = `${c.target === 'hot' ? 'one hot product' : 'random products'}, ${c.callers} at once${c.instances > 1 ? `, ${c.instances} instances` : ''}${c.mode === 'direct' ? ' (plain SQL)' : ''}`;
      const out = { name, ...c };
      result.reservations.push(out);
      log(
        `  ${name.padEnd(46)} ${int(c.perSecond).padStart(6)} reserved/s  median ${ms(c.latency.median).padStart(6)} ms  p95 ${ms(c.latency.p95).padStart(6)} ms  ${c.reserved} ok, ${c.refused} refused${c.errors ? `, ${c.errors} errors: ${c.firstError}` : ''}${c.check ? `; ${c.check}` : ''}`,
      );
    };
    try {
      const randomCells: { callers: number; instances: number; mode: 'engine' | 'direct' }[] = [
        { callers: 1, instances: 1, mode: 'engine' },
        { callers: 8, instances: 1, mode: 'engine' },
        { callers: 16, instances: 1, mode: 'engine' },
        { callers: 8, instances: 1, mode: 'direct' },
        ...(second ? [{ callers: 16, instances: 2, mode: 'engine' as const }] : []),
      ];
      for (const c of randomCells) {
        const r = await hammer(
          c.callers,
          (_, elapsed) => elapsed >= opts.reserveSeconds * 1000,
          (caller) => {
            const { p, w } = randomPair();
            return c.mode === 'direct'
              ? directReserve(p, w, 1000n)
              : engineReserve(instances[caller % c.instances], p, w, 1000n);
          },
        );
        record({ ...c, target: 'random', ...r });
      }
      // One product everybody wants: a fixed number of attempts for about three quarters of
      // what is free, so the last ones are refused; exactly what was free must be taken.
      const hotCells: { callers: number; instances: number }[] = [
        { callers: 16, instances: 1 },
        ...(second ? [{ callers: 16, instances: 2 }] : []),
      ];
      for (const c of hotCells) {
        const share = BigInt(Math.ceil(opts.hotAttempts * 0.75));
        const [hot] = (await available(Number(share))).sort((a, b) => (a.free > b.free ? -1 : 1));
        if (!hot) {
          // A small data set can have everything reserved by the runs before.
          log(`  one hot product: skipped, no balance has ${share} thousandths free any more`);
          continue;
        }
        const quantity = hot.free / share;
        const r = await hammer(
          c.callers,
          (attempted) => attempted >= opts.hotAttempts,
          (caller) => engineReserve(instances[caller % c.instances], hot.p, hot.w, quantity),
        );
        const after = await db
          .selectFrom('stock_balances')
          .select(sql<string>`on_hand - reserved`.as('free'))
          .where('product_id', '=', hot.p)
          .where('warehouse_id', '=', hot.w)
          .executeTakeFirstOrThrow();
        const expected = hot.free / quantity;
        const left = big(after.free);
        const exact =
          BigInt(r.reserved) === expected && left === hot.free - expected * quantity && left >= 0n;
        record({
          ...c,
          mode: 'engine',
          target: 'hot',
          ...r,
          check: `${exact ? 'exact' : 'WRONG'}: ${r.reserved} of ${r.attempts} got ${quantity} thousandths each, ${expected} could; ${left} left free`,
        });
      }
    } finally {
      if (second) await second.database.close();
    }
    const check = await verifyStock(db, k.meta);
    const over = await db
      .selectFrom('stock_balances')
      .select(sql<number>`count(*)`.as('n'))
      .where(sql<boolean>`on_hand - reserved < 0`)
      .executeTakeFirstOrThrow();
    const hotWrong = result.reservations.some((c) => c.check?.startsWith('WRONG'));
    result.afterReservations = {
      differences: check.differences.length,
      overReserved: Number(over.n),
      verdict:
        check.differences.length === 0 && Number(over.n) === 0 && !hotWrong
          ? 'no over-reservation: verifyStock finds no difference, on_hand - reserved >= 0 everywhere, the hot product gave out exactly what was free'
          : `OVER-RESERVATION OR DRIFT: ${check.differences.length} differences, ${over.n} balances below zero available${hotWrong ? ', a hot product run took more or less than was free' : ''}`,
    };
    log(`  after the reservations: ${result.afterReservations.verdict}`);
  }

  // The ledger's own SQL for each operation, and how the database runs it.
  if (part('plans')) {
    const capture = new CaptureSql(db);
    const original = k.database.db;
    k.database.db = original.withPlugin(capture);
    const captureOf = async (fn: () => Promise<unknown>) => {
      capture.queries.length = 0;
      capture.on = true;
      try {
        await fn();
      } catch {
        /* a refused reservation still shows its SQL */
      } finally {
        capture.on = false;
      }
      return [...capture.queries];
    };
    const [pair] = await db
      .selectFrom('stock_balances')
      .select(['product_id', 'warehouse_id'])
      .where(sql<boolean>`on_hand - reserved >= 1000`)
      .limit(1)
      .execute();
    const at = randomInstant();
    const [planDocument] = await documentPool(k, 1, 0xd0e);
    try {
      const planned: {
        operation: string;
        run?: () => Promise<unknown>;
        queries?: CompiledQuery[];
      }[] = [
        {
          operation: 'listBalances (one product)',
          run: () => engine.listBalances(pair.product_id),
        },
        { operation: 'stockLevels (one product)', run: () => engine.stockLevels(pair.product_id) },
        { operation: `stockValue at ${at}`, run: () => engine.stockValue(at) },
        { operation: `direct value at ${at}`, queries: [direct.valueQuery(at).compile()] },
        { operation: 'verifyStock: the aggregates over stock_moves', queries: direct.verify },
        {
          operation: 'reserveStock (one line)',
          run: () =>
            inTransaction(k, actor, (ctx) =>
              reserveStock(ctx, [
                {
                  productId: pair.product_id,
                  warehouseId: pair.warehouse_id,
                  quantity: 1000n,
                  document: { object: documentObject(k), id: planDocument, lineId: freshId() },
                },
              ]),
            ),
        },
      ];
      for (const p of planned) {
        const statements = [];
        for (const q of p.queries ?? (await captureOf(p.run!))) {
          if (/^(begin|commit|rollback)/i.test(q.sql.trim())) continue;
          let plan: string[];
          try {
            plan = await explain(original, dialect, q);
          } catch (err) {
            plan = [`(cannot explain: ${(err as Error).message})`];
          }
          statements.push({ sql: q.sql.replace(/\s+/g, ' '), plan });
        }
        result.plans.push({ operation: p.operation, statements });
      }
    } finally {
      k.database.db = original;
    }
  }
  return result;
}

export function printStockResult(
  r: StockBenchResult,
  log = (line: string) => process.stdout.write(`${line}\n`),
) {
  log('');
  log(
    `${r.dialect}: ${int(r.data.products)} products, ${r.data.warehouses} warehouses, ${int(r.data.moves)} moves, ${int(r.data.balances)} balances; times in ms; code ${r.code}`,
  );
  if (r.generated) {
    const g = r.generated;
    log(
      `Generated in ${g.seconds.toFixed(0)} s${g.bytes ? ` (${mib(g.bytes)} in the database)` : ''}; postings: ${Object.entries(
        g.postings,
      )
        .map(([kind, n]) => `${kind} ${int(n)}`)
        .join(', ')}; ${int(g.reservations)} open reservations`,
    );
    for (const p of g.phases)
      log(
        `  ${p.name.padEnd(34)} ${p.seconds.toFixed(1).padStart(7)} s${p.rowsPerSecond ? `   ${int(p.rowsPerSecond)} rows/s` : ''}`,
      );
  }
  const rows: string[][] = [];
  for (const c of r.reads)
    for (const [mode, m] of Object.entries(c.modes))
      rows.push([
        c.name,
        mode,
        ms(m.summary.median),
        ms(m.summary.p95),
        mode === c.direct ? '1.0x' : `${c.ratios[mode].median.toFixed(1)}x`,
        mode === c.direct ? '1.0x' : `${c.ratios[mode].p95.toFixed(1)}x`,
        String(m.summary.n),
        String(m.errors),
      ]);
  const v = r.verify;
  if (v)
    rows.push([
      'verifyStock, everything',
      'verifyStock',
      ms(v.engine.summary.median),
      ms(v.engine.summary.p95),
      `${(v.engine.summary.median / v.direct.summary.median).toFixed(1)}x`,
      `${(v.engine.summary.p95 / v.direct.summary.p95).toFixed(1)}x`,
      String(v.engine.summary.n),
      String(v.engine.errors),
    ]);
  if (v)
    rows.push([
      '',
      'direct (2 group-bys)',
      ms(v.direct.summary.median),
      ms(v.direct.summary.p95),
      '1.0x',
      '1.0x',
      String(v.direct.summary.n),
      String(v.direct.errors),
    ]);
  log(
    table(
      ['operation', 'way', 'median', 'p95', '/direct', 'p95 /direct', 'samples', 'errors'],
      rows,
      2,
    ),
  );
  for (const c of r.reads) if (c.note) log(`${c.name}: ${c.note}`);
  if (v) log(`verifyStock: ${v.checked} balances checked, ${v.differences} differences`);
  log(`Same answers: ${r.agreement.join('; ')}`);
  log('');
  const direct = r.reservations.find((c) => c.mode === 'direct');
  log(
    table(
      ['reservations', 'reserved/s', 'median', 'p95', '/plain SQL', 'ok', 'refused', 'errors'],
      r.reservations.map((c) => [
        c.name,
        int(c.perSecond),
        ms(c.latency.median),
        ms(c.latency.p95),
        direct && c.mode === 'engine' && c.target === 'random'
          ? `${(direct.perSecond / c.perSecond).toFixed(1)}x`
          : '',
        String(c.reserved),
        String(c.refused),
        String(c.errors),
      ]),
    ),
  );
  for (const c of r.reservations) if (c.check) log(`${c.name}: ${c.check}`);
  log(`After the reservations: ${r.afterReservations.verdict}`);
  log('');
  log('Query plans of the ledger SQL:');
  for (const p of r.plans) {
    log(`  ${p.operation}`);
    for (const s of p.statements) {
      log(`    ${s.sql.length > 220 ? `${s.sql.slice(0, 220)} …` : s.sql}`);
      for (const line of s.plan) log(`      ${line}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs();
  const dialects = (args.get('dialects') ?? args.get('dialect') ?? 'sqlite,postgres').split(',');
  const scale = numArg(args, 'scale', 1);
  const keep = boolArg(args, 'keep');
  const pgUrl = args.get('database-url') ?? DEFAULT_PG_URL;
  const server = args.get('server') ?? 'child';
  if (server !== 'child' && server !== 'none') throw new Error('--server is child or none');
  const gen = {
    products: intArg(args, 'products', Math.round(10_000 * scale)),
    warehouses: intArg(args, 'warehouses', 5),
    moves: intArg(args, 'moves', Math.round(2_000_000 * scale)),
    seed: intArg(args, 'seed', 11),
  };
  if (gen.products < 1 || gen.warehouses < 2 || gen.moves < 1)
    throw new Error('--products and --moves must be at least 1, --warehouses at least 2');
  const options: Omit<StockBenchOptions, 'second'> = {
    iterations: intArg(args, 'iterations', 200),
    warmup: intArg(args, 'warmup', 20),
    seconds: intArg(args, 'budget', 20),
    minSamples: intArg(args, 'min-samples', 30),
    valueIterations: intArg(args, 'value-iterations', 30),
    verifyIterations: Math.max(1, intArg(args, 'verify-iterations', 3)),
    reserveSeconds: intArg(args, 'reserve-seconds', 10),
    hotAttempts: Math.max(4, intArg(args, 'hot-attempts', 2000)),
    server,
    serverLogLevel: args.get('server-log-level') ?? 'info',
    parts: new Set((args.get('parts') ?? 'balance,value,verify,reserve,plans').split(',')),
  };
  for (const p of options.parts)
    if (!['balance', 'value', 'verify', 'reserve', 'plans'].includes(p))
      throw new Error(`--parts takes balance,value,verify,reserve,plans, not ${p}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');

  // What to remove at the end, also on Ctrl-C; the open database is closed first.
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()!();
      } catch (err) {
        process.stdout.write(`cleanup failed: ${(err as Error).message}\n`);
      }
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      process.stdout.write(`\n${signal}: removing what the benchmark created …\n`);
      void cleanup().then(() => process.exit(130));
    });

  try {
    for (const dialect of dialects) {
      if (dialect !== 'sqlite' && dialect !== 'postgres')
        throw new Error(`unknown dialect ${dialect}`);
      let target: Target;
      let given = false;
      if (dialect === 'sqlite') {
        given = args.has('data-dir');
        const dir = given
          ? resolve(args.get('data-dir')!)
          : mkdtempSync(join(tmpdir(), 'kontor-bench-stock-'));
        target = { dialect, dataDir: dir, databaseUrl: '' };
        if (!given && !keep)
          cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      } else {
        if (!(await postgresReachable(pgUrl))) {
          process.stdout.write(`PostgreSQL at ${pgUrl} is not reachable; skipped.\n`);
          continue;
        }
        given = args.has('schema');
        const schema = args.get('schema') ?? `bench_stock_${process.pid}`;
        if (!/^[a-z_][a-z0-9_]*$/.test(schema) || schema === 'public')
          throw new Error('--schema NAME (lower case, not public)');
        target = { dialect, dataDir: tmpdir(), databaseUrl: pgUrl, schema };
        if (!given && !keep) cleanups.push(() => dropSchema(pgUrl, schema));
      }
      process.stdout.write(
        `\nStock benchmark on ${describe(target)}; code ${codeVersion()}${keep && !given ? ' (kept afterwards)' : ''}\n`,
      );
      const k = await bootTarget(target);
      let open = true;
      const close = async () => {
        if (open) {
          open = false;
          await k.database.close();
        }
      };
      cleanups.push(close);
      try {
        let generated: StockGenerateResult | null = null;
        const existing = await countRows(k, 'stock_moves');
        if (existing > 0) {
          process.stdout.write(
            `  ${int(existing)} stock moves are there already: measuring them as they are\n`,
          );
        } else {
          process.stdout.write(
            `  generating ${int(gen.products)} products, ${gen.warehouses} warehouses, ${int(gen.moves)} moves …\n`,
          );
          generated = await generateStock(k, gen);
        }
        const result = await runStockBench(k, target, generated, {
          ...options,
          second:
            dialect === 'postgres'
              ? async () => {
                  const other = await bootTarget(target);
                  return other;
                }
              : undefined,
        });
        printStockResult(result);
        const file =
          args.get('json') !== undefined
            ? dialects.length > 1
              ? args.get('json')!.replace(/(\.json)?$/, `-${dialect}.json`)
              : args.get('json')!
            : join(REPO_ROOT, 'bench', 'out', `stock-${dialect}-${stamp}.json`);
        writeJson(file, result);
        process.stdout.write(`Figures: ${file}\n`);
      } finally {
        await close();
      }
      if (keep || given)
        process.stdout.write(
          `(the data stays in ${dialect === 'sqlite' ? target.dataDir : `schema ${target.schema}`})\n`,
        );
      await cleanup();
    }
  } finally {
    await cleanup();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
