import { sql, Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database';
import * as m0001 from './migrations/0001-system-tables';
import * as m0002 from './migrations/0002-crm-tables';
import * as m0003 from './migrations/0003-job-keys';
import * as m0004 from './migrations/0004-saved-views';
import * as m0005 from './migrations/0005-stock-ledger';
import * as m0006 from './migrations/0006-stock-documents';
import * as m0007 from './migrations/0007-stock-indexes';
import * as m0008 from './migrations/0008-mail-log';
import * as m0009 from './migrations/0009-tasks';
import * as m0010 from './migrations/0010-forms';
import * as m0011 from './migrations/0011-webhooks';
import * as m0012 from './migrations/0012-sla';
import * as m0013 from './migrations/0013-automation';

type Step = { up: (db: Database['db'], dialect: Database['dialect']) => Promise<void> };

/** Versioned migrations, in order. A migration is never edited once it has shipped. */
const STEPS: Record<string, Step> = {
  '0001-system-tables': m0001,
  '0002-crm-tables': m0002,
  '0003-job-keys': m0003,
  '0004-saved-views': m0004,
  '0005-stock-ledger': m0005,
  '0006-stock-documents': m0006,
  '0007-stock-indexes': m0007,
  '0008-mail-log': m0008,
  '0009-tasks': m0009,
  '0010-forms': m0010,
  '0011-webhooks': m0011,
  '0012-sla': m0012,
  '0013-automation': m0013,
};

class CodeMigrations implements MigrationProvider {
  constructor(private readonly database: Database) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, step] of Object.entries(STEPS)) {
      out[name] = { up: (db) => step.up(db, this.database.dialect) };
    }
    return out;
  }
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  // On PostgreSQL the migration table is looked for in the schema Kontor works in: without a
  // schema, Kysely would take another schema's sys_migrations (another Kontor in the same
  // database) for this one's and never create the tables here.
  const schema =
    database.schema ??
    (database.dialect === 'postgres'
      ? ((await sql<{ s: string | null }>`select current_schema() as s`.execute(database.db))
          .rows[0]?.s ?? undefined)
      : undefined);
  const migrator = new Migrator({
    db: database.db,
    provider: new CodeMigrations(database),
    migrationTableName: 'sys_migrations',
    migrationLockTableName: 'sys_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const where = failed ? ` in ${failed.migrationName}` : '';
    throw new Error(`Migration failed${where}: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
