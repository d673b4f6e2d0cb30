/**
 * Import speed: writes a contacts CSV (100,000 rows by default) to a temporary folder and times
 * `readTable` + `importTable` into a fresh database that holds only some companies (so the
 * Company column is resolved by name, as in a real import), on SQLite or PostgreSQL.
 *
 *   npx tsx bench/import.ts --dialect sqlite
 *   npx tsx bench/import.ts --dialect postgres [--database-url URL]
 *   options: --rows 100000 --companies 1000 --seed 7 --json FILE
 *
 * The fresh database is a temporary SQLite folder or a new schema bench_import_<pid>, removed
 * at the end.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { importTable } from '../server/src/core/import/importer';
import { readTable } from '../server/src/core/import/read-table';
import { intArg, parseArgs } from './lib/args';
import { COUNTRIES, makeContact, Rng } from './lib/data';
import {
  adminActor,
  bootTarget,
  codeVersion,
  DEFAULT_PG_URL,
  describe,
  dropSchema,
  postgresReachable,
  type Target,
} from './lib/db';
import { generate } from './generate';
import { int, mib, now, writeJson } from './lib/stats';

export interface ImportBenchOptions {
  rows: number;
  companies: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ImportBenchResult {
  /** The commit the figures belong to. */
  code: string;
  dialect: string;
  rows: number;
  csvBytes: number;
  created: number;
  failed: number;
  readSeconds: number;
  importSeconds: number;
  rowsPerSecond: number;
  peakRss: number;
  errors: { line: number; field: string; message: string }[];
}

const HEADERS = [
  'Salutation',
  'First name',
  'Last name',
  'E-mail',
  'Phone',
  'Mobile',
  'Job title',
  'Company',
  'Street',
  'City',
  'Region',
  'Postal code',
  'Country',
  'Birthday',
  'Notes',
];

