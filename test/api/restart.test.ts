import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { DIALECTS, PG_URL, postgresReachable } from '../helpers';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/kontor.js');
const STEPS = 100;
const RUNS = 3;

/**
 * Real server processes on one database, killed with SIGKILL in the middle of runs: the runs must
 * finish after a restart with every step done exactly once.
 */
describe.each(DIALECTS)('a server killed in the middle of process runs, on %s', (dialect) => {
  const started: ChildProcess[] = [];
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    for (const c of cleanup) await c();
  });

  async function environment(): Promise<NodeJS.ProcessEnv | null> {
    const dir = mkdtempSync(join(tmpdir(), 'kontor-restart-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KONTOR_DATA_DIR: dir,
      KONTOR_ADMIN_EMAIL: 'admin@example.com',
      KONTOR_ADMIN_PASSWORD: 'admin-password-1',
      KONTOR_LOG_LEVEL: 'error',
      KONTOR_JOB_LEASE_SECONDS: '3',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: '',
    };
    if (dialect === 'postgres') {
      if (!(await postgresReachable())) return null;
      const name = `kontor_restart_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      cleanup.push(async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      });
      env.DATABASE_URL = PG_URL.replace(/\/[^/]*$/, `/${name}`);
    }
    return env;
  }

  function serve(env: NodeJS.ProcessEnv): Promise<{ proc: ChildProcess; url: string }> {
    const proc = spawn(process.execPath, [BIN, 'serve'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(proc);
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Kontor is running at (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve({ proc, url: m[1]! });
      });
      proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
    });
  }

  async function until<T>(
    what: string,
    fn: () => Promise<T | undefined>,
    ms = 120_000,
  ): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('every step of every run is done exactly once', { timeout: 300_000 }, async (ctx) => {
    const env = await environment();
    if (!env) return ctx.skip();
    const created = await run(process.execPath, [BIN, 'api-key', 'create', '--name', 'restart'], {
      env,
    });
    const key = created.stdout.trim().split('\n').at(-1)!;
    const a = await serve(env);
    const b = await serve(env);
    const api = async (base: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as any };
    };

    const steps = Array.from({ length: STEPS }, (_, i) => ({
      id: `s${i + 1}`,
      type: 'create_record',
      object: 'contacts',
      values: { first_name: '{{ record.name }}', last_name: `Step ${i + 1}` },
      ...(i + 1 < STEPS ? { next: `s${i + 2}` } : {}),
    }));
    const p = await api(a.url, 'POST', '/api/v1/automation/processes', {
      name: 'A hundred steps',
      enabled: true,
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Restart'",
        start: 's1',
        steps,
      },
    });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    for (let i = 0; i < RUNS; i++)
      expect(
        (await api(a.url, 'POST', '/api/v1/companies', { name: `Run ${i}`, industry: 'Restart' }))
          .status,
      ).toBe(201);

    const contacts = async (base: string) =>
      (await api(base, 'GET', '/api/v1/contacts?limit=500&fields=first_name,last_name')).body
        .data as {
        first_name: string;
        last_name: string;
      }[];
    const countContacts = async (base: string) =>
      ((await api(base, 'GET', '/api/v1/contacts?limit=500&fields=id')).body.data as unknown[])
        .length;
    // Kill one server in the middle: some steps done, not all.
    // The count is read, then the server killed at once: the other server goes on meanwhile,
    // so what matters is that the runs were under way, not finished, when it died.
    const halfway = await until('the runs to be under way', async () => {
      const n = await countContacts(b.url);
      return n >= 3 ? n : undefined;
    });
    a.proc.kill('SIGKILL');
    expect(halfway).toBeLessThan(STEPS * RUNS);
    const again = await serve(env);

    const runs = await until('every run to finish', async () => {
      const r = await api(again.url, 'GET', `/api/v1/automation/runs?process_id=${p.body.id}`);
      const data = r.body.data as { id: string; status: string }[];
      return data.length === RUNS && data.every((x) => x.status === 'done') ? data : undefined;
    });
    const all = await contacts(again.url);
    expect(all).toHaveLength(STEPS * RUNS);
    const distinct = new Set(all.map((c) => `${c.first_name}/${c.last_name}`));
    expect(distinct.size).toBe(STEPS * RUNS);
    for (const r of runs) {
      const detail = await api(again.url, 'GET', `/api/v1/automation/runs/${r.id}`);
      expect(detail.body.steps).toHaveLength(STEPS);
      expect(
        detail.body.steps.every(
          (s: { status: string; visit: number }) => s.status === 'done' && s.visit === 1,
        ),
      ).toBe(true);
    }
    for (const proc of [b.proc, again.proc]) proc.kill('SIGTERM');
  });
});
