/**
 * Fills a Kontor database with companies, contacts and deals for the benchmarks, fast: Kontor is
 * booted once (tables, metadata, default pipeline), then rows go in directly through Kysely as
 * multi-row inserts in large transactions, search index included (SQLite: the FTS5 table named by
 * ftsTable(), keyed by rowid; PostgreSQL: search_vector), with the secondary indexes
 * dropped during the load and rebuilt afterwards.
 *
 *   npx tsx bench/generate.ts --dialect sqlite --data-dir /tmp/kontor-1m
 *   npx tsx bench/generate.ts --dialect postgres --schema bench_1m [--database-url URL]
 *   options: --contacts 1000000 --companies 100000 --deals 200000 --seed 42
 *            --keep-indexes (insert with every index in place) --reset (start from an empty database)
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Expression } from 'kysely';
import { v7 } from 'uuid';
import { createUser } from '../server/src/core/auth/users';
import type { Kontor } from '../server/src/core/kontor';
import { existingColumns, ftsTable } from '../server/src/core/metadata/schema';
import type { ObjectMeta } from '../server/src/core/metadata/types';
import { searchBody } from '../server/src/core/search/search-index';
import { boolToDb } from '../server/src/db/column-types';
import { boolArg, intArg, parseArgs } from './lib/args';
import {
  checkPhonePlans,
  companyOfContact,
  COUNTRIES,
  createdAt,
  makeCompany,
  makeContact,
  makeDeal,
  mix,
  Rng,
  type StageInfo,
} from './lib/data';
import {
  bootTarget,
  codeVersion,
  countRows,
  describe,
  dropSchema,
  targetFromArgs,
  type Target,
} from './lib/db';
import { int, mib, now, writeJson } from './lib/stats';

export interface GenerateOptions {
  contacts: number;
  companies: number;
  deals: number;
  seed?: number;
  /** Insert with every index in place instead of rebuilding them after the load. */
  keepIndexes?: boolean;
  /** Rows per transaction. */
  txRows?: number;
  log?: (line: string) => void;
}

export interface Phase {
  name: string;
  rows?: number;
  seconds: number;
  rowsPerSecond?: number;
}

export interface GenerateResult {
  /** The commit the figures belong to. */
  code: string;
  dialect: string;
  contacts: number;
  companies: number;
  deals: number;
  phases: Phase[];
  seconds: number;
  bytes: number | null;
}

export type Row = Record<string, unknown>;

const DAY = 86_400_000;
const REPS = [
  ['Alexandra Vogel', 'North'],
  ['Benedikt Hauser', 'North'],
  ['Carla Jiménez', 'North'],
  ['Dmytro Koval', 'North'],
  ['Emma Lindqvist', 'South'],
  ['Farid Haddad', 'South'],
  ['Grace Okafor', 'South'],
  ['Hiroshi Tanaka', 'South'],
] as const;

/** Sales representatives who own the generated records (created when missing). */
async function owners(k: Kontor): Promise<string[]> {
  const ids: string[] = [];
  for (const [name, team] of REPS) {
    const email = `${name.split(' ')[0].toLowerCase()}@bench.local`;
    const existing = await k.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing) {
      ids.push(existing.id as string);
      continue;
    }
    const u = await createUser(k.database.db, k.database.dialect, k.clock, {
      email,
      name,
      role: 'Sales representative',
      team,
    });
    ids.push(u.id);
  }
  return ids;
}

export interface IndexDef {
  name: string;
  definition: string;
}

/** Secondary indexes of a table (not the primary key nor constraint indexes), with their DDL. */
export async function secondaryIndexes(k: Kontor, table: string): Promise<IndexDef[]> {
  const db = k.database.db;
  if (k.database.dialect === 'sqlite') {
    const r = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(
      db,
    );
    return r.rows.map((x) => ({ name: x.name, definition: x.sql }));
  }
  const r = await sql<{ name: string; definition: string }>`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    join pg_class c on c.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace ns on ns.oid = t.relnamespace
    where ns.nspname = current_schema() and t.relname = ${table} and not i.indisprimary
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`.execute(db);
  return r.rows;
}

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function rebuildIndexes(k: Kontor, list: IndexDef[]) {
  if (k.database.dialect === 'sqlite') {
    for (const ix of list) await sql.raw(ix.definition).execute(k.database.db);
    return;
  }
  // One connection, so that the session setting applies to every CREATE INDEX.
  await k.database.db.connection().execute(async (conn) => {
    await sql`set maintenance_work_mem = '512MB'`.execute(conn);
    for (const ix of list) await sql.raw(ix.definition).execute(conn);
  });
}

