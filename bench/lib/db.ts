import { cliActor } from '../../server/src/cli/data';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { boot } from '../../server/src/boot';
import { loadConfig } from '../../server/src/config';
import type { Kontor } from '../../server/src/core/kontor';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const DEFAULT_PG_URL =
  process.env.KONTOR_BENCH_DATABASE_URL ??
  process.env.KONTOR_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

export const ADMIN_EMAIL = 'admin@bench.local';
export const ADMIN_PASSWORD = 'bench-admin-password';

/** Where a benchmark's database lives: a SQLite data folder, or a PostgreSQL URL and schema. */
export interface Target {
  dialect: 'sqlite' | 'postgres';
  /** SQLite: the folder holding kontor.sqlite. */
  dataDir: string;
  /** PostgreSQL only. */
  databaseUrl: string;
  schema?: string;
}

export function describe(t: Target): string {
  return t.dialect === 'sqlite'
    ? `SQLite ${join(t.dataDir, 'kontor.sqlite')}`
    : `PostgreSQL ${t.databaseUrl.replace(/:[^:@/]*@/, ':***@')} schema ${t.schema}`;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** --dialect sqlite --data-dir DIR, or --dialect postgres [--database-url URL] --schema NAME. */
export function targetFromArgs(args: Map<string, string>, fallbackDir?: () => string): Target {
  const dialect = args.get('dialect') ?? 'sqlite';
  if (dialect !== 'sqlite' && dialect !== 'postgres')
    throw new Error('--dialect is sqlite or postgres');
  if (dialect === 'sqlite') {
    const dir = args.get('data-dir') ?? fallbackDir?.();
    if (!dir) throw new Error('--data-dir DIR is required for SQLite');
    return { dialect, dataDir: resolve(dir), databaseUrl: '' };
  }
  const schema = args.get('schema');
  if (!schema || !SCHEMA_NAME.test(schema) || schema === 'public') {
    throw new Error('--schema NAME (lower case, not public) is required for PostgreSQL');
  }
  return {
    dialect,
    // Unused on PostgreSQL, but the configuration wants a folder.
    dataDir: tmpdir(),
    databaseUrl: args.get('database-url') ?? DEFAULT_PG_URL,
    schema,
  };
}

export function tempSqliteDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `kontor-bench-${label}-`));
}

export function configFor(t: Target) {
  return loadConfig(
    {
      dataDir: t.dataDir,
      databaseUrl: t.dialect === 'postgres' ? t.databaseUrl : '',
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent',
    },
    {},
  );
}

/** Boots Kontor on the target: migrations, standard objects, the default pipeline, an admin. */
export async function bootTarget(t: Target): Promise<Kontor> {
  const { kontor } = await boot({
    config: configFor(t),
    schema: t.dialect === 'postgres' ? t.schema : undefined,
    log: pino({ level: 'silent' }),
  });
  return kontor;
}

/**
 * The PostgreSQL URL that makes a `kontor` process use the schema: the CLI has no schema option,
 * so the connection's search_path is set through the URL's `options` parameter.
 */
export function urlWithSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Environment for a `node bin/kontor.js` child process on the target. */
export function kontorEnv(t: Target, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KONTOR_CONFIG: '',
    KONTOR_DATA_DIR: t.dataDir,
    DATABASE_URL: t.dialect === 'postgres' ? urlWithSchema(t.databaseUrl, t.schema!) : '',
    KONTOR_ADMIN_EMAIL: ADMIN_EMAIL,
    KONTOR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...extra,
  };
}

export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function dropSchema(url: string, schema: string) {
  if (!SCHEMA_NAME.test(schema) || schema === 'public')
    throw new Error(`refusing to drop schema ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** The first administrator, as the command line picks it. */
export const adminActor = cliActor;

export async function countRows(k: Kontor, table: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    k.database.db,
  );
  return Number(r.rows[0].n);
}

/** The commit the figures belong to, and whether server code differs from it. */
export function codeVersion(): string {
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const head = git(['rev-parse', '--short', 'HEAD']);
    const dirty = git(['status', '--porcelain', '--', 'server', 'bin']) !== '';
    return `${head}${dirty ? ' + uncommitted server changes' : ''}`;
  } catch {
    return 'unknown (no git)';
  }
}
