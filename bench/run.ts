/**
 * The whole benchmark, for SQLite and PostgreSQL: generate a database, measure the API on it,
 * time an import into a fresh one, measure the stock ledger on its own generated stock history,
 * put the automation engine under load with worker processes, then remove what was created. Each step runs as its own
 * process (so one step's memory does not weigh on the next), started and stopped by PID.
 *
 *   npm run bench
 *   npm run bench -- --dialects sqlite --scale 0.1
 *   options: --dialects sqlite,postgres  --scale 1 (1 = 1M contacts, 100k companies, 200k deals)
 *            --steps generate,api,import,stock,automation  --iterations 200  --budget 20  --import-rows 100000
 *            --database-url URL  --keep (leave the generated databases in place)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiBenchResult } from './api';
import type { GenerateResult } from './generate';
import type { ImportBenchResult } from './import';
import type { StockBenchResult } from './stock';
import type { AutomationBenchResult } from './automation';
import { boolArg, intArg, numArg, parseArgs } from './lib/args';
import { codeVersion, DEFAULT_PG_URL, dropSchema, postgresReachable, REPO_ROOT } from './lib/db';
import { int, mib, ms, table } from './lib/stats';

const args = parseArgs();
const dialects = (args.get('dialects') ?? 'sqlite,postgres').split(',');
const steps = new Set((args.get('steps') ?? 'generate,api,import,stock,automation').split(','));
const scale = numArg(args, 'scale', 1);
const pgUrl = args.get('database-url') ?? DEFAULT_PG_URL;
const keep = boolArg(args, 'keep');
const outDir = join(REPO_ROOT, 'bench', 'out', new Date().toISOString().replace(/[:.]/g, '-'));

let current: ChildProcess | null = null;
const cleanups: (() => Promise<void>)[] = [];

async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      process.stdout.write(`cleanup failed: ${(err as Error).message}\n`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (current?.pid) {
      try {
        process.kill(current.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    void cleanup().then(() => process.exit(130));
  });
}

/** Runs one step as `node --import tsx bench/<file> ...` and waits for it. */
function step(file: string, stepArgs: string[]): Promise<number | null> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', file), ...stepArgs], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
    current = child;
    child.once('exit', (code) => {
      current = null;
      resolvePromise(code);
    });
  });
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

const sizes = {
  contacts: Math.round(1_000_000 * scale),
  companies: Math.round(100_000 * scale),
  deals: Math.round(200_000 * scale),
};
const started = performance.now();
const code = codeVersion();
process.stdout.write(
  `Kontor benchmarks, code ${code}; ${int(sizes.contacts)} contacts, ${int(sizes.companies)} companies, ${int(sizes.deals)} deals; figures in ${outDir}\n`,
);

const results: Record<
  string,
  {
    generate?: GenerateResult | null;
    api?: ApiBenchResult | null;
    import?: ImportBenchResult | null;
    stock?: StockBenchResult | null;
    automation?: AutomationBenchResult | null;
    skipped?: string;
  }
> = {};