/** Multi-row inserts of `rows` into `table`, at most `perStatement` rows a statement. */
export async function insertMany(
  db: Kontor['database']['db'],
  table: string,
  rows: Row[],
  perStatement: number,
) {
  for (let i = 0; i < rows.length; i += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement))
      .execute();
  }
}

/** Bind-parameter budgets: SQLite allows 32,766 per statement, PostgreSQL 65,535. */
export function rowsPerStatement(k: Kontor, columns: number): number {
  const budget = k.database.dialect === 'sqlite' ? 32_000 : 60_000;
  return Math.max(1, Math.min(1000, Math.floor(budget / (columns + 1))));
}

export interface Produced {
  row: Row;
  /** Search index text; null when the object has no searchable field. */
  body: string;
  /** Rows for other tables written with this one (a deal's stage history). */
  side?: { table: string; row: Row };
}

/**
 * Inserts `count` rows made by `make` into an object's table, with its search index, in
 * transactions of `txRows` rows, printing progress.
 */
export async function loadObject(
  k: Kontor,
  object: ObjectMeta,
  count: number,
  make: (i: number) => Produced,
  opts: { txRows: number; log: (line: string) => void },
): Promise<Phase> {
  const db = k.database.db;
  const sqlite = k.database.dialect === 'sqlite';
  const table = object.table;
  const fts = ftsTable(table);
  let nextRowid = 1;
  if (sqlite) {
    const r = await sql<{
      m: number | null;
    }>`select max(rowid) as m from ${sql.table(table)}`.execute(db);
    nextRowid = Number(r.rows[0].m ?? 0) + 1;
  }
  const started = now();
  let lastPrint = started;
  let perStatement = 0;
  let checked = false;
  for (let from = 0; from < count; from += opts.txRows) {
    const to = Math.min(count, from + opts.txRows);
    const rows: Row[] = [];
    const ftsRows: Row[] = [];
    const side = new Map<string, Row[]>();
    for (let i = from; i < to; i++) {
      const p = make(i);
      if (sqlite) {
        const rowid = nextRowid++;
        // An explicit rowid, so the FTS row can carry the same one without reading it back.
        rows.push({ rowid, ...p.row });
        ftsRows.push({ rowid, body: p.body });
      } else {
        const vector: Expression<unknown> = sql`to_tsvector('simple', ${p.body})`;
        rows.push({ ...p.row, search_vector: vector });
      }
      if (p.side) {
        const list = side.get(p.side.table) ?? [];
        list.push(p.side.row);
        side.set(p.side.table, list);
      }
    }
    if (!checked) {
      const have = await existingColumns(db, k.database.dialect, table);
      const missing = Object.keys(rows[0]).filter((c) => c !== 'rowid' && !have.has(c));
      if (missing.length) throw new Error(`${table} has no column(s) ${missing.join(', ')}`);
      perStatement = rowsPerStatement(k, Object.keys(rows[0]).length);
      checked = true;
    }
    await db.transaction().execute(async (trx) => {
      await insertMany(trx, table, rows, perStatement);
      if (sqlite) await insertMany(trx, fts, ftsRows, 5000);
      for (const [t, list] of side)
        await insertMany(trx, t, list, rowsPerStatement(k, Object.keys(list[0]).length));
    });
    const t = now();
    if (t - lastPrint > 3000 || to === count) {
      const rate = (to / (t - started)) * 1000;
      opts.log(
        `  ${table.padEnd(10)} ${int(to).padStart(10)} / ${int(count)}   ${int(rate)} rows/s`,
      );
      lastPrint = t;
    }
  }
  const seconds = (now() - started) / 1000;
  return { name: `insert ${table}`, rows: count, seconds, rowsPerSecond: count / seconds };
}

