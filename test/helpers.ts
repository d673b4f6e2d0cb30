import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import pg from 'pg';
import pino from 'pino';
import { boot } from '../server/src/boot';
import { loadConfig } from '../server/src/config';
import { SYSTEM_ACTOR } from '../server/src/core/actor';
import { createApiKey } from '../server/src/core/auth/tokens';
import { createUser } from '../server/src/core/auth/users';
import { ManualClock, type Clock } from '../server/src/core/clock';
import { inTransaction, type Kontor, type RecordContext } from '../server/src/core/kontor';
import { buildApp } from '../server/src/http/app';
import { JobWorker } from '../server/src/core/jobs/worker';
import { allJobHandlers } from '../server/src/core/jobs/handlers';
import { eventConsumers } from '../server/src/core/events/outbox';

/** Where the PostgreSQL tests run; CI always has it. */
export const PG_URL =
  process.env.KONTOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: boolean | undefined;
export async function postgresReachable(): Promise<boolean> {
  if (pgReachable !== undefined) return pgReachable;
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    pgReachable = true;
  } catch {
    if (process.env.CI)
      throw new Error(`PostgreSQL at ${PG_URL} is not reachable, and CI must test on it`);
    pgReachable = false;
  }
  return pgReachable;
}

export type DialectName = 'sqlite' | 'postgres';

/** The databases every integration test runs on: SQLite, and PostgreSQL when reachable. */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export interface TestServer {
  app: FastifyInstance;
  kontor: Kontor;
  clock: ManualClock;
  adminKey: string;
  adminId: string;
  /** Sends a request as the administrator (or with the given key). */
  call(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  keyFor(user: {
    email: string;
    name: string;
    role: string;
    team?: string;
  }): Promise<{ key: string; id: string }>;
  asSystem<T>(fn: (ctx: RecordContext) => Promise<T>): Promise<T>;
  /**
   * Runs the background work a server's worker would: hands committed events to the modules and
   * runs due jobs, until nothing is left at the clock's current time. Returns the jobs run.
   */
  drain(): Promise<number>;
  close(): Promise<void>;
}

export interface Response {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

let counter = 0;

/** A fresh Kontor on a new database: a temporary SQLite file, or a new PostgreSQL schema. */
export async function startServer(
  dialect: DialectName,
  opts: { clock?: Clock } = {},
): Promise<TestServer | null> {
  if (dialect === 'postgres' && !(await postgresReachable())) return null;
  const dir = mkdtempSync(join(tmpdir(), 'kontor-test-'));
  // Test files run in worker threads of one process: the pid and a per-module counter alone can
  // repeat in the same millisecond, so a random part keeps two files off one schema.
  const schema =
    dialect === 'postgres'
      ? `t_${process.pid}_${Date.now()}_${counter++}_${randomBytes(4).toString('hex')}`
      : undefined;
  const config = loadConfig(
    {
      dataDir: dir,
      databaseUrl: dialect === 'postgres' ? PG_URL : '',
      adminEmail: 'admin@example.com',
      adminPassword: 'admin-password-1',
      logLevel: 'silent',
    },
    {},
  );
  const clock =
    (opts.clock as ManualClock) ?? new ManualClock(new Date('2026-03-02T10:00:00.000Z'));
  const { kontor } = await boot({ config, clock, schema, log: pino({ level: 'silent' }) });
  const app = await buildApp(kontor);
  const admin = await kontor.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'admin@example.com')
    .executeTakeFirstOrThrow();
  const { key } = await createApiKey(kontor.database.db, clock, 'tests', admin.id as string);
  const worker = new JobWorker(kontor, allJobHandlers(kontor), { events: eventConsumers(kontor) });

  const callWith =
    (authKey: string | null) =>
    async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await app.inject({
        method: method as never,
        url,
        headers: {
          ...(authKey ? { authorization: `Bearer ${authKey}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        payload:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      let parsed: unknown = res.body;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    };

  return {
    app,
    kontor,
    clock,
    adminKey: key,
    adminId: admin.id as string,
    call: callWith(key),
    async keyFor(user) {
      const u = await createUser(kontor.database.db, kontor.database.dialect, clock, {
        ...user,
        password: 'user-password-1',
      });
      const k = await createApiKey(kontor.database.db, clock, `key for ${user.email}`, u.id);
      return { key: k.key, id: u.id };
    },
    asSystem: (fn) => inTransaction(kontor, SYSTEM_ACTOR, fn),
    drain: () => worker.runDue(),
    async close() {
      await app.close();
      if (schema) await kontor.database.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await kontor.database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends a request with a given API key. */
export function callAs(server: TestServer, key: string) {
  return async (method: string, url: string, body?: unknown) => {
    const res = await server.app.inject({
      method: method as never,
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.statusCode,
      body: res.body ? JSON.parse(res.body) : null,
      headers: res.headers,
    };
  };
}

/**
 * A fresh server for the tests of one describe block, started before them and closed after;
 * each test is skipped when the database is not reachable (PostgreSQL outside CI).
 */
export function serverFor(dialect: DialectName): TestServer {
  let current: TestServer | null = null;
  beforeAll(async () => {
    current = await startServer(dialect);
  });
  afterAll(async () => current?.close());
  beforeEach((ctx) => {
    if (!current) ctx.skip();
  });
  return new Proxy({} as TestServer, {
    get(_target, prop) {
      if (!current) throw new Error('the test server is not running');
      return current[prop as keyof TestServer];
    },
  });
}
