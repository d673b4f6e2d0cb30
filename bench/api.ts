/**
 * Latency of the REST API against a generated database, next to the same work done by the
 * records engine in-process and by hand-written SQL through Kysely:
 *
 *   list page 1   GET /api/v1/contacts?filter[country]=Germany&sort=last_name&limit=50
 *   list page 2   the same with the cursor of page 1
 *   search        GET /api/v1/contacts?q=mar&limit=50
 *   get by id     GET /api/v1/contacts/{id}
 *   create        POST /api/v1/contacts
 *
 * "HTTP" goes through a real server on 127.0.0.1 (by default a `node bin/kontor.js serve` child
 * process, whose peak memory is read from /proc; --server inprocess runs boot + buildApp +
 * listen in this process instead). "engine" calls listRecords / loadRecord / createRecord
 * directly. "direct" is the equivalent SQL (same where, order and limit; for create, the row
 * and its search index) through Kysely. The plans of the engine's own SQL are printed too.
 *
 *   npx tsx bench/api.ts --dialect sqlite --data-dir /tmp/kontor-1m
 *   npx tsx bench/api.ts --dialect postgres --schema bench_1m
 *   options: --iterations 200 --warmup 20 --budget 20 (seconds per cell; a slow cell stops early,
 *            after --min-samples 30) --q mar --country Germany --server child|inprocess
 *            --server-log-level info --json FILE
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import {
  CompiledQuery,
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Actor } from '../server/src/core/actor';
import { createApiKey, resolveApiKey } from '../server/src/core/auth/tokens';
import { actorForUser } from '../server/src/core/auth/users';
import { inTransaction, type Kontor, type RecordContext } from '../server/src/core/kontor';
import { listRecords, loadRecord, recordColumns } from '../server/src/core/records/read';
import { createRecord } from '../server/src/core/records/write';
import { searchBody } from '../server/src/core/search/search-index';
import { ftsTable } from '../server/src/core/metadata/schema';
import { newId } from '../server/src/core/ids';
import type { Db } from '../server/src/db/database';
import { buildApp } from '../server/src/http/app';
import { intArg, parseArgs } from './lib/args';
import { reservedPhone } from './lib/data';
import {
  adminActor,
  bootTarget,
  codeVersion,
  countRows,
  describe,
  targetFromArgs,
  type Target,
} from './lib/db';
import { procMemory, startServer, type ServerProcess } from './lib/server';
import { int, mib, ms, now, summarize, table, writeJson, type Summary } from './lib/stats';

export interface ApiBenchOptions extends Budget {
  q: string;
  country: string;
  server: 'child' | 'inprocess';
  serverLogLevel: string;
  log?: (line: string) => void;
}

type Mode = 'http' | 'engine' | 'direct';
const MODES: Mode[] = ['http', 'engine', 'direct'];

export interface Measured {
  summary: Summary;
  errors: number;
  firstError?: string;
}

export interface ApiBenchResult {
  /** The commit the figures belong to. */
  code: string;
  dialect: string;
  contacts: number;
  server: string;
  iterations: number;
  /** Whether HTTP, engine and direct returned the same rows. */
  agreement: string[];
  /** GET /api/health without a key: the cost of an HTTP round trip alone. */
  httpFloor: Measured;
  operations: {
    name: string;
    http: Measured;
    engine: Measured;
    direct: Measured;
    ratio: number;
    ratioP95: number;
  }[];
  memory: {
    startupMs?: number;
    rssAtReady?: number;
    rssAtEnd?: number;
    peak?: number;
    note: string;
  };
  plans: { operation: string; statements: { sql: string; plan: string[] }[] }[];
}

/** Records the SQL the engine sends, compiled, while `on` is set. */
export class CaptureSql implements KyselyPlugin {
  on = false;
  readonly queries: CompiledQuery[] = [];
  constructor(private readonly base: Db) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.on) this.queries.push(this.base.getExecutor().compileQuery(args.node, args.queryId));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