/** A UUIDv7 for an instant, its random part drawn from the seeded generator (reproducible). */
export function idMaker(seed: number) {
  const rng = new Rng(seed);
  const bytes = new Uint8Array(16);
  return (msecs: number): string => {
    for (let i = 0; i < 16; i += 4) {
      const r = (rng.next() * 4294967296) >>> 0;
      bytes[i] = r & 0xff;
      bytes[i + 1] = (r >>> 8) & 0xff;
      bytes[i + 2] = (r >>> 16) & 0xff;
      bytes[i + 3] = r >>> 24;
    }
    return v7({ msecs, random: bytes });
  };
}

export function iso(msecs: number): string {
  return new Date(msecs).toISOString();
}

export function system(
  id: string,
  createdMs: number,
  endMs: number,
  owner: string,
  salt: number,
): Row {
  const updatedMs = Math.min(endMs, createdMs + (mix(salt, 0x0bad) % (90 * 24)) * 3_600_000);
  return {
    id,
    created_at: iso(createdMs),
    updated_at: iso(updatedMs),
    created_by: owner,
    updated_by: owner,
    owner_id: owner,
    deleted_at: null,
    merged_into_id: null,
    version: 1,
  };
}

/** Generates the data into a booted Kontor whose contacts, companies and deals are empty. */
export async function generate(k: Kontor, options: GenerateOptions): Promise<GenerateResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const seed = options.seed ?? 42;
  const txRows = options.txRows ?? 25_000;
  const db = k.database.db;
  const dialect = k.database.dialect;
  const sqlite = dialect === 'sqlite';
  const bool = (v: boolean) => boolToDb(dialect, v);
  const NC = options.companies;
  const NP = options.contacts;
  const ND = options.deals;
  const phases: Phase[] = [];
  const started = now();

  for (const note of checkPhonePlans()) log(`  note: ${note}`);

  const reps = await owners(k);
  const pipeline = (await db
    .selectFrom('pipelines')
    .select('id')
    .where('is_default', '=', bool(true))
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow()) as { id: string };
  const stages = (await db
    .selectFrom('stages')
    .select(['id', 'kind'])
    .where('pipeline_id', '=', pipeline.id)
    .where('deleted_at', 'is', null)
    .orderBy('position')
    .execute()) as StageInfo[];
  const endMs = Date.now() - DAY;
  const owner = (i: number, salt: number) => reps[mix(i, salt) % reps.length];
  const newId = idMaker(seed ^ 0x1d);

  if (sqlite) {
    await sql`pragma cache_size = -524288`.execute(db);
    await sql`pragma synchronous = off`.execute(db);
  }

  // Companies are planned first (contacts and deals point at them and take their country), and
  // written last, once the totals Kontor keeps on them (contacts, won deals) are known.
  const companyIds: string[] = new Array(NC);
  const companyCountry = new Uint8Array(NC);
  const companyDomain: string[] = new Array(NC);
  const companyShort: string[] = new Array(NC);
  const companyCity: string[] = new Array(NC);
  {
    const rng = new Rng(seed ^ 0xc0);
    for (let c = 0; c < NC; c++) {
      const v = makeCompany(rng, c);
      companyIds[c] = newId(createdAt(c, NC, endMs));
      companyCountry[c] = v.countryIndex;
      companyDomain[c] = v.domain;
      companyShort[c] = v.short;
      companyCity[c] = v.city;
    }
  }
  const contactsCount = new Int32Array(NC);
  const wonCount = new Int32Array(NC);
  const wonMinor = new Float64Array(NC);

  const tables = ['contacts', 'deals', 'companies'];
  const dropped: IndexDef[] = [];
  if (!options.keepIndexes) {
    const t0 = now();
    for (const t of tables) {
      const list = await secondaryIndexes(k, t);
      for (const ix of list) await sql.raw(`drop index ${ident(ix.name)}`).execute(db);
      dropped.push(...list);
    }
    phases.push({ name: `drop ${dropped.length} indexes`, seconds: (now() - t0) / 1000 });
  }

  // Contacts
  const contactsMeta = k.meta.get('contacts');
  const contactIds: string[] = new Array(NP);
  if (NP > 0) {
    const rng = new Rng(seed ^ 0xc1);
    phases.push(
      await loadObject(
        k,
        contactsMeta,
        NP,
        (i) => {
          const c = companyOfContact(i, NC);
          const company =
            c >= 0
              ? { countryIndex: companyCountry[c], domain: companyDomain[c], city: companyCity[c] }
              : null;
          const v = makeContact(rng, i, company);
          if (c >= 0) contactsCount[c]++;
          const createdMs = createdAt(i, NP, endMs);
          const id = newId(createdMs);
          contactIds[i] = id;
          const row: Row = {
            ...system(id, createdMs, endMs, owner(i, 1), i),
            salutation: v.salutation,
            first_name: v.first_name,
            last_name: v.last_name,
            full_name: v.full_name,
            email: v.email,
            phone: v.phone?.typed ?? null,
            phone_e164: v.phone?.e164 ?? null,
            mobile: v.mobile?.typed ?? null,
            mobile_e164: v.mobile?.e164 ?? null,
            job_title: v.job_title,
            company_id: c >= 0 ? companyIds[c] : null,
            street: v.street,
            city: v.city,
            region: v.region,
            postal_code: v.postal_code,
            country: v.country,
            birthday: v.birthday,
            external_ref: v.external_ref,
            description: v.description,
          };
          const body = searchBody(contactsMeta, {
            ...v,
            phone: v.phone?.typed ?? null,
            mobile: v.mobile?.typed ?? null,
          });
          return { row, body };
        },
        { txRows, log },
      ),
    );
  }

  // Deals, with the stage history row every deal gets when it is created
  const dealsMeta = k.meta.get('deals');
  if (ND > 0) {
    const rng = new Rng(seed ^ 0xc2);
    const perCompany = NC > 0 ? Math.ceil(NP / NC) : 0;
    phases.push(
      await loadObject(
        k,
        dealsMeta,
        ND,
        (i) => {
          const c = NC > 0 && rng.chance(0.95) ? rng.int(NC) : -1;
          let contactId: string | null = null;
          if (c >= 0 && perCompany > 0) {
            const j = c + rng.int(perCompany) * NC;
            if (j < NP && companyOfContact(j, NC) === c) contactId = contactIds[j];
          }
          const createdMs = createdAt(i, ND, endMs);
          const v = makeDeal(
            rng,
            i,
            c >= 0 ? { countryIndex: companyCountry[c], short: companyShort[c] } : null,
            stages,
            createdMs,
            endMs,
          );
          if (c >= 0 && v.status === 'won') {
            wonCount[c]++;
            wonMinor[c] += v.amount_minor;
          }
          const id = newId(createdMs);
          const rep = owner(i, 2);
          const stageId = stages[v.stageIndex].id;
          const row: Row = {
            ...system(id, createdMs, endMs, rep, i + 7),
            name: v.name,
            amount_minor: v.amount_minor,
            amount_currency: v.amount_currency,
            pipeline_id: pipeline.id,
            stage_id: stageId,
            status: v.status,
            company_id: c >= 0 ? companyIds[c] : null,
            contact_id: contactId,
            expected_close_date: v.expected_close_date,
            closed_at: v.closed_at,
            lost_reason: v.lost_reason,
            external_ref: v.external_ref,
            description: v.description,
          };
          const history: Row = {
            id: newId(createdMs),
            deal_id: id,
            pipeline_id: pipeline.id,
            stage_id: stageId,
            entered_at: v.closed_at ?? iso(createdMs),
            exited_at: null,
            entered_by: rep,
          };
          return {
            row,
            body: searchBody(dealsMeta, { ...v }),
            side: { table: 'deal_stage_history', row: history },
          };
        },
        { txRows, log },
      ),
    );
  }

  // Companies, with their totals
  const companiesMeta = k.meta.get('companies');
  if (NC > 0) {
    const rng = new Rng(seed ^ 0xc0);
    phases.push(
      await loadObject(
        k,
        companiesMeta,
        NC,
        (c) => {
          const v = makeCompany(rng, c);
          const createdMs = createdAt(c, NC, endMs);
          const won = wonCount[c] > 0;
          const row: Row = {
            ...system(companyIds[c], createdMs, endMs, owner(c, 3), c + 13),
            name: v.name,
            domain: v.domain,
            website: v.website,
            email: v.email,
            phone: v.phone.typed,
            phone_e164: v.phone.e164,
            fax: v.fax?.typed ?? null,
            fax_e164: v.fax?.e164 ?? null,
            street: v.street,
            city: v.city,
            region: v.region,
            postal_code: v.postal_code,
            country: v.country,
            industry: v.industry,
            is_supplier: bool(v.is_supplier),
            is_customer: bool(v.is_customer),
            external_ref: v.external_ref,
            description: v.description,
            contacts_count: contactsCount[c],
            won_deals_count: wonCount[c],
            won_deals_amount_minor: won ? wonMinor[c] : null,
            won_deals_amount_currency: won ? COUNTRIES[v.countryIndex].currency : null,
          };
          return { row, body: searchBody(companiesMeta, { ...v, phone: v.phone.typed }) };
        },
        { txRows, log },
      ),
    );
  }

  if (dropped.length) {
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
      for (const t of [...tables, 'deal_stage_history'])
        await sql.raw(`vacuum analyze ${ident(t)}`).execute(db);
      await sql`analyze`.execute(db);
    }
    phases.push({
      name: sqlite ? 'analyze + optimize' : 'vacuum analyze',
      seconds: (now() - t0) / 1000,
    });
  }

  const bytes = await databaseBytes(k);
  return {
    code: codeVersion(),
    dialect,
    contacts: NP,
    companies: NC,
    deals: ND,
    phases,
    seconds: (now() - started) / 1000,
    bytes,
  };
}