function csvCell(v: string | null | undefined): string {
  if (v === null || v === undefined) return '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Runs the import benchmark on a fresh, empty target (booted here, left for the caller to drop). */
export async function runImportBench(
  target: Target,
  opts: ImportBenchOptions,
): Promise<ImportBenchResult> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const k = await bootTarget(target);
  const dir = mkdtempSync(join(tmpdir(), 'kontor-bench-csv-'));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    await generate(k, {
      companies: opts.companies,
      contacts: 0,
      deals: 0,
      seed: opts.seed ?? 7,
      log: () => {},
    });
    // Company cells name companies; a name that two companies share would (rightly) fail the row.
    const unique = (await k.database.db
      .selectFrom('companies')
      .select(['name', sql<string>`lower(name)`.as('lowered'), 'domain', 'city', 'country'])
      .where(
        sql<boolean>`lower(name) in (select lower(name) from companies group by lower(name) having count(*) = 1)`,
      )
      .orderBy('name')
      .execute()) as {
      name: string;
      lowered: string;
      domain: string;
      city: string;
      country: string;
    }[];
    // The importer matches `lower(name) = <cell in JS lower case>`; SQLite's lower() folds ASCII
    // letters only, so a name with a capital like Á, Č or Т can never match there. Such names
    // are left out of the Company column (and reported) so that the import measures speed.
    const companies = unique.filter((c) => c.lowered === c.name.toLowerCase());
    if (companies.length < unique.length) {
      const example = unique.find((c) => c.lowered !== c.name.toLowerCase())!;
      log(
        `  note: ${unique.length - companies.length} of ${unique.length} company names cannot be matched by the importer on ${k.database.dialect} (lower(name) = '${example.lowered}' for '${example.name}'); the CSV does not use them`,
      );
    }
    const byName = new Map(COUNTRIES.map((c, i) => [c.name, i]));

    const rng = new Rng((opts.seed ?? 7) ^ 0x1a);
    const lines = [HEADERS.join(',')];
    for (let j = 0; j < opts.rows; j++) {
      const company =
        companies.length && rng.chance(0.9) ? companies[rng.int(companies.length)] : null;
      const v = makeContact(
        rng,
        j,
        company
          ? {
              countryIndex: byName.get(company.country) ?? 0,
              domain: company.domain,
              city: company.city,
            }
          : null,
      );
      lines.push(
        [
          v.salutation,
          v.first_name,
          v.last_name,
          v.email,
          v.phone?.typed,
          v.mobile?.typed,
          v.job_title,
          company?.name,
          v.street,
          v.city,
          v.region,
          v.postal_code,
          v.country,
          v.birthday,
          v.description,
        ]
          .map(csvCell)
          .join(','),
      );
    }
    const file = join(dir, 'contacts.csv');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const csvBytes = statSync(file).size;
    log(
      `  wrote ${int(opts.rows)} rows to ${file} (${mib(csvBytes)}); ${int(companies.length)} companies to refer to`,
    );

    const actor = await adminActor(k);
    const t0 = now();
    const table = await readTable(readFileSync(file), file);
    const t1 = now();
    const report = await importTable(k, actor, 'contacts', table);
    const t2 = now();
    const importSeconds = (t2 - t1) / 1000;
    const result: ImportBenchResult = {
      code: codeVersion(),
      dialect: k.database.dialect,
      rows: report.rows,
      csvBytes,
      created: report.created,
      failed: report.failed,
      readSeconds: (t1 - t0) / 1000,
      importSeconds,
      rowsPerSecond: report.rows / importSeconds,
      peakRss,
      errors: report.errors.slice(0, 5),
    };
    const unmapped = report.unmapped_columns.length
      ? `; unmapped columns: ${report.unmapped_columns.join(', ')}`
      : '';
    log(
      `  mapping: ${Object.entries(report.mapping)
        .map(([h, f]) => `${h}->${f ?? '-'}`)
        .join(', ')}${unmapped}`,
    );
    return result;
  } finally {
    clearInterval(sampler);
    await k.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printImportResult(
  r: ImportBenchResult,
  log = (line: string) => process.stdout.write(`${line}\n`),
) {
  const outcome = r.failed
    ? `checked ${int(r.rows)} contacts, ${r.failed} failed, so nothing was imported (rolled back),`
    : `imported ${int(r.created)} contacts`;
  log(
    `${r.dialect}: ${outcome} in ${r.importSeconds.toFixed(1)} s = ${int(r.rowsPerSecond)} rows/s; ` +
      `reading the CSV took ${r.readSeconds.toFixed(1)} s; peak RSS ${mib(r.peakRss)}`,
  );
  for (const e of r.errors) log(`  line ${e.line}, ${e.field}: ${e.message}`);
}

async function main() {
  const args = parseArgs();
  const dialect = args.get('dialect') ?? 'sqlite';
  const options: ImportBenchOptions = {
    rows: intArg(args, 'rows', 100_000),
    companies: intArg(args, 'companies', 1000),
    seed: intArg(args, 'seed', 7),
  };
  let target: Target;
  if (dialect === 'sqlite') {
    target = {
      dialect,
      dataDir: mkdtempSync(join(tmpdir(), 'kontor-bench-import-')),
      databaseUrl: '',
    };
  } else if (dialect === 'postgres') {
    const url = args.get('database-url') ?? DEFAULT_PG_URL;
    if (!(await postgresReachable(url))) {
      process.stdout.write(`PostgreSQL at ${url} is not reachable; skipped.\n`);
      return;
    }
    target = {
      dialect,
      dataDir: tmpdir(),
      databaseUrl: url,
      schema: `bench_import_${process.pid}`,
    };
  } else {
    throw new Error('--dialect is sqlite or postgres');
  }
  process.stdout.write(`Import benchmark on a fresh ${describe(target)}; code ${codeVersion()}\n`);
  try {
    const result = await runImportBench(target, options);
    printImportResult(result);
    writeJson(args.get('json'), result);
  } finally {
    if (target.dialect === 'sqlite') rmSync(target.dataDir, { recursive: true, force: true });
    else await dropSchema(target.databaseUrl, target.schema!);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