export interface Budget {
  iterations: number;
  warmup: number;
  /** Seconds one cell (operation x mode) may take; slow cells stop early, after minSamples. */
  seconds: number;
  minSamples: number;
}

/**
 * Runs fn `warmup` times (at most ~2 s), then measures up to `iterations` calls, stopping early
 * when the cell's time budget is spent and at least minSamples were taken.
 */
export async function timed(b: Budget, fn: (i: number) => Promise<unknown>): Promise<Measured> {
  const samples: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let i = 0;
  const call = async (): Promise<number | null> => {
    const t0 = now();
    try {
      await fn(i++);
      return now() - t0;
    } catch (err) {
      errors++;
      firstError ??= (err as Error).message.slice(0, 300);
      return null;
    }
  };
  const w0 = now();
  for (let w = 0; w < b.warmup && (w === 0 || now() - w0 < 2000); w++) await call();
  const m0 = now();
  while (
    samples.length < b.iterations &&
    (samples.length < b.minSamples || now() - m0 < b.seconds * 1000)
  ) {
    const t = await call();
    if (t !== null) samples.push(t);
    else if (errors > b.iterations) break;
  }
  return { summary: summarize(samples), errors, firstError };
}

/** Compact query plans of the engine's statements: EXPLAIN QUERY PLAN, or EXPLAIN ANALYZE. */
export async function explain(db: Db, dialect: string, q: CompiledQuery): Promise<string[]> {
  const text = q.sql.trim();
  const isSelect = /^select/i.test(text);
  if (dialect === 'sqlite') {
    const r = await db.executeQuery<{ id: number; parent: number; detail: string }>(
      CompiledQuery.raw(`explain query plan ${text}`, [...q.parameters]),
    );
    const depth = new Map<number, number>();
    return r.rows.map((row) => {
      const d = (depth.get(row.parent) ?? -1) + 1;
      depth.set(row.id, d);
      return `${'  '.repeat(d)}${row.detail}`;
    });
  }
  // Reads are analysed (run); writes only planned, so explaining changes nothing.
  const prefix = isSelect ? 'explain (analyze, buffers, costs off)' : 'explain (costs off)';
  const r = await db.executeQuery<Record<string, string>>(
    CompiledQuery.raw(`${prefix} ${text}`, [...q.parameters]),
  );
  return r.rows.map((row) => Object.values(row)[0]);
}