export async function databaseBytes(k: Kontor): Promise<number | null> {
  if (k.database.dialect === 'sqlite') {
    const r = await sql<{
      n: number;
    }>`select page_count * page_size as n from pragma_page_count(), pragma_page_size()`.execute(
      k.database.db,
    );
    return Number(r.rows[0].n);
  }
  const r = await sql<{ n: string }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0) as n
    from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
    where ns.nspname = current_schema() and c.relkind = 'r'`.execute(k.database.db);
  return Number(r.rows[0].n);
}

export function printResult(
  r: GenerateResult,
  log = (line: string) => process.stdout.write(`${line}\n`),
) {
  log(
    `Generated ${int(r.contacts)} contacts, ${int(r.companies)} companies, ${int(r.deals)} deals on ${r.dialect} in ${r.seconds.toFixed(1)} s${r.bytes ? ` (${mib(r.bytes)} on disk)` : ''}`,
  );
  for (const p of r.phases) {
    log(
      `  ${p.name.padEnd(28)} ${p.seconds.toFixed(1).padStart(7)} s${p.rowsPerSecond ? `   ${int(p.rowsPerSecond)} rows/s` : ''}`,
    );
  }
}

/** Removes what a previous run left: the SQLite files, or the PostgreSQL schema. */
export async function resetTarget(t: Target) {
  if (t.dialect === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) {
      const f = join(t.dataDir, `kontor.sqlite${suffix}`);
      if (existsSync(f)) rmSync(f);
    }
  } else {
    await dropSchema(t.databaseUrl, t.schema!);
  }
}

async function main() {
  const args = parseArgs();
  const target = targetFromArgs(args);
  if (boolArg(args, 'reset')) await resetTarget(target);
  const options: GenerateOptions = {
    contacts: intArg(args, 'contacts', 1_000_000),
    companies: intArg(args, 'companies', 100_000),
    deals: intArg(args, 'deals', 200_000),
    seed: intArg(args, 'seed', 42),
    keepIndexes: boolArg(args, 'keep-indexes'),
    txRows: intArg(args, 'tx-rows', 25_000),
  };
  process.stdout.write(`Generating into ${describe(target)}; code ${codeVersion()}\n`);
  const k = await bootTarget(target);
  try {
    for (const t of ['contacts', 'companies', 'deals']) {
      const n = await countRows(k, t);
      if (n > 0) {
        process.stdout.write(
          `${t} already has ${int(n)} rows; pass --reset to start from an empty database.\n`,
        );
        process.exitCode = 2;
        return;
      }
    }
    const result = await generate(k, options);
    printResult(result);
    writeJson(args.get('json'), result);
  } finally {
    await k.database.close();
  }
  if (target.dialect === 'sqlite') {
    const f = join(target.dataDir, 'kontor.sqlite');
    if (existsSync(f)) process.stdout.write(`Database file: ${f} (${mib(statSync(f).size)})\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