try {
  for (const dialect of dialects) {
    if (dialect !== 'sqlite' && dialect !== 'postgres')
      throw new Error(`unknown dialect ${dialect}`);
    results[dialect] = {};
    process.stdout.write(`\n=== ${dialect} ===\n`);
    if (dialect === 'postgres' && !(await postgresReachable(pgUrl))) {
      results[dialect].skipped = `PostgreSQL at ${pgUrl} is not reachable`;
      process.stdout.write(`${results[dialect].skipped}; skipped.\n`);
      continue;
    }
    let where: string[];
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'kontor-bench-'));
      where = ['--dialect', 'sqlite', '--data-dir', dir];
      if (!keep) cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      else process.stdout.write(`(the database stays in ${dir})\n`);
    } else {
      const schema = `bench_run_${process.pid}`;
      where = ['--dialect', 'postgres', '--database-url', pgUrl, '--schema', schema];
      if (!keep) cleanups.push(() => dropSchema(pgUrl, schema));
      else process.stdout.write(`(the data stays in schema ${schema})\n`);
    }
    const json = (name: string) => join(outDir, `${dialect}-${name}.json`);
    if (steps.has('generate')) {
      process.stdout.write(`\n--- generate ---\n`);
      await step('generate.ts', [
        ...where,
        '--contacts',
        String(sizes.contacts),
        '--companies',
        String(sizes.companies),
        '--deals',
        String(sizes.deals),
        '--json',
        json('generate'),
      ]);
      results[dialect].generate = readJson<GenerateResult>(json('generate'));
    }
    if (steps.has('api')) {
      process.stdout.write(`\n--- api ---\n`);
      await step('api.ts', [
        ...where,
        '--iterations',
        String(intArg(args, 'iterations', 200)),
        '--budget',
        String(intArg(args, 'budget', 20)),
        '--json',
        json('api'),
      ]);
      results[dialect].api = readJson<ApiBenchResult>(json('api'));
    }
    await cleanup();
    if (steps.has('import')) {
      process.stdout.write(`\n--- import ---\n`);
      const importArgs = [
        '--dialect',
        dialect,
        '--rows',
        String(intArg(args, 'import-rows', 100_000)),
        '--json',
        json('import'),
      ];
      if (dialect === 'postgres') importArgs.push('--database-url', pgUrl);
      await step('import.ts', importArgs);
      results[dialect].import = readJson<ImportBenchResult>(json('import'));
    }
    if (steps.has('stock')) {
      // Its own database (a temporary folder or schema bench_stock_<pid>), removed by the step.
      process.stdout.write(`\n--- stock ---\n`);
      const stockArgs = [
        '--dialects',
        dialect,
        '--scale',
        String(scale),
        '--iterations',
        String(intArg(args, 'iterations', 200)),
        '--budget',
        String(intArg(args, 'budget', 20)),
        '--json',
        json('stock'),
      ];
      if (dialect === 'postgres') stockArgs.push('--database-url', pgUrl);
      if (keep) stockArgs.push('--keep');
      await step('stock.ts', stockArgs);
      results[dialect].stock = readJson<StockBenchResult>(json('stock'));
    }
    if (steps.has('automation')) {
      // Its own database too (a temporary folder or schema bench_auto_<pid>), removed by the step.
      process.stdout.write(`\n--- automation ---\n`);
      const autoArgs = [
        '--db',
        dialect,
        '--tasks',
        String(Math.round(100_000 * scale)),
        '--json',
        json('automation'),
      ];
      if (dialect === 'postgres') autoArgs.push('--database-url', pgUrl);
      if (keep) autoArgs.push('--keep');
      await step('automation.ts', autoArgs);
      results[dialect].automation = readJson<AutomationBenchResult>(json('automation'));
    }
  }
} finally {
  await cleanup();
}

