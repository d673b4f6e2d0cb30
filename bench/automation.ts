/**
 * The automation engine under load: 100,000 open tasks and 1,000 enabled processes (most of them
 * not matching a given change, some matching with a condition), then
 *
 *   1. raw baselines in the same run: plain outbox inserts, plain job round trips (insert, claim,
 *      complete) and the engine's own updateRecord, each its own transaction, per second;
 *   2. how many record changes per second the dispatcher and the step jobs handle, with one and
 *      with two `node bin/kontor.js worker` processes: a burst drained from a standing start, then
 *      steady rates around that figure, watching the backlog (unhandled outbox events plus due
 *      jobs) stay bounded;
 *   3. the delay from a change (the outbox event's `at`) to its run's first step, at a moderate
 *      load with one worker polling as in production (every 1 s when idle);
 *   4. timer precision: a wait step until an instant a few seconds ahead, how late it resumes.
 *
 *   npx tsx bench/automation.ts                         # SQLite and PostgreSQL
 *   npx tsx bench/automation.ts --db sqlite             # one of them
 *   options: --db sqlite|postgres (or --dialects sqlite,postgres) --tasks 100000 --processes 1000
 *            --burst 1500 --steady-seconds 15 --delay-seconds 25 --timers 40
 *            --database-url URL --keep --json FILE
 *
 * The data goes to a new temporary folder or a new schema bench_auto_<pid>, removed at the end
 * (also on Ctrl-C) unless --keep. Every worker process is started and stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Actor } from '../server/src/core/actor';
import { newId } from '../server/src/core/ids';
import { inTransaction, type Kontor, type RecordContext } from '../server/src/core/kontor';
import { createRecord, updateRecord } from '../server/src/core/records/write';
import { searchBody } from '../server/src/core/search/search-index';
import { automationActions } from '../server/src/modules/automation/actions';
import type { Definition } from '../server/src/modules/automation/definition';
import { saveProcess } from '../server/src/modules/automation/store';
import { validateDefinition } from '../server/src/modules/automation/validate';
import { idMaker, iso, loadObject } from './generate';
import { boolArg, intArg, parseArgs } from './lib/args';
import {
  adminActor,
  bootTarget,
  codeVersion,
  DEFAULT_PG_URL,
  describe,
  dropSchema,
  kontorEnv,
  postgresReachable,
  REPO_ROOT,
  tempSqliteDir,
  type Target,
} from './lib/db';
import { int, ms, now, summarize, table, writeJson, type Summary } from './lib/stats';

type Dialect = 'sqlite' | 'postgres';

export interface SteadyCell {
  workers: number;
  target: number;
  achieved: number;
  seconds: number;
  maxBacklog: number;
  endBacklog: number;
  drainSeconds: number;
  verdict: 'kept up' | 'fell behind' | 'rate not reached';
}

export interface AutomationBenchResult {
  code: string;
  dialect: Dialect;
  setup: { tasksSeconds: number; tasksPerSecond: number; processesSeconds: number };
  processes: { total: number; candidates: number; matching: number };
  raw: { outboxPerSecond: number; jobsPerSecond: number; updatesPerSecond: number };
  capacity: {
    workers: number;
    events: number;
    seconds: number;
    perSecond: number;
    runs: number;
    jobs: number;
  }[];
  steady: SteadyCell[];
  sustained: Record<string, number>;
  delay: {
    rate: number;
    runs: number;
    toRun: Summary;
    toFirstStep: Summary;
  } | null;
  timers: { count: number; aheadMs: number; lateness: Summary; unfired: number } | null;
  errors: {
    /** The benchmark's own changes refused with SQLITE_BUSY (then tried again). */
    changesBusy: number;
    /** Error lines the workers logged, and how many of them were SQLITE_BUSY. */
    workerLines: number;
    workerBusy: number;
    workerBootFailures: number;
    workerExits: number;
    /** Jobs that needed more than one attempt, and steps that recorded an error. */
    jobsRetried: number;
    stepErrors: number;
    failedRuns: number;
    /** The most frequent step error, if any. */
    commonError: string | null;
  };
}

const args = parseArgs();
const dialects = (args.get('db') ?? args.get('dialects') ?? 'sqlite,postgres').split(
  ',',
) as Dialect[];
const pgUrl = args.get('database-url') ?? DEFAULT_PG_URL;
const keep = boolArg(args, 'keep');
const TASKS = intArg(args, 'tasks', 100_000);
const PROCESSES = intArg(args, 'processes', 1000);
const BURST = intArg(args, 'burst', 1500);
const STEADY_SECONDS = intArg(args, 'steady-seconds', 15);
const DELAY_SECONDS = intArg(args, 'delay-seconds', 25);
const TIMERS = intArg(args, 'timers', 40);
const TIMER_AHEAD_MS = 5000;
/** Companies and deals the changes are spread over (tasks come from the 100,000). */
const SMALL_RECORDS = 300;

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (msecs: number) => new Promise((r) => setTimeout(r, msecs));
const toMs = (v: unknown) => (v instanceof Date ? v.getTime() : Date.parse(String(v)));

