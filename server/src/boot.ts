import pino, { type Logger } from 'pino';
import type { Config } from './config';
import { SYSTEM_ACTOR } from './core/actor';
import { oneTimePassword } from './core/auth/passwords';
import { ensureBuiltInRoles } from './core/auth/roles';
import { createUser } from './core/auth/users';
import { systemClock, type Clock } from './core/clock';
import { inTransaction, type Flow, type Kontor, type Module } from './core/kontor';
import { METADATA_CHANNEL, MetadataRegistry } from './core/metadata/registry';
import { syncStandardObjects } from './core/metadata/sync';
import type { RecordHooks } from './core/records/hooks';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { FLOWS } from './flows';
import { MODULES } from './modules';

export interface BootOptions {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** PostgreSQL schema to use (tests); SQLite file name or ':memory:' (tests). */
  schema?: string;
  sqliteFile?: string;
  modules?: Module[];
  flows?: Flow[];
}

export interface Booted {
  kontor: Kontor;
  /** Set when this start created the first administrator. */
  firstAdmin?: { email: string; password: string | null };
  migrated: string[];
}

/** Opens the database, migrates it, syncs standard objects and seeds what must exist. */
export async function boot(opts: BootOptions): Promise<Booted> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? pino({ level: config.logLevel });
  const modules = opts.modules ?? MODULES;
  const flows = opts.flows ?? (opts.modules ? [] : FLOWS);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl || undefined,
    dataDir: config.dataDir,
    schema: opts.schema,
    sqliteFile: opts.sqliteFile,
  });
  try {
    const migrated = await migrateToLatest(database);
    await database.db.transaction().execute(async (trx) => {
      await syncStandardObjects(
        trx,
        database.dialect,
        clock,
        modules.flatMap((m) => m.objects),
      );
      await ensureBuiltInRoles(trx, database.dialect, clock);
    });
    const meta = new MetadataRegistry();
    await meta.load(database.db);
    // Another process changed objects or fields: read them again.
    await database.listen(METADATA_CHANNEL, () => {
      meta
        .load(database.db)
        .catch((err: unknown) => log.error({ err }, 'could not reload metadata'));
    });

    const hooks = new Map<string, RecordHooks[]>();
    // Module rules first, then the flows' rules that join modules.
    for (const m of [...modules, ...flows]) {
      for (const [object, h] of Object.entries(m.hooks ?? {})) {
        hooks.set(object, [...(hooks.get(object) ?? []), ...(Array.isArray(h) ? h : [h])]);
      }
    }
    const kontor: Kontor = {
      database,
      meta,
      clock,
      settings: {
        phoneRegion: config.phoneRegion,
        currency: config.currency,
        publicUrl: (config.publicUrl || `http://${config.host}:${config.port}`).replace(/\/+$/, ''),
        dataDir: config.dataDir,
        smtpUrl: config.smtpUrl,
        mailFrom: config.mailFrom,
        allowPrivateTargets: config.allowPrivateTargets,
        jobLeaseSeconds: config.jobLeaseSeconds,
      },
      modules,
      flows,
      log,
      hooksFor: (object) => hooks.get(object) ?? [],
    };
    for (const m of modules) {
      if (m.seed) await inTransaction(kontor, SYSTEM_ACTOR, m.seed);
    }
    const firstAdmin = await ensureAdmin(kontor, config);
    return { kontor, firstAdmin, migrated };
  } catch (err) {
    await database.close();
    throw err;
  }
}

async function ensureAdmin(k: Kontor, config: Config) {
  const any = await k.database.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const email = config.adminEmail || 'admin@kontor.local';
  const password = config.adminPassword || oneTimePassword();
  await createUser(k.database.db, k.database.dialect, k.clock, {
    email,
    name: 'Administrator',
    password,
    role: 'Administrator',
    must_change_password: !config.adminPassword,
  });
  return { email, password: config.adminPassword ? null : password };
}
