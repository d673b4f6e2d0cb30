import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';

export type DialectName = 'sqlite' | 'postgres';

// Record tables are defined at run time by metadata, so queries are typed loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;

export interface Database {
  db: Db;
  dialect: DialectName;
  /** PostgreSQL schema in use (tests isolate themselves in one); null on SQLite. */
  schema: string | null;
  /**
   * Calls back when another process announces a change on the channel (PostgreSQL
   * LISTEN/NOTIFY; SQLite serves one process, so there it never calls back).
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<void>;
  /** Announces a change to every listening process, when the surrounding transaction commits. */
  notify(db: Db, channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL only: a schema to create and use instead of `public`. */
  schema?: string;
  /** SQLite only: a file name inside dataDir, or ':memory:'. */
  sqliteFile?: string;
  poolSize?: number;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_DATE = 1082;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;

/** Values come back from PostgreSQL in the same shapes SQLite gives: numbers, ISO strings. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case PG_INT8:
        return (v: string) => Number(v);
      case PG_NUMERIC:
      case PG_DATE:
        return (v: string) => v;
      case PG_TIMESTAMP:
        return (v: string) => new Date(`${v.replace(' ', 'T')}Z`).toISOString();
      case PG_TIMESTAMPTZ:
        return (v: string) => new Date(v).toISOString();
      default:
        return pg.types.getTypeParser(oid, format ?? 'text');
    }
  },
};

/** Opens the database named by the configuration: PostgreSQL when a URL is given, else SQLite. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.schema, opts.poolSize ?? 10);
  return openSqlite(opts.dataDir, opts.sqliteFile ?? 'kontor.sqlite');
}

function openSqlite(dataDir: string, file: string): Database {
  let path = file;
  if (file !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    path = join(dataDir, file);
  }
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return {
    db,
    dialect: 'sqlite',
    schema: null,
    async listen() {},
    async notify() {},
    async close() {
      await db.destroy();
    },
  };
}

/**
 * SQLite transactions that begin IMMEDIATE: a transaction takes the write lock when it starts, so
 * another process writing to the same file (a `kontor worker`, a second server) makes it wait
 * for the busy timeout. A plain BEGIN reads first and asks for the lock at its first write, and
 * then SQLite cannot wait: the write fails at once with SQLITE_BUSY (measured in
 * bench/automation.ts: thousands of refused changes next to two workers).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

/**
 * Kysely prepares every query afresh; preparing costs more than running a small statement on
 * SQLite. Statements are kept by their SQL text (SQLite re-prepares one itself if the schema
 * changes under it), up to a bound.
 */
function withStatementCache(sqlite: SQLite.Database, max = 1000): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  // An own property in front of the prototype's method; everything else is untouched.
  sqlite.prepare = ((source: string) => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source);
    } else {
      stmt = prepare(source);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  }) as typeof sqlite.prepare;
  return sqlite;
}

async function openPostgres(
  url: string,
  schema: string | undefined,
  max: number,
): Promise<Database> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`Invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  // Channels are per schema, so that databases sharing a server do not hear each other.
  const channelName = (channel: string) => `${schema ?? 'public'}_${channel}`.slice(0, 63);
  const listeners: pg.Client[] = [];
  return {
    db,
    dialect: 'postgres',
    schema: schema ?? null,
    async listen(channel, onNotify) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      client.on('notification', (msg) => onNotify(msg.payload ?? ''));
      client.on('error', () => undefined);
      await client.query(`listen "${channelName(channel)}"`);
      listeners.push(client);
    },
    async notify(trx, channel, payload) {
      await sql`select pg_notify(${channelName(channel)}, ${payload})`.execute(trx);
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await db.destroy();
    },
  };
}