// ---------------------------------------------------------------------------------------------
// Worker processes

const started = new Map<number, ChildProcess>();
/**
 * Lines the workers wrote at log level error, how many of them were SQLITE_BUSY, workers that
 * exited while booting (started again), and workers that exited while being measured.
 */
const workerErrors = { lines: 0, busy: 0, bootFailures: 0, exits: 0 };
const stopping = new Set<number>();
process.once('exit', () => {
  // Last resort when the benchmark dies: never leave a worker behind.
  for (const pid of started.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function startWorker(t: Target): number {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/kontor.js'), 'worker'], {
    cwd: REPO_ROOT,
    env: kontorEnv(t, { KONTOR_LOG_LEVEL: 'error' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = child.pid!;
  started.set(pid, child);
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      workerErrors.lines++;
      if (/database is locked|SQLITE_BUSY/.test(line)) workerErrors.busy++;
      // The first few, so that an unexpected failure is seen; the rest are counted.
      if (workerErrors.lines <= 3) out(`  [worker ${pid}] ${line.slice(0, 300)}`);
    }
  });
  child.once('exit', () => {
    started.delete(pid);
    if (!stopping.has(pid)) workerErrors.exits++;
  });
  return pid;
}

/**
 * Starts workers one after another. On SQLite a worker booting while another process writes can
 * fail with "database is locked" and exit; it is counted and started again.
 */
async function startWorkers(t: Target, n: number): Promise<number[]> {
  const pids: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let attempt = 1; ; attempt++) {
      const exitsBefore = workerErrors.exits;
      const pid = startWorker(t);
      await sleep(8000);
      if (started.has(pid)) {
        pids.push(pid);
        break;
      }
      workerErrors.exits = exitsBefore;
      workerErrors.bootFailures++;
      out(`  worker ${pid} exited while booting (attempt ${attempt}); starting another`);
      if (attempt >= 5) throw new Error('the workers could not boot');
    }
  }
  return pids;
}