export async function runApiBench(
  k: Kontor,
  target: Target,
  opts: ApiBenchOptions,
): Promise<ApiBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const db = k.database.db;
  const dialect = k.database.dialect;
  const pg = dialect === 'postgres';
  const contacts = k.meta.get('contacts');
  const columns = recordColumns(contacts, dialect);
  const admin = await adminActor(k);
  const { key, id: keyId } = await createApiKey(db, k.clock, 'benchmark', admin.userId!);
  const actor: Actor = (await actorForUser(db, admin.userId!, keyId))!;
  const ctx = (): RecordContext => ({
    k,
    db: k.database.db,
    actor,
    pending: { rollups: new Map() },
  });
  const total = await countRows(k, 'contacts');

  // Ids to read: one per random instant, spread over the whole table.
  const span = (await db
    .selectFrom('contacts')
    .select([sql<string>`min(created_at)`.as('lo'), sql<string>`max(created_at)`.as('hi')])
    .executeTakeFirstOrThrow()) as { lo: string; hi: string };
  const lo = Date.parse(span.lo);
  const hi = Date.parse(span.hi);
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) {
    const at = new Date(lo + ((hi - lo) * ((i * 7919) % 200)) / 200).toISOString();
    const row = await db
      .selectFrom('contacts')
      .select('id')
      .where('deleted_at', 'is', null)
      .where('created_at', '>=', at)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    if (row) ids.push(row.id as string);
  }
  const company = (await db
    .selectFrom('companies')
    .select('id')
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst()) as { id: string } | undefined;

  // New contacts take phone numbers from the block generated data never uses, after any
  // earlier benchmark run's, so the duplicate rule never fires.
  const lastReserved = (await db
    .selectFrom('contacts')
    .select(sql<string | null>`max(phone_e164)`.as('m'))
    .where('phone_e164', '>=', '+493090')
    .where('phone_e164', '<', '+49309:')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()) as { m: string | null };
  let serial = lastReserved.m ? Number(lastReserved.m.slice(-6)) + 1 : 0;
  const runTag = Date.now().toString(36);
  const newContact = () => {
    const n = serial++;
    const phone = reservedPhone(n);
    return {
      body: {
        salutation: 'Ms',
        first_name: 'Berta',
        last_name: 'Benchmark',
        email: `berta.${runTag}.${n}@example.org`,
        phone: phone.typed,
        job_title: 'Buyer',
        ...(company ? { company_id: company.id } : {}),
        street: 'Hauptstraße 1',
        city: 'Berlin',
        postal_code: '10115',
        country: 'Germany',
      },
      e164: phone.e164,
    };
  };

  // The server
  let server: ServerProcess | undefined;
  let app: FastifyInstance | undefined;
  let base: string;
  let memoryNote: string;
  let inprocessPeak = 0;
  let sampler: NodeJS.Timeout | undefined;
  if (opts.server === 'child') {
    server = await startServer(target, { logLevel: opts.serverLogLevel });
    base = server.url;
    memoryNote = `server child process PID ${server.pid} (node bin/kontor.js serve, log level ${opts.serverLogLevel}), /proc VmHWM`;
  } else {
    app = await buildApp(k);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    memoryNote =
      'in-process server: peak RSS of the benchmark process itself (server + load + engine and direct runs)';
    sampler = setInterval(() => {
      inprocessPeak = Math.max(inprocessPeak, process.memoryUsage().rss);
    }, 20);
  }
  const rssAtReady = server ? procMemory(server.pid)?.rss : process.memoryUsage().rss;
  log(
    `  server at ${base}${server ? ` (PID ${server.pid}, ready in ${(server.startupMs / 1000).toFixed(1)} s, RSS ${mib(rssAtReady ?? NaN)})` : ''}`,
  );

  const headers = { authorization: `Bearer ${key}` };
  const httpGet = async (path: string): Promise<string> => {
    const res = await fetch(`${base}${path}`, { headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };
  const httpPost = async (path: string, body: unknown): Promise<string> => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 200)}`);
    return text;
  };

  const country = opts.country;
  const listQuery = `filter[country]=${encodeURIComponent(country)}&sort=last_name&limit=50`;
  const searchQuery = `q=${encodeURIComponent(opts.q)}&limit=50`;

  // Page 1 once, to know the cursor (HTTP) and the last row's keys (direct) for page 2.
  const page1 = JSON.parse(await httpGet(`/api/v1/contacts?${listQuery}`)) as {
    data: { id: string; last_name: string | null }[];
    next_cursor: string | null;
  };
  const cursor = page1.next_cursor;
  const lastOfPage1 = page1.data[page1.data.length - 1];

  // Direct SQL: what a hand-written query with the same where/order/limit looks like.
  const fts = sql.table(ftsTable('contacts'));
  const orderAsc = (col: string) =>
    pg ? sql`${sql.ref(col)} asc nulls first` : sql`${sql.ref(col)} asc`;
  const orderDesc = (col: string) =>
    pg ? sql`${sql.ref(col)} desc nulls last` : sql`${sql.ref(col)} desc`;
  const direct = {
    list1: () =>
      db
        .selectFrom('contacts')
        .select(columns)
        .where('deleted_at', 'is', null)
        .where('country', '=', country)
        .orderBy(sql.join([orderAsc('last_name'), orderAsc('id')]))
        .limit(51)
        .execute(),
    list2: () => {
      const v = lastOfPage1.last_name;
      const after =
        v === null
          ? sql<boolean>`(last_name is not null or (last_name is null and id > ${lastOfPage1.id}))`
          : sql<boolean>`(last_name >= ${v} and (last_name > ${v} or (last_name = ${v} and id > ${lastOfPage1.id})))`;
      return db
        .selectFrom('contacts')
        .select(columns)
        .where('deleted_at', 'is', null)
        .where('country', '=', country)
        .where(after)
        .orderBy(sql.join([orderAsc('last_name'), orderAsc('id')]))
        .limit(51)
        .execute();
    },
    search: () => {
      const words = opts.q.toLowerCase().split(/\s+/).filter(Boolean);
      const match = pg
        ? sql<boolean>`search_vector @@ to_tsquery('simple', ${words.map((w) => `'${w}':*`).join(' & ')})`
        : sql<boolean>`rowid in (select rowid from ${fts} where ${fts} match ${words.map((w) => `"${w}"*`).join(' ')})`;
      return db
        .selectFrom('contacts')
        .select(columns)
        .where('deleted_at', 'is', null)
        .where(match)
        .orderBy(sql.join([orderDesc('created_at'), orderDesc('id')]))
        .limit(51)
        .execute();
    },
    get: (id: string) =>
      db
        .selectFrom('contacts')
        .select(columns)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst(),
    create: async () => {
      const { body, e164 } = newContact();
      const id = newId();
      const at = new Date().toISOString();
      const row: Record<string, unknown> = {
        ...body,
        full_name: `${body.first_name} ${body.last_name}`,
        phone_e164: e164,
        id,
        created_at: at,
        updated_at: at,
        created_by: actor.userId,
        updated_by: actor.userId,
        owner_id: actor.userId,
        version: 1,
      };
      const text = searchBody(contacts, body);
      await db.transaction().execute(async (trx) => {
        if (pg) {
          await trx
            .insertInto('contacts')
            .values({ ...row, search_vector: sql`to_tsvector('simple', ${text})` })
            .execute();
        } else {
          await trx.insertInto('contacts').values(row).execute();
          await sql`insert into ${fts} (rowid, body) values ((select rowid from contacts where id = ${id}), ${text})`.execute(
            trx,
          );
        }
      });
    },
  };

  const engine = {
    list1: () =>
      listRecords(ctx(), contacts, { filter: { country }, sort: 'last_name', limit: '50' }),
    list2: () =>
      listRecords(ctx(), contacts, {
        filter: { country },
        sort: 'last_name',
        limit: '50',
        cursor: cursor ?? undefined,
      }),
    search: () => listRecords(ctx(), contacts, { q: opts.q, limit: '50' }),
    get: (id: string) => loadRecord(ctx(), contacts, id),
    create: () => inTransaction(k, actor, (c) => createRecord(c, 'contacts', newContact().body)),
  };

  const http = {
    list1: () => httpGet(`/api/v1/contacts?${listQuery}`),
    list2: () =>
      httpGet(`/api/v1/contacts?${listQuery}&cursor=${encodeURIComponent(cursor ?? '')}`),
    search: () => httpGet(`/api/v1/contacts?${searchQuery}`),
    get: (id: string) => httpGet(`/api/v1/contacts/${id}`),
    create: () => httpPost('/api/v1/contacts', newContact().body),
  };

  // The three ways must return the same rows, or the comparison means nothing.
  const agreement: string[] = [];
  {
    const idsOf = (rows: unknown[]) =>
      rows
        .slice(0, 50)
        .map((r) => (r as { id: string }).id)
        .join(',');
    const checks: [
      string,
      () => Promise<unknown[]>,
      () => Promise<unknown[]>,
      () => Promise<unknown[]>,
    ][] = [
      [
        'list page 1',
        async () => JSON.parse(await http.list1()).data,
        async () => (await engine.list1()).data,
        () => direct.list1(),
      ],
      [
        'list page 2',
        async () => JSON.parse(await http.list2()).data,
        async () => (await engine.list2()).data,
        () => direct.list2(),
      ],
      [
        'search',
        async () => JSON.parse(await http.search()).data,
        async () => (await engine.search()).data,
        () => direct.search(),
      ],
    ];
    for (const [name, h, e, d] of checks) {
      const [a, b, c] = [idsOf(await h()), idsOf(await e()), idsOf(await d())];
      const n = a ? a.split(',').length : 0;
      agreement.push(`${name}: ${a === b && b === c ? `same ${n} rows` : 'DIFFERENT rows'}`);
    }
    log(`  HTTP, engine and direct agree: ${agreement.join('; ')}`);
  }

  // The floor: an unauthenticated GET /api/health, no database work.
  const floor = await timed(opts, async () => {
    const res = await fetch(`${base}/api/health`);
    await res.text();
  });
  log(
    `  HTTP floor (GET /api/health, no auth) median ${ms(floor.summary.median)} ms  p95 ${ms(floor.summary.p95)} ms`,
  );

  const operations: { key: keyof typeof http; name: string }[] = [
    { key: 'list1', name: `list page 1 (${country}, last_name)` },
    { key: 'list2', name: 'list page 2 (cursor)' },
    { key: 'search', name: `search q=${opts.q}` },
    { key: 'get', name: 'get by id' },
    { key: 'create', name: 'create contact' },
  ];

  const result: ApiBenchResult = {
    code: codeVersion(),
    dialect,
    contacts: total,
    server: opts.server,
    iterations: opts.iterations,
    agreement,
    httpFloor: floor,
    operations: [],
    memory: { note: memoryNote },
    plans: [],
  };
  try {
    for (const op of operations) {
      const measured = {} as Record<Mode, Measured>;
      for (const mode of MODES) {
        const fns = mode === 'http' ? http : mode === 'engine' ? engine : direct;
        const fn = fns[op.key] as (id: string) => Promise<unknown>;
        measured[mode] = await timed(opts, (i) => fn(ids[i % ids.length]));
        const m = measured[mode];
        log(
          `  ${op.name.padEnd(32)} ${mode.padEnd(6)} median ${ms(m.summary.median).padStart(7)} ms  p95 ${ms(m.summary.p95).padStart(7)} ms  n=${m.summary.n}${m.errors ? `  ${m.errors} errors: ${m.firstError}` : ''}`,
        );
      }
      result.operations.push({
        name: op.name,
        ...measured,
        ratio: measured.http.summary.median / measured.direct.summary.median,
        ratioP95: measured.http.summary.p95 / measured.direct.summary.p95,
      });
    }
  } finally {
    if (server) {
      const mem = procMemory(server.pid);
      result.memory = {
        startupMs: server.startupMs,
        rssAtReady,
        rssAtEnd: mem?.rss,
        peak: mem?.hwm,
        note: `${memoryNote}; ${int(server.lines())} log lines`,
      };
      await server.stop();
    }
    if (app) {
      clearInterval(sampler);
      result.memory = {
        rssAtReady,
        rssAtEnd: process.memoryUsage().rss,
        peak: inprocessPeak,
        note: memoryNote,
      };
      await app.close();
    }
  }

  // The engine's own SQL for each operation, and how the database runs it.
  const capture = new CaptureSql(db);
  const original = k.database.db;
  k.database.db = original.withPlugin(capture);
  const captureOf = async (fn: () => Promise<unknown>) => {
    capture.queries.length = 0;
    capture.on = true;
    try {
      await fn();
    } finally {
      capture.on = false;
    }
    return [...capture.queries];
  };
  try {
    const planned: { operation: string; run: () => Promise<unknown> }[] = [
      {
        operation: 'API key check (every HTTP request)',
        run: () => resolveApiKey(k.database.db, k.clock, key),
      },
      ...operations.map((op) => ({
        operation: op.name,
        run: () => (engine[op.key] as (id: string) => Promise<unknown>)(ids[0]),
      })),
    ];
    for (const p of planned) {
      const statements = [];
      for (const q of await captureOf(p.run)) {
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
  return result;
}

export function printApiResult(
  r: ApiBenchResult,
  log = (line: string) => process.stdout.write(`${line}\n`),
) {
  log('');
  log(
    `${r.dialect}: ${int(r.contacts)} contacts; up to ${r.iterations} samples per cell (samples: HTTP/engine/direct); times in ms`,
  );
  const rows = r.operations.map((o) => [
    o.name,
    ms(o.http.summary.median),
    ms(o.http.summary.p95),
    ms(o.engine.summary.median),
    ms(o.engine.summary.p95),
    ms(o.direct.summary.median),
    ms(o.direct.summary.p95),
    `${o.ratio.toFixed(1)}x`,
    `${o.ratioP95.toFixed(1)}x`,
    `${o.http.summary.n}/${o.engine.summary.n}/${o.direct.summary.n}`,
    String(o.http.errors + o.engine.errors + o.direct.errors),
  ]);
  log(
    table(
      [
        'operation',
        'HTTP med',
        'HTTP p95',
        'engine med',
        'engine p95',
        'direct med',
        'direct p95',
        'HTTP/direct',
        'p95 ratio',
        'samples',
        'errors',
      ],
      rows,
    ),
  );
  log(
    `HTTP floor (GET /api/health, no key, no database): median ${ms(r.httpFloor.summary.median)}, p95 ${ms(r.httpFloor.summary.p95)}`,
  );
  log(`Same rows from HTTP, engine and direct: ${r.agreement.join('; ')}`);
  const m = r.memory;
  log('');
  log(
    `Server memory: ${m.peak ? `peak ${mib(m.peak)}` : 'peak n/a'}${m.rssAtReady ? `, ${mib(m.rssAtReady)} when ready` : ''}${m.rssAtEnd ? `, ${mib(m.rssAtEnd)} at the end` : ''}${m.startupMs ? `; started in ${(m.startupMs / 1000).toFixed(1)} s` : ''}`,
  );
  log(`  (${m.note})`);
  for (const o of r.operations) {
    for (const mode of MODES)
      if (o[mode].errors)
        log(`  ${o.name} ${mode}: ${o[mode].errors} errors, first: ${o[mode].firstError}`);
  }
  log('');
  log('Query plans of the engine SQL:');
  for (const p of r.plans) {
    log(`  ${p.operation}`);
    for (const s of p.statements) {
      log(`    ${s.sql.length > 220 ? `${s.sql.slice(0, 220)} …` : s.sql}`);
      for (const line of s.plan) log(`      ${line}`);
    }
  }
}

async function main() {
  const args = parseArgs();
  const target = targetFromArgs(args);
  const server = args.get('server') ?? 'child';
  if (server !== 'child' && server !== 'inprocess')
    throw new Error('--server is child or inprocess');
  const options: ApiBenchOptions = {
    iterations: intArg(args, 'iterations', 200),
    warmup: intArg(args, 'warmup', 20),
    seconds: intArg(args, 'budget', 20),
    minSamples: intArg(args, 'min-samples', 30),
    q: args.get('q') ?? 'mar',
    country: args.get('country') ?? 'Germany',
    server,
    serverLogLevel: args.get('server-log-level') ?? 'info',
  };
  process.stdout.write(`API benchmark on ${describe(target)}; code ${codeVersion()}\n`);
  const k = await bootTarget(target);
  try {
    const result = await runApiBench(k, target, options);
    printApiResult(result);
    writeJson(args.get('json'), result);
  } finally {
    await k.database.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