// Summary
const out = (line = '') => process.stdout.write(`${line}\n`);
const versions = new Set(
  Object.values(results).flatMap((r) =>
    [r.generate?.code, r.api?.code, r.import?.code, r.stock?.code, r.automation?.code].filter(
      (v): v is string => !!v,
    ),
  ),
);
out(`\n=== summary (${((performance.now() - started) / 60000).toFixed(1)} min) ===`);
out(
  versions.size > 1
    ? `Note: the code changed during the run; the steps ran on ${[...versions].join(', ')} (each step's first line says which).`
    : `Code: ${[...versions][0] ?? code}`,
);
const rows: string[][] = [];
const notes: string[] = [];
for (const [dialect, r] of Object.entries(results)) {
  if (r.skipped) {
    rows.push([dialect, `skipped: ${r.skipped}`, '', '', '', '', '', '']);
    continue;
  }
  if (r.generate) {
    const ins = r.generate.phases.filter((p) => p.rowsPerSecond);
    const rate =
      ins.reduce((a, p) => a + (p.rows ?? 0), 0) / ins.reduce((a, p) => a + p.seconds, 0);
    rows.push([
      dialect,
      `generate: ${r.generate.seconds.toFixed(0)} s, inserts ${int(rate)} rows/s${r.generate.bytes ? `, ${mib(r.generate.bytes)}` : ''}`,
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  for (const o of r.api?.operations ?? []) {
    rows.push([
      dialect,
      o.name,
      ms(o.http.summary.median),
      ms(o.http.summary.p95),
      ms(o.direct.summary.median),
      ms(o.direct.summary.p95),
      `${o.ratio.toFixed(1)}x`,
      `${o.http.summary.n}/${o.direct.summary.n}`,
    ]);
  }
  if (r.api?.memory.peak)
    rows.push([dialect, `server peak memory ${mib(r.api.memory.peak)}`, '', '', '', '', '', '']);
  if (r.import) {
    const failed = r.import.failed ? ` (${r.import.failed} rows FAILED: nothing imported)` : '';
    rows.push([
      dialect,
      `import ${int(r.import.rows)} contacts: ${r.import.importSeconds.toFixed(1)} s, ${int(r.import.rowsPerSecond)} rows/s${failed}`,
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  if (r.stock) {
    const s = r.stock;
    const line = (what: string) => rows.push([dialect, what, '', '', '', '', '', '']);
    line(
      `stock: ${int(s.data.products)} products, ${int(s.data.moves)} moves${s.generated ? `, generated in ${s.generated.seconds.toFixed(0)} s` : ''}`,
    );
    for (const c of s.reads) {
      const d = c.modes[c.direct];
      for (const [mode, m] of Object.entries(c.modes)) {
        if (mode === c.direct) continue;
        rows.push([
          dialect,
          `${c.name} (${mode})`,
          ms(m.summary.median),
          ms(m.summary.p95),
          ms(d.summary.median),
          ms(d.summary.p95),
          `${c.ratios[mode].median.toFixed(1)}x`,
          `${m.summary.n}/${d.summary.n}`,
        ]);
      }
    }
    if (s.verify)
      rows.push([
        dialect,
        'verifyStock (everything)',
        ms(s.verify.engine.summary.median),
        ms(s.verify.engine.summary.p95),
        ms(s.verify.direct.summary.median),
        ms(s.verify.direct.summary.p95),
        `${(s.verify.engine.summary.median / s.verify.direct.summary.median).toFixed(1)}x`,
        `${s.verify.engine.summary.n}/${s.verify.direct.summary.n}`,
      ]);
    for (const c of s.reservations)
      notes.push(
        `${dialect} reservations, ${c.name}: ${int(c.perSecond)}/s, median ${ms(c.latency.median)} ms, p95 ${ms(c.latency.p95)} ms`,
      );
    if (s.reservations.length)
      notes.push(`${dialect} after reserving: ${s.afterReservations.verdict}`);
  }
  if (r.automation) {
    const a = r.automation;
    const w = (n: number) => a.capacity.find((c) => c.workers === n);
    notes.push(
      `${dialect} automation: burst ${int(w(1)?.perSecond ?? NaN)}/s with 1 worker, ${int(w(2)?.perSecond ?? NaN)}/s with 2; steady kept up ${int(a.sustained['1'] ?? NaN)}/s and ${int(a.sustained['2'] ?? NaN)}/s; raw outbox inserts ${int(a.raw.outboxPerSecond)}/s`,
    );
    if (a.delay)
      notes.push(
        `${dialect} automation: change → first step median ${ms(a.delay.toFirstStep.median)} ms, p95 ${ms(a.delay.toFirstStep.p95)} ms at ${a.delay.rate}/s`,
      );
    if (a.timers)
      notes.push(
        `${dialect} automation: timers late by median ${ms(a.timers.lateness.median)} ms, p95 ${ms(a.timers.lateness.p95)} ms (${a.timers.unfired} of ${a.timers.count} not fired)`,
      );
  }
}
out(table(['db', 'what', 'med', 'p95', 'direct med', 'direct p95', '/direct', 'samples'], rows, 2));
out(
  '(times in ms; med and p95 are HTTP for the api rows and the way in brackets for the stock rows; samples: those/direct)',
);
if (notes.length) out(`\n${notes.join('\n')}`);
out(`\nThe full figures (engine column, query plans, memory) are above and in ${outDir}.`);
