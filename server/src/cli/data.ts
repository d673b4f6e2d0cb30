import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { boot } from '../boot';
import type { Config } from '../config';
import type { Actor } from '../core/actor';
import { actorForUser } from '../core/auth/users';
import { AppError } from '../core/errors';
import { importTable } from '../core/import/importer';
import { readTable } from '../core/import/read-table';
import type { Kontor } from '../core/kontor';
import {
  DEFAULT_NORTHWIND_DIR,
  importNorthwind,
  northwindImported,
  type DemoReport,
} from '../flows/northwind-demo';
import { quietLog } from './admin';

/** The first administrator acts for the command line. */
export async function cliActor(k: Kontor): Promise<Actor> {
  const admin = await k.database.db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select('users.id')
    .where('roles.name', '=', 'Administrator')
    .orderBy('users.created_at')
    .executeTakeFirst();
  const actor = admin ? await actorForUser(k.database.db, admin.id as string) : undefined;
  if (!actor)
    throw new Error('No active administrator exists; create one with `kontor user create`');
  return actor;
}

function parseMap(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const pair of text.split(',')) {
    const i = pair.lastIndexOf('=');
    if (i < 1) throw new Error(`--map: "${pair}" is not Header=field`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}

export async function importCommand(
  config: Config,
  object: string,
  file: string,
  opts: {
    map?: string;
    dryRun?: boolean;
    upsert?: string;
    encoding?: string;
    delimiter?: string;
    sheet?: string;
    allowDuplicates?: boolean;
  },
) {
  const { kontor } = await boot({ config, log: quietLog(config) });
  try {
    const buf = readFileSync(resolve(file));
    const started = performance.now();
    const table = await readTable(buf, file, {
      encoding: opts.encoding,
      delimiter: opts.delimiter,
      sheet: opts.sheet,
    });
    const report = await importTable(kontor, await cliActor(kontor), object, table, {
      mapping: parseMap(opts.map),
      dryRun: opts.dryRun,
      upsertField: opts.upsert,
      allowDuplicates: opts.allowDuplicates,
    });
    const seconds = (performance.now() - started) / 1000;
    const out = process.stdout;
    out.write(
      `Columns: ${Object.entries(report.mapping)
        .map(([h, f]) => `${h} -> ${f ?? '(skipped)'}`)
        .join(', ')}\n`,
    );
    for (const w of report.warnings) out.write(`Warning: ${w}\n`);
    for (const e of report.errors) out.write(`Line ${e.line}, ${e.field}: ${e.message}\n`);
    const verb = report.dry_run ? 'Checked' : 'Imported';
    out.write(
      `${verb} ${report.rows} rows in ${seconds.toFixed(1)} s: ${report.created} created, ${report.updated} updated, ${report.failed} failed${report.dry_run ? ' (dry run: nothing written)' : ''}.\n`,
    );
    if (report.failed) process.exitCode = 2;
  } catch (err) {
    if (err instanceof AppError) {
      throw new Error(
        `${err.message}${err.errors.map((e) => `\n  ${e.path}: ${e.message}`).join('')}`,
      );
    }
    throw err;
  } finally {
    await kontor.database.close();
  }
}

export function printDemoReport(r: DemoReport) {
  const out = process.stdout;
  out.write(
    `Imported Northwind: ${r.companies} companies, ${r.contacts} contacts, ${r.users} users, ${r.categories} categories, ${r.products} products, ${r.deals} won deals.\n`,
  );
  if (r.processes?.length)
    out.write(`Processes ready: ${r.processes.join('; ')} (Automation in the app).\n`);
  const repairs = new Map<string, number>();
  for (const n of r.repaired)
    repairs.set(`${n.file}, ${n.column}`, (repairs.get(`${n.file}, ${n.column}`) ?? 0) + 1);
  for (const [where, count] of repairs) {
    out.write(
      `Repaired: ${where}: ${count} value${count === 1 ? '' : 's'} split by an unquoted comma, read as one.\n`,
    );
  }
  for (const n of r.not_imported) {
    out.write(
      `Not imported: ${n.file}${n.line ? ` line ${n.line}` : ''}, ${n.column}: ${n.reason}\n`,
    );
  }
}

export async function demoCommand(config: Config, dir?: string) {
  const { kontor } = await boot({ config, log: quietLog(config) });
  try {
    const report = await importNorthwind(
      kontor,
      await cliActor(kontor),
      dir ? resolve(dir) : DEFAULT_NORTHWIND_DIR,
    );
    printDemoReport(report);
  } catch (err) {
    if (err instanceof AppError) throw new Error(err.message);
    throw err;
  } finally {
    await kontor.database.close();
  }
}

export async function importNorthwindIfEmpty(kontor: Kontor) {
  if (await northwindImported(kontor)) return;
  const any = await kontor.database.db
    .selectFrom('companies')
    .select('id')
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (any) {
    kontor.log.warn('--demo: the database already has companies, so Northwind was not imported');
    return;
  }
  printDemoReport(await importNorthwind(kontor, await cliActor(kontor), DEFAULT_NORTHWIND_DIR));
}