async function stopWorker(pid: number) {
  const child = started.get(pid);
  if (!child) return;
  stopping.add(pid);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(pid, 'SIGTERM');
  const killer = setTimeout(() => {
    if (started.has(pid)) process.kill(pid, 'SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(killer);
}

// ---------------------------------------------------------------------------------------------
// The data

interface Pools {
  companies: string[];
  deals: string[];
  tasks: string[];
}

async function loadTasks(k: Kontor, admin: string): Promise<{ seconds: number; ids: string[] }> {
  const meta = k.meta.get('tasks');
  const newTaskId = idMaker(5);
  const ids: string[] = [];
  const at = Date.now() - 86_400_000;
  const t0 = now();
  await loadObject(
    k,
    meta,
    TASKS,
    (i) => {
      const id = newTaskId(at + i);
      ids.push(id);
      const title = `Bench task ${i + 1}`;
      return {
        row: {
          id,
          created_at: iso(at + i),
          updated_at: iso(at + i),
          created_by: admin,
          updated_by: admin,
          owner_id: admin,
          deleted_at: null,
          version: 1,
          title,
          status: 'open',
          priority: 'normal',
          assignee_id: admin,
        },
        body: searchBody(meta, { title }),
      };
    },
    { txRows: 25_000, log: (line) => out(`  ${line}`) },
  );
  return { seconds: (now() - t0) / 1000, ids };
}

/** Companies and deals through createRecord, in one transaction each kind. */
async function smallRecords(
  k: Kontor,
  actor: Actor,
): Promise<{ companies: string[]; deals: string[] }> {
  const companies: string[] = [];
  const deals: string[] = [];
  await inTransaction(k, actor, async (ctx) => {
    for (let i = 0; i < SMALL_RECORDS; i++)
      companies.push(
        (await createRecord(ctx, 'companies', { name: `Bench company ${i}`, industry: 'Start' }))
          .id,
      );
  });
  await inTransaction(k, actor, async (ctx) => {
    for (let i = 0; i < SMALL_RECORDS; i++)
      deals.push(
        (
          await createRecord(ctx, 'deals', {
            name: `Bench deal ${i}`,
            company_id: companies[i],
            description: 'start',
          })
        ).id,
      );
  });
  return { companies, deals };
}

/**
 * 1,000 processes. Per object the changes touch (companies.industry, deals.description,
 * tasks.priority) two match every change, with complementary conditions, so each change starts
 * exactly one run: a note (an activity, which is itself a change the dispatcher sees) or an `if`.
 * One more waits on tasks.description (the timers). The rest are candidates that do not match
 * (other fields, stages, creation, completion, dates) or sit on other objects and kinds.
 */
function processDefinitions(
  k: Kontor,
  stageId: string | null,
): { name: string; def: Definition }[] {
  const note = (text: string) => [{ id: 'n', type: 'note', text }];
  const check = [{ id: 'c', type: 'if', condition: 'true' }];
  const defs: { name: string; def: unknown }[] = [
    {
      name: 'Retail company noted',
      def: {
        trigger: { type: 'field_changed', object: 'companies', field: 'industry' },
        condition: "record.industry == 'Retail'",
        start: 'n',
        steps: note('Now in {{ record.industry }}'),
      },
    },
    {
      name: 'Other industry checked',
      def: {
        trigger: { type: 'record_updated', object: 'companies', fields: ['industry'] },
        condition: "record.industry != 'Retail'",
        start: 'c',
        steps: check,
      },
    },
    {
      name: 'Hot deal noted',
      def: {
        trigger: { type: 'field_changed', object: 'deals', field: 'description' },
        condition: "contains(lower(record.description), 'hot')",
        start: 'n',
        steps: note('Hot: {{ record.name }}'),
      },
    },
    {
      name: 'Cold deal checked',
      def: {
        trigger: { type: 'record_updated', object: 'deals', fields: ['description'] },
        condition: "not contains(lower(record.description), 'hot')",
        start: 'c',
        steps: check,
      },
    },
    {
      name: 'Urgent task noted',
      def: {
        trigger: { type: 'field_changed', object: 'tasks', field: 'priority' },
        condition: "record.priority == 'high'",
        start: 'n',
        steps: note('Urgent: {{ record.title }}'),
      },
    },
    {
      name: 'Task priority checked',
      def: {
        trigger: { type: 'record_updated', object: 'tasks', fields: ['priority'] },
        condition: "record.priority != 'high'",
        start: 'c',
        steps: check,
      },
    },
    {
      name: 'Timer',
      def: {
        trigger: { type: 'field_changed', object: 'tasks', field: 'description' },
        start: 'w',
        steps: [
          { id: 'w', type: 'wait', until: 'trigger.new.description', next: 'c' },
          { id: 'c', type: 'if', condition: 'true' },
        ],
      },
    },
  ];
  const matching = defs.length;
  // Candidates that never match these changes.
  const unmatched: ((i: number) => unknown)[] = [
    (i) => ({
      trigger: { type: 'field_changed', object: 'companies', field: 'website' },
      condition: `record.name != 'x${i}'`,
    }),
    () => ({
      trigger: { type: 'field_changed', object: 'companies', field: 'industry', to: 'Mining' },
    }),
    () => ({ trigger: { type: 'record_created', object: 'companies' } }),
    () => ({
      trigger: { type: 'record_updated', object: 'companies', fields: ['phone', 'email'] },
    }),
    () => ({ trigger: { type: 'field_changed', object: 'deals', field: 'status', to: 'won' } }),
    () =>
      stageId
        ? { trigger: { type: 'stage_entered', object: 'deals', stage_id: stageId } }
        : { trigger: { type: 'record_created', object: 'deals' } },
    () => ({
      trigger: { type: 'record_updated', object: 'deals', fields: ['expected_close_date'] },
    }),
    () => ({ trigger: { type: 'task_completed' } }),
    () => ({ trigger: { type: 'field_changed', object: 'tasks', field: 'status', to: 'done' } }),
    () => ({ trigger: { type: 'record_created', object: 'tasks' } }),
    () => ({ trigger: { type: 'date_reached', object: 'tasks', field: 'due_date' } }),
    () => ({ trigger: { type: 'record_updated', object: 'activities', fields: ['subject'] } }),
  ];
  // Not candidates at all for these changes: other objects (and a few module events).
  const elsewhere: ((i: number) => unknown)[] = [
    () => ({ trigger: { type: 'record_created', object: 'contacts' } }),
    () => ({ trigger: { type: 'field_changed', object: 'contacts', field: 'email' } }),
    () => ({ trigger: { type: 'record_updated', object: 'leads', fields: ['status'] } }),
  ];
  const others = PROCESSES - matching;
  const events = Math.min(5, others);
  for (let i = 0; i < others; i++) {
    let body: unknown;
    if (i < events) body = { trigger: { type: 'event', event: 'sla_timers.breached' } };
    else if (i % 5 < 3) body = unmatched[i % unmatched.length](i);
    else body = elsewhere[i % elsewhere.length](i);
    defs.push({
      name: `Bench process ${i}`,
      def: { ...(body as object), start: 'c', steps: check },
    });
  }
  return defs.map(({ name, def }) => {
    const v = validateDefinition(k.meta, def, automationActions(k));
    if (!v.definition)
      throw new Error(`process "${name}" does not validate: ${JSON.stringify(v.errors)}`);
    return { name, def: v.definition };
  });
}

// ---------------------------------------------------------------------------------------------
// Changes

/** Makes record changes: companies 40 %, deals 30 %, tasks 30 %; every one changes its field. */
class Changer {
  private n = 0;
  private readonly priorities = new Map<string, number>();
  constructor(
    private readonly k: Kontor,
    private readonly actor: Actor,
    private readonly pools: Pools,
  ) {}

  private pick(list: string[]) {
    return list[Math.floor(Math.random() * list.length)];
  }

  async one(ctx: RecordContext) {
    const n = ++this.n;
    const r = n % 10;
    if (r < 4) {
      const id = this.pick(this.pools.companies);
      await updateRecord(ctx, 'companies', id, {
        industry: n % 2 ? 'Retail' : `Industry ${n}`,
      });
    } else if (r < 7) {
      const id = this.pick(this.pools.deals);
      await updateRecord(ctx, 'deals', id, { description: `${n % 2 ? 'hot' : 'cold'} ${n}` });
    } else {
      const id = this.pick(this.pools.tasks);
      const p = ((this.priorities.get(id) ?? 1) + 1) % 3;
      this.priorities.set(id, p);
      await updateRecord(ctx, 'tasks', id, { priority: ['low', 'normal', 'high'][p] });
    }
  }

  /**
   * Writes refused with SQLITE_BUSY: on SQLite a transaction that reads before it writes cannot
   * wait for another process's write lock (the busy timeout does not apply to the upgrade), so it
   * fails at once; a person saving a form would see an error. Counted, then tried again.
   */
  busy = 0;

  async retrying(fn: () => Promise<unknown>) {
    for (;;) {
      try {
        await fn();
        return;
      } catch (err) {
        if (!String((err as { code?: string }).code ?? '').startsWith('SQLITE_BUSY')) throw err;
        this.busy++;
        await sleep(2);
      }
    }
  }

  /** One change in its own transaction, as a person saving a form. */
  change() {
    return this.retrying(() => inTransaction(this.k, this.actor, (ctx) => this.one(ctx)));
  }

  /** Many changes committed together (they become visible to the workers at once). */
  burst(count: number) {
    return this.retrying(() =>
      inTransaction(this.k, this.actor, async (ctx) => {
        for (let i = 0; i < count; i++) await this.one(ctx);
      }),
    );
  }
}

/** Unhandled outbox events plus jobs due now (queued or running): the work not done yet. */
async function backlog(k: Kontor): Promise<{ events: number; jobs: number; total: number }> {
  const db = k.database.db;
  const e = await sql<{ n: number }>`
    select count(*) as n from outbox_events where processed_at is null`.execute(db);
  const j = await sql<{ n: number }>`
    select count(*) as n from jobs
    where status in ('queued', 'running') and run_at <= ${new Date().toISOString()}`.execute(db);
  const events = Number(e.rows[0].n);
  const jobs = Number(j.rows[0].n);
  return { events, jobs, total: events + jobs };
}

async function waitIdle(k: Kontor, timeoutMs: number): Promise<number | null> {
  const t0 = now();
  while (now() - t0 < timeoutMs) {
    if ((await backlog(k)).total === 0) return (now() - t0) / 1000;
    await sleep(100);
  }
  return null;
}

async function count(k: Kontor, table: string, where = sql`1 = 1`): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*) as n from ${sql.table(table)} where ${where}`.execute(k.database.db);
  return Number(r.rows[0].n);
}

// ---------------------------------------------------------------------------------------------
// Raw baselines

async function rate(seconds: number, fn: () => Promise<void>): Promise<number> {
  const t0 = now();
  let n = 0;
  while (now() - t0 < seconds * 1000) {
    await fn();
    n++;
  }
  return n / ((now() - t0) / 1000);
}

async function rawBaselines(k: Kontor, changer: Changer) {
  const db = k.database.db;
  const outboxPerSecond = await rate(3, async () => {
    await db.transaction().execute(async (trx) => {
      const at = new Date().toISOString();
      await trx
        .insertInto('outbox_events')
        .values({
          id: newId(),
          at,
          type: 'bench.raw',
          object: 'bench',
          record_id: newId(),
          payload: JSON.stringify({ changes: {} }),
          processed_at: at,
        } as never)
        .execute();
    });
  });
  const jobsPerSecond = await rate(3, async () => {
    const id = newId();
    const at = new Date().toISOString();
    await db.transaction().execute((trx) =>
      trx
        .insertInto('jobs')
        .values({
          id,
          kind: 'bench.raw',
          payload: 'null',
          status: 'queued',
          run_at: at,
          attempts: 0,
          max_attempts: 1,
          unique_key: null,
          created_at: at,
          updated_at: at,
        } as never)
        .execute(),
    );
    await db.transaction().execute((trx) =>
      sql`update jobs set status = 'running', locked_by = 'bench', attempts = attempts + 1
          where id = ${id} and status = 'queued'`.execute(trx),
    );
    await db
      .transaction()
      .execute((trx) =>
        sql`update jobs set status = 'done', locked_by = null where id = ${id}`.execute(trx),
      );
  });
  await db.deleteFrom('jobs').where('kind', '=', 'bench.raw').execute();
  await db.deleteFrom('outbox_events').where('type', '=', 'bench.raw').execute();
  const updatesPerSecond = await rate(3, () => changer.change().then(() => undefined));
  // Those changes came before any process existed; nothing is to react to them.
  await db
    .updateTable('outbox_events')
    .set({ processed_at: new Date().toISOString() } as never)
    .where('processed_at', 'is', null)
    .execute();
  return { outboxPerSecond, jobsPerSecond, updatesPerSecond };
}

// ---------------------------------------------------------------------------------------------
// Measurements with workers

async function withWorkers<T>(
  k: Kontor,
  t: Target,
  changer: Changer,
  n: number,
  fn: () => Promise<T>,
): Promise<T> {
  const pids = await startWorkers(t, n);
  try {
    // Ready when one change has gone all the way through.
    await changer.change();
    if ((await waitIdle(k, 120_000)) === null) throw new Error('the workers did not start');
    const exits = workerErrors.exits;
    const r = await fn();
    if (workerErrors.exits > exits)
      out(`  NOTE: ${workerErrors.exits - exits} worker(s) exited during this measurement`);
    return r;
  } finally {
    for (const pid of pids) await stopWorker(pid);
  }
}

async function capacity(k: Kontor, changer: Changer, workers: number) {
  const runs0 = await count(k, 'automation_runs');
  const jobs0 = await count(k, 'jobs', sql`status = 'done'`);
  await changer.burst(BURST);
  const t0 = now();
  const seconds = await waitIdle(k, 600_000);
  const elapsed = seconds ?? (now() - t0) / 1000;
  const runs = (await count(k, 'automation_runs')) - runs0;
  const jobs = (await count(k, 'jobs', sql`status = 'done'`)) - jobs0;
  return { workers, events: BURST, seconds: elapsed, perSecond: BURST / elapsed, runs, jobs };
}

/** Whether the backlog grew from the middle third of the samples to the last third. */
function growing(samples: number[], target: number): boolean {
  const third = Math.floor(samples.length / 3);
  if (third === 0) return false;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const middle = mean(samples.slice(third, 2 * third));
  const last = mean(samples.slice(2 * third));
  // Slack of one second of changes: a poll's worth of sawtooth is not growth.
  return last > middle * 1.2 + target;
}

async function steady(
  k: Kontor,
  changer: Changer,
  workers: number,
  target: number,
  seconds: number,
): Promise<SteadyCell> {
  let done = 0;
  let maxBacklog = 0;
  let sampling = true;
  const samples: number[] = [];
  const sampler = (async () => {
    while (sampling) {
      const b = (await backlog(k)).total;
      samples.push(b);
      maxBacklog = Math.max(maxBacklog, b);
      await sleep(500);
    }
  })();
  const t0 = now();
  while (now() - t0 < seconds * 1000) {
    const due = Math.floor(((now() - t0) / 1000) * target);
    while (done < due && now() - t0 < seconds * 1000) {
      await changer.change();
      done++;
    }
    await sleep(5);
  }
  const elapsed = (now() - t0) / 1000;
  sampling = false;
  await sampler;
  const endBacklog = (await backlog(k)).total;
  const drain = await waitIdle(k, 300_000);
  const drainSeconds = drain ?? Infinity;
  return {
    workers,
    target,
    achieved: done / elapsed,
    seconds: elapsed,
    maxBacklog,
    endBacklog,
    drainSeconds,
    // Bounded: the backlog (events and jobs; a change makes about 2.5 of them) does not grow
    // from the middle third of the cell to the last, and what was left when the changes stopped
    // is done within 5 s, a few polls. A rate the benchmark itself could not make tells nothing.
    verdict:
      done / elapsed < target * 0.9
        ? 'rate not reached'
        : drainSeconds <= 5 && !growing(samples, target)
          ? 'kept up'
          : 'fell behind',
  };
}

async function delayAndTimers(
  k: Kontor,
  actor: Actor,
  changer: Changer,
  pools: Pools,
  ratePerSecond: number,
) {
  const since = new Date().toISOString();
  const timerTasks = pools.tasks.slice(0, TIMERS);
  let timersSet = 0;
  let done = 0;
  const t0 = now();
  const every = (DELAY_SECONDS * 1000 * 0.8) / Math.max(1, TIMERS);
  while (now() - t0 < DELAY_SECONDS * 1000) {
    const el = now() - t0;
    while (done < Math.floor((el / 1000) * ratePerSecond)) {
      await changer.change();
      done++;
    }
    if (timersSet < TIMERS && el >= timersSet * every) {
      const id = timerTasks[timersSet++];
      const until = new Date(Date.now() + TIMER_AHEAD_MS).toISOString();
      await changer.retrying(() =>
        inTransaction(k, actor, (ctx) => updateRecord(ctx, 'tasks', id, { description: until })),
      );
    }
    await sleep(5);
  }
  // Let the last timers fire (they are due TIMER_AHEAD_MS after they were set).
  await sleep(TIMER_AHEAD_MS + 3000);
  await waitIdle(k, 60_000);
  const db = k.database.db;
  const firsts = await sql<{ at: unknown; run_started: unknown; step_started: unknown }>`
    select e.at as at, r.started_at as run_started, min(s.started_at) as step_started
    from automation_runs r
    join outbox_events e on e.id = r.event_id
    join automation_run_steps s on s.run_id = r.id
    join automation_processes p on p.id = r.process_id
    where r.started_at >= ${since} and p.name <> 'Timer'
    group by r.id, e.at, r.started_at`.execute(db);
  const toRun = firsts.rows.map((r) => toMs(r.run_started) - toMs(r.at));
  const toFirstStep = firsts.rows.map((r) => toMs(r.step_started) - toMs(r.at));
  const waits = await sql<{ output: string | null; finished_at: unknown; status: string }>`
    select s.output, s.finished_at, s.status from automation_run_steps s
    join automation_runs r on r.id = s.run_id
    join automation_processes p on p.id = r.process_id
    where p.name = 'Timer' and s.step_id = 'w' and r.started_at >= ${since}`.execute(db);
  const lateness: number[] = [];
  let unfired = 0;
  for (const w of waits.rows) {
    const until = (JSON.parse(w.output ?? '{}') as { until?: string }).until;
    if (w.status !== 'done' || !until || !w.finished_at) unfired++;
    else lateness.push(toMs(w.finished_at) - Date.parse(until));
  }
  unfired += Math.max(0, timersSet - waits.rows.length);
  return {
    delay: {
      rate: ratePerSecond,
      runs: firsts.rows.length,
      toRun: summarize(toRun),
      toFirstStep: summarize(toFirstStep),
    },
    timers: { count: timersSet, aheadMs: TIMER_AHEAD_MS, lateness: summarize(lateness), unfired },
  };
}

// ---------------------------------------------------------------------------------------------

async function benchDialect(t: Target): Promise<AutomationBenchResult> {
  out(`\n=== ${t.dialect}: ${describe(t)} ===`);
  const k = await bootTarget(t);
  try {
    const actor = await adminActor(k);
    const admin = actor.userId!;
    out(`Loading ${int(TASKS)} open tasks (bulk: multi-row inserts, 25,000 rows a transaction)…`);
    const tasks = await loadTasks(k, admin);
    const small = await smallRecords(k, actor);
    const pools: Pools = { ...small, tasks: tasks.ids };
    const changer = new Changer(k, actor, pools);

    out('Raw baselines (each operation its own transaction, 3 s each)…');
    const raw = await rawBaselines(k, changer);
    out(
      `  outbox inserts ${int(raw.outboxPerSecond)}/s, job insert+claim+done ${int(raw.jobsPerSecond)}/s, updateRecord ${int(raw.updatesPerSecond)}/s`,
    );

    const stage = (await k.database.db
      .selectFrom('stages')
      .select('id')
      .where('deleted_at', 'is', null)
      .limit(1)
      .executeTakeFirst()) as { id: string } | undefined;
    const defs = processDefinitions(k, stage?.id ?? null);
    const p0 = now();
    await inTransaction(k, actor, async (ctx) => {
      for (const { name, def } of defs)
        await saveProcess(ctx, { name, enabled: true, definition: def });
    });
    const processesSeconds = (now() - p0) / 1000;
    // Processes react to changes made after they were saved (compared by `at`, to the ms).
    await sleep(20);
    const candidateObjects = new Set(['companies', 'deals', 'tasks', 'activities']);
    const candidates = defs.filter(
      (d) =>
        !('object' in d.def.trigger) ||
        candidateObjects.has(String(d.def.trigger.object)) ||
        ['event', 'form_submitted', 'webhook'].includes(d.def.trigger.type),
    ).length;
    out(
      `${int(defs.length)} processes saved through validateDefinition + saveProcess in ${processesSeconds.toFixed(1)} s; ${candidates} are candidates for these changes, 6 match (one run per change), 1 is the timer.`,
    );

    const result: AutomationBenchResult = {
      code: codeVersion(),
      dialect: t.dialect,
      setup: {
        tasksSeconds: tasks.seconds,
        tasksPerSecond: TASKS / tasks.seconds,
        processesSeconds,
      },
      processes: { total: defs.length, candidates, matching: 6 },
      raw,
      capacity: [],
      steady: [],
      sustained: {},
      delay: null,
      timers: null,
      errors: {
        changesBusy: 0,
        workerLines: 0,
        workerBusy: 0,
        workerBootFailures: 0,
        workerExits: 0,
        jobsRetried: 0,
        stepErrors: 0,
        failedRuns: 0,
        commonError: null,
      },
    };
    workerErrors.lines = 0;
    workerErrors.busy = 0;
    workerErrors.bootFailures = 0;
    workerErrors.exits = 0;

    for (const workers of [1, 2]) {
      out(`\n--- ${workers} worker process${workers > 1 ? 'es' : ''} ---`);
      await withWorkers(k, t, changer, workers, async () => {
        const cap = await capacity(k, changer, workers);
        result.capacity.push(cap);
        out(
          `burst of ${int(cap.events)} changes drained in ${cap.seconds.toFixed(1)} s: ${int(cap.perSecond)} changes/s (${int(cap.runs)} runs, ${int(cap.jobs)} jobs)`,
        );
        let best = 0;
        // Around the burst figure (a burst is handled 200 events a transaction, steady changes
        // in smaller batches), but no faster than this process can make changes at all.
        const ceiling = raw.updatesPerSecond * 0.9;
        const targets = [0.5, 1, 1.5, 2].map((f) =>
          Math.max(1, Math.round(Math.min(ceiling, cap.perSecond * f))),
        );
        for (const target of [...new Set(targets)]) {
          const cell = await steady(k, changer, workers, target, STEADY_SECONDS);
          result.steady.push(cell);
          out(
            `steady ${target}/s for ${cell.seconds.toFixed(0)} s: made ${cell.achieved.toFixed(1)}/s, backlog max ${cell.maxBacklog}, at the end ${cell.endBacklog}, drained in ${cell.drainSeconds.toFixed(1)} s → ${cell.verdict}`,
          );
          if (cell.verdict === 'kept up') best = Math.max(best, cell.achieved);
        }
        result.sustained[String(workers)] = best;
      });
    }

    const moderate = Math.max(1, Math.round((result.capacity[0]?.perSecond ?? 10) * 0.3));
    out(
      `\n--- delay and timers: 1 worker, ${moderate} changes/s for ${DELAY_SECONDS} s, ${TIMERS} waits ${TIMER_AHEAD_MS / 1000} s ahead ---`,
    );
    await withWorkers(k, t, changer, 1, async () => {
      const d = await delayAndTimers(k, actor, changer, pools, moderate);
      result.delay = d.delay;
      result.timers = d.timers;
    });
    result.errors = {
      changesBusy: changer.busy,
      workerLines: workerErrors.lines,
      workerBusy: workerErrors.busy,
      workerBootFailures: workerErrors.bootFailures,
      workerExits: workerErrors.exits,
      jobsRetried: await count(k, 'jobs', sql`attempts > 1`),
      stepErrors: await count(k, 'automation_run_steps', sql`error is not null`),
      failedRuns: await count(k, 'automation_runs', sql`status = 'failed'`),
      commonError:
        (
          await sql<{ error: string; n: number }>`
            select error, count(*) as n from automation_run_steps where error is not null
            group by error order by count(*) desc limit 1`.execute(k.database.db)
        ).rows.map((r) => `${String(r.error).slice(0, 160)} (${Number(r.n)}×)`)[0] ?? null,
    };
    out(
      `errors: ${result.errors.changesBusy} changes refused with SQLITE_BUSY (retried), ${result.errors.workerLines} worker error lines (${result.errors.workerBusy} SQLITE_BUSY), ${result.errors.workerBootFailures} workers failed to boot, ${result.errors.workerExits} exited while measured, ${result.errors.jobsRetried} jobs retried, ${result.errors.stepErrors} step errors, ${result.errors.failedRuns} failed runs${result.errors.commonError ? `; most common step error: ${result.errors.commonError}` : ''}`,
    );
    return result;
  } finally {
    await k.database.close();
  }
}

function report(results: AutomationBenchResult[]) {
  out(`\n=== automation summary (code ${results[0]?.code ?? codeVersion()}) ===`);
  const rows: string[][] = [];
  const line = (what: string, f: (r: AutomationBenchResult) => string) =>
    rows.push([what, ...results.map(f)]);
  line('tasks loaded (bulk), rows/s', (r) => int(r.setup.tasksPerSecond));
  line('1,000 processes saved, s', (r) => r.setup.processesSeconds.toFixed(1));
  line('raw: outbox insert tx/s', (r) => int(r.raw.outboxPerSecond));
  line('raw: job insert+claim+done/s', (r) => int(r.raw.jobsPerSecond));
  line('engine: updateRecord tx/s (no worker)', (r) => int(r.raw.updatesPerSecond));
  for (const w of [1, 2]) {
    line(`burst drain, ${w} worker(s), changes/s`, (r) => {
      const c = r.capacity.find((x) => x.workers === w);
      return c ? int(c.perSecond) : '—';
    });
    line(`steady rate kept up, ${w} worker(s), /s`, (r) =>
      r.sustained[String(w)] !== undefined ? r.sustained[String(w)].toFixed(0) : '—',
    );
  }
  line('changes/s vs raw outbox inserts (1 worker)', (r) =>
    r.capacity[0]
      ? `${((r.capacity[0].perSecond / r.raw.outboxPerSecond) * 100).toFixed(1)} %`
      : '—',
  );
  line('delay change → run, med / p95 ms', (r) =>
    r.delay ? `${ms(r.delay.toRun.median)} / ${ms(r.delay.toRun.p95)}` : '—',
  );
  line('delay change → first step, med / p95 ms', (r) =>
    r.delay ? `${ms(r.delay.toFirstStep.median)} / ${ms(r.delay.toFirstStep.p95)}` : '—',
  );
  line('  (at changes/s; runs measured)', (r) =>
    r.delay ? `${r.delay.rate}; ${r.delay.runs}` : '—',
  );
  line('timer lateness, med / p95 / max ms', (r) =>
    r.timers
      ? `${ms(r.timers.lateness.median)} / ${ms(r.timers.lateness.p95)} / ${ms(r.timers.lateness.max)}`
      : '—',
  );
  line('  (timers; not fired)', (r) => (r.timers ? `${r.timers.count}; ${r.timers.unfired}` : '—'));
  line(
    'changes refused SQLITE_BUSY / worker errors',
    (r) => `${r.errors.changesBusy} / ${r.errors.workerLines} (${r.errors.workerBusy} busy)`,
  );
  line(
    'jobs retried / step errors / failed runs',
    (r) => `${r.errors.jobsRetried} / ${r.errors.stepErrors} / ${r.errors.failedRuns}`,
  );
  out(table(['', ...results.map((r) => r.dialect)], rows, 1));
  out('\nSteady cells (changes/s asked → made; backlog max / at end; drain s):');
  for (const r of results)
    for (const c of r.steady)
      out(
        `  ${r.dialect} ${c.workers}w ${c.target} → ${c.achieved.toFixed(1)}; ${c.maxBacklog} / ${c.endBacklog}; ${c.drainSeconds.toFixed(1)} ${c.verdict}`,
      );
}

async function main() {
  out(
    `Automation benchmark, code ${codeVersion()}: ${int(TASKS)} tasks, ${int(PROCESSES)} processes, burst ${int(BURST)}, steady cells ${STEADY_SECONDS} s`,
  );
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()!();
      } catch (err) {
        out(`cleanup failed: ${(err as Error).message}`);
      }
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void (async () => {
        for (const pid of [...started.keys()]) await stopWorker(pid).catch(() => undefined);
        await cleanup();
        process.exit(130);
      })();
    });
  const results: AutomationBenchResult[] = [];
  try {
    for (const dialect of dialects) {
      let t: Target;
      if (dialect === 'sqlite') {
        const dir = tempSqliteDir('auto');
        t = { dialect, dataDir: dir, databaseUrl: '' };
        if (!keep) cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      } else if (dialect === 'postgres') {
        if (!(await postgresReachable(pgUrl))) {
          out(`PostgreSQL at ${pgUrl} is not reachable; skipped.`);
          continue;
        }
        const schema = `bench_auto_${process.pid}`;
        t = { dialect, dataDir: tempSqliteDir('auto-pg'), databaseUrl: pgUrl, schema };
        const dir = t.dataDir;
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
        if (!keep) cleanups.push(() => dropSchema(pgUrl, schema));
      } else throw new Error(`unknown database ${String(dialect)}`);
      results.push(await benchDialect(t));
      await cleanup();
    }
  } finally {
    await cleanup();
  }
  report(results);
  const json = args.get('json');
  writeJson(json, results.length === 1 ? results[0] : results);
}

await main();
