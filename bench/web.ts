/**
 * The web app as a person meets it, on a database with 1,000,000 contacts: the size of what the
 * first screen downloads, then, in Debian's Chromium against a real `kontor serve` on 127.0.0.1,
 * the time until the contacts table is usable, the first page's API latency as the browser sees
 * it, and frame times while scrolling continuously through the table (fetching several cursor
 * pages); the same on the deals board. Next to them, the same first page as a direct query.
 *
 *   npm run bench:web                                  # SQLite, cached database, 5 runs
 *   npm run bench:web -- --dialect postgres            # PostgreSQL schema bench_web_1m
 *   options: --data-dir DIR (SQLite; default <tmp>/kontor-bench-web-1m) --schema NAME
 *            --database-url URL --runs 5 --scroll-seconds 10 --scroll-speed 2400 (px/s)
 *            --quiet-ms 1000 --no-board --no-build --regenerate --scale 1
 *            --server-log-level info --json FILE
 *
 * A database that already holds the expected number of contacts is reused as it is; otherwise
 * bench/generate.ts fills it first (about 2½ minutes on SQLite, 4 on PostgreSQL).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { recordColumns } from '../server/src/core/records/read';
import { boolArg, intArg, numArg, parseArgs } from './lib/args';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  bootTarget,
  codeVersion,
  countRows,
  describe,
  postgresReachable,
  REPO_ROOT,
  targetFromArgs,
  type Target,
} from './lib/db';
import { startServer, type ServerProcess } from './lib/server';
import { int, ms, now, summarize, table, writeJson, type Summary } from './lib/stats';

const CHROMIUM = '/usr/bin/chromium';
const DIST = join(REPO_ROOT, 'web', 'dist');

// ---------------------------------------------------------------------------------------------
// The first screen's download

export interface Asset {
  file: string;
  kind: 'js' | 'css';
  bytes: number;
  gzip: number;
}

/** The scripts and style sheets web/dist/index.html references, raw and gzipped (level 9). */
export function entryAssets(): Asset[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) refs.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const rel = /\brel="([^"]+)"/.exec(m[0])?.[1];
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
    if (href && (rel === 'stylesheet' || rel === 'modulepreload')) refs.add(href);
  }
  return [...refs].map(assetOf).filter((a): a is Asset => a !== null);
}

/** A built file by its URL path (/assets/x.js), or null when it is not in web/dist. */
function assetOf(urlPath: string): Asset | null {
  const file = join(DIST, decodeURIComponent(urlPath.replace(/^\//, '').split(/[?#]/)[0]));
  if (!file.startsWith(DIST) || !existsSync(file)) return null;
  const body = readFileSync(file);
  return {
    file: urlPath,
    kind: file.endsWith('.css') ? 'css' : 'js',
    bytes: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
  };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

// ---------------------------------------------------------------------------------------------
// What runs inside the page

/**
 * Installed before the app's own scripts on every navigation: long tasks are collected, and a
 * requestAnimationFrame loop notes the first frame in which the screen's content is in the DOM
 * ("ready": data rows of a table, or cards of a board) and the first in which nothing on it is
 * still loading ("complete": no loader and no relation cell still showing "…").
 * window.__kb.scroll() then scrolls an element at a steady speed and records frame deltas.
 */
const IN_PAGE = String.raw`
(() => {
  const kb = (window.__kb = { longTasks: [], readyAt: null, completeAt: null, fcp: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) kb.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') kb.fcp = e.startTime;
    }).observe({ type: 'paint', buffered: true });
  } catch (e) {
    kb.observerError = String(e);
  }
  const dataRows = () =>
    document.querySelectorAll('[role="table"] [role="row"]:has([role="cell"]), [role="grid"] [role="row"]:has([role="gridcell"])');
  const cards = () => document.querySelectorAll('[role="list"] [role="listitem"]');
  kb.content = () => (location.pathname.startsWith('/board/') ? cards() : dataRows());
  const loading = () =>
    document.querySelector('[aria-label="Loading"], .mantine-Loader-root') !== null ||
    [...document.querySelectorAll('[role="cell"], [role="gridcell"]')].some((c) => c.textContent === '…');
  const watch = (ts) => {
    if (kb.readyAt === null && kb.content().length > 0) kb.readyAt = ts;
    if (kb.readyAt !== null && kb.completeAt === null && !loading()) kb.completeAt = ts;
    if (kb.completeAt === null) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);

  /** The element that scrolls the screen's content on an axis: the nearest scrolling ancestor. */
  kb.scroller = (axis) => {
    const first = kb.content()[0];
    for (let el = first && first.parentElement; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      const over = axis === 'x' ? style.overflowX : style.overflowY;
      const room = axis === 'x' ? el.scrollWidth > el.clientWidth : el.scrollHeight > el.clientHeight;
      if (room && (over === 'auto' || over === 'scroll')) return el;
    }
    return document.scrollingElement;
  };

  /** rAF deltas over ms milliseconds, optionally moving a scroller by speed px/s every frame. */
  kb.frames = (opts) =>
    new Promise((done) => {
      const el = opts.speed ? kb.scroller(opts.axis) : null;
      const prop = opts.axis === 'x' ? 'scrollLeft' : 'scrollTop';
      const deltas = [];
      let last = null;
      let pos = el ? el[prop] : 0;
      let stalled = 0;
      const t0 = performance.now();
      const step = (ts) => {
        if (last !== null) deltas.push(ts - last);
        if (el) {
          pos += (opts.speed * Math.min(last === null ? 16.7 : ts - last, 100)) / 1000;
          el[prop] = pos;
          // At the end of what is loaded: the scroll waits for the next page.
          if (el[prop] < pos - 2) {
            stalled++;
            pos = el[prop];
          }
        }
        last = ts;
        if (ts - t0 < opts.ms) requestAnimationFrame(step);
        else
          done({
            start: t0,
            end: performance.now(),
            deltas,
            stalled,
            distance: el ? el[prop] : 0,
            extent: el ? (opts.axis === 'x' ? el.scrollWidth : el.scrollHeight) : 0,
            rowHeight: kb.content()[0] ? kb.content()[0].getBoundingClientRect().height : 0,
          });
      };
      requestAnimationFrame(step);
    });
})();
`;

interface FrameRun {
  start: number;
  end: number;
  deltas: number[];
  stalled: number;
  distance: number;
  extent: number;
  rowHeight: number;
}

interface Resource {
  name: string;
  startTime: number;
  requestStart: number;
  responseStart: number;
  responseEnd: number;
  initiatorType: string;
  transferSize: number;
  decodedBodySize: number;
}

export interface FrameStats {
  frames: number;
  median: number;
  p95: number;
  p99: number;
  /** Share of frames longer than 16.7 ms (a missed 60 Hz frame), and than 50 ms. */
  over16: number;
  over50: number;
  longTasks: number;
  longTaskMs: number;
}

function frameStats(run: FrameRun, longTasks: { start: number; duration: number }[]): FrameStats {
  const s = [...run.deltas].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  const inside = longTasks.filter((t) => t.start >= run.start && t.start < run.end);
  return {
    frames: s.length,
    median: summarize(s).median,
    p95: at(0.95),
    p99: at(0.99),
    // 16.7 ms plus a little slack: a 60 Hz frame's delta jitters around 16.67 ms.
    over16: s.filter((d) => d > 17.5).length / Math.max(1, s.length),
    over50: s.filter((d) => d > 50).length / Math.max(1, s.length),
    longTasks: inside.length,
    longTaskMs: inside.reduce((a, t) => a + t.duration, 0),
  };
}

export interface ScreenRun {
  /** Navigation start → first frame with content in the DOM. */
  readyMs: number;
  /** Navigation start → nothing on the screen still loading (relation names filled in). */
  completeMs: number | null;
  /** max(ready, end of the last long task before the first quiet window). */
  interactiveMs: number;
  fcpMs: number | null;
  /** The first page's request as the browser sees it: start → last byte. */
  apiMs: number;
  apiTtfbMs: number;
  apiRequests: number;
  /** The path and query of that request (on the board: the slowest of the first requests). */
  apiRequest: string;
  longTasksToInteractive: number;
  idle: FrameStats;
  scroll: FrameStats;
  /** Cursor pages the scroll fetched, frames the scroll had to wait at the end of the list. */
  pagesFetched: number;
  stalledFrames: number;
  scrolledPx: number;
  rowsLoaded: number | null;
  scripts: { url: string; decoded: number; transferred: number }[];
}

interface ScreenSpec {
  name: string;
  path: string;
  /** The request whose latency is the first page's. */
  firstPage: (url: string) => boolean;
  /** Requests for further pages while scrolling. */
  nextPage: (url: string) => boolean;
  scroll: { axis: 'x' | 'y'; share: number }[];
  /** What "interactive" waits for: the first content, or nothing on the screen still loading. */
  usableAt: 'ready' | 'complete';
}

const TABLE: ScreenSpec = {
  name: 'contacts table',
  path: '/o/contacts',
  // The rows' first page (the total comes by a request of its own, limit=1&count=true).
  firstPage: (u) =>
    u.includes('/api/v1/contacts?') && u.includes('limit=100') && !u.includes('cursor='),
  nextPage: (u) => u.includes('/api/v1/contacts?') && u.includes('cursor='),
  scroll: [{ axis: 'y', share: 1 }],
  // Rows are usable before the relation column's names arrive.
  usableAt: 'ready',
};

const BOARD: ScreenSpec = {
  name: 'deals board',
  path: '/board/deals',
  // The slowest of the columns' first pages and the totals: the board is whole only then.
  firstPage: (u) =>
    (u.includes('/api/v1/deals?') && !u.includes('cursor=')) ||
    u.includes('/api/v1/deals/aggregate?'),
  nextPage: (u) => u.includes('/api/v1/deals?') && u.includes('cursor='),
  // Across the columns, then down the page.
  scroll: [
    { axis: 'x', share: 0.4 },
    { axis: 'y', share: 0.6 },
  ],
  // A board with some columns still loading is not one to work with yet.
  usableAt: 'complete',
};

interface RunOptions {
  quietMs: number;
  scrollMs: number;
  speed: number;
  idleMs: number;
}

async function measureScreen(
  context: BrowserContext,
  base: string,
  spec: ScreenSpec,
  o: RunOptions,
): Promise<ScreenRun> {
  const page: Page = await context.newPage();
  try {
    await page.addInitScript(IN_PAGE);
    await page.goto(`${base}${spec.path}`, { waitUntil: 'commit' });

    // Interactive: content is shown, and then no long task begins for quietMs.
    const deadline = now() + 120_000;
    let interactiveMs = NaN;
    for (;;) {
      const state = (await page.evaluate(
        `({ t: performance.now(), readyAt: __kb.${spec.usableAt === 'ready' ? 'readyAt' : 'completeAt'}, longTasks: __kb.longTasks })`,
      )) as { t: number; readyAt: number | null; longTasks: { start: number; duration: number }[] };
      if (state.readyAt !== null) {
        const after = state.longTasks.filter((x) => x.start + x.duration > state.readyAt!);
        const lastEnd = after.reduce((m, x) => Math.max(m, x.start + x.duration), state.readyAt);
        if (state.t - lastEnd >= o.quietMs) {
          interactiveMs = lastEnd;
          break;
        }
      }
      if (now() > deadline) throw new Error(`${spec.path} showed no content within 120 s`);
      await page.waitForTimeout(100);
    }
    await page
      .waitForFunction('window.__kb.completeAt !== null', undefined, { timeout: 30_000 })
      .catch(() => undefined);

    const idle = (await page.evaluate(`__kb.frames({ ms: ${o.idleMs} })`)) as FrameRun;
    const runs: FrameRun[] = [];
    for (const part of spec.scroll) {
      runs.push(
        (await page.evaluate(
          `__kb.frames({ ms: ${Math.round(o.scrollMs * part.share)}, speed: ${o.speed}, axis: '${part.axis}' })`,
        )) as FrameRun,
      );
    }
    const kb = (await page.evaluate(
      `({ readyAt: __kb.readyAt, completeAt: __kb.completeAt, fcp: __kb.fcp, longTasks: __kb.longTasks,
          resources: performance.getEntriesByType('resource').map((e) => e.toJSON()) })`,
    )) as {
      readyAt: number;
      completeAt: number | null;
      fcp: number | null;
      longTasks: { start: number; duration: number }[];
      resources: Resource[];
    };

    const first = kb.resources.filter(
      (r) => spec.firstPage(r.name) && r.startTime < (kb.completeAt ?? kb.readyAt),
    );
    if (!first.length) throw new Error(`no first-page request seen on ${spec.path}`);
    const slowest = first.reduce((a, b) =>
      b.responseEnd - b.startTime > a.responseEnd - a.startTime ? b : a,
    );
    const scroll: FrameRun = {
      start: runs[0].start,
      end: runs[runs.length - 1].end,
      deltas: runs.flatMap((r) => r.deltas),
      stalled: runs.reduce((a, r) => a + r.stalled, 0),
      distance: runs.reduce((a, r) => a + r.distance, 0),
      extent: runs[runs.length - 1].extent,
      rowHeight: runs[0].rowHeight,
    };
    const vertical = runs[runs.length - 1];
    return {
      readyMs: kb.readyAt,
      completeMs: kb.completeAt,
      interactiveMs,
      fcpMs: kb.fcp,
      apiMs: slowest.responseEnd - slowest.startTime,
      apiTtfbMs: slowest.responseStart - slowest.requestStart,
      apiRequests: first.length,
      apiRequest: decodeURIComponent(new URL(slowest.name).pathname + new URL(slowest.name).search),
      longTasksToInteractive: kb.longTasks.filter((t) => t.start < interactiveMs).length,
      idle: frameStats(idle, kb.longTasks),
      scroll: frameStats(scroll, kb.longTasks),
      pagesFetched: kb.resources.filter(
        (r) => spec.nextPage(r.name) && r.startTime >= scroll.start && r.startTime < scroll.end,
      ).length,
      stalledFrames: scroll.stalled,
      scrolledPx: scroll.distance,
      rowsLoaded:
        spec === TABLE && vertical.rowHeight > 0
          ? Math.round(vertical.extent / vertical.rowHeight)
          : null,
      scripts: kb.resources
        .filter((r) => r.initiatorType === 'script' || /\.js(\?|$)/.test(r.name))
        .filter((r) => r.startTime < interactiveMs)
        .map((r) => ({
          url: new URL(r.name).pathname,
          decoded: r.decodedBodySize,
          transferred: r.transferSize,
        })),
    };
  } finally {
    await page.close();
  }
}

/** Signs the benchmark administrator in once; runs reuse the session cookie in a fresh context. */
async function signIn(browser: Browser, base: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.locator('input[type=password]').fill(ADMIN_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.getByRole('navigation').first().waitFor({ timeout: 60_000 });
  const state = await context.storageState();
  await context.close();
  return state;
}

// ---------------------------------------------------------------------------------------------
// The same first page as a direct query

async function directFirstPage(target: Target, samples: number) {
  const k = await bootTarget(target);
  try {
    const contacts = k.meta.get('contacts');
    const pg = k.database.dialect === 'postgres';
    const db = k.database.db;
    const desc = (col: string) =>
      pg ? sql`${sql.ref(col)} desc nulls last` : sql`${sql.ref(col)} desc`;
    // What the table asks for first: limit=100 (one more row tells whether there is a next
    // page) in the default order -created_at; the count comes by a request of its own.
    const page = () =>
      db
        .selectFrom('contacts')
        .select(recordColumns(contacts, k.database.dialect))
        .where('deleted_at', 'is', null)
        .orderBy(sql.join([desc('created_at'), desc('id')]))
        .limit(101)
        .execute();
    const count = () =>
      db
        .selectFrom('contacts')
        .select(sql<number>`count(*)`.as('n'))
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow();
    const time = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 5; i++) await fn();
      const out: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t0 = now();
        await fn();
        out.push(now() - t0);
      }
      return summarize(out);
    };
    const both = await time(async () => {
      await page();
      await count();
    });
    return { page: await time(page), count: await time(count), both };
  } finally {
    await k.database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Data

/** Reuses a database holding the expected contacts; otherwise runs bench/generate.ts into it. */
async function ensureData(target: Target, sizes: Record<string, number>, regenerate: boolean) {
  const k = await bootTarget(target);
  let have: number;
  try {
    have = await countRows(k, 'contacts');
  } finally {
    await k.database.close();
  }
  // api.ts adds a few hundred "Berta Benchmark" contacts a run: a little more is still the set.
  if (!regenerate && have >= sizes.contacts && have < sizes.contacts * 1.01) {
    process.stdout.write(`Reusing ${describe(target)}: ${int(have)} contacts.\n`);
    return null;
  }
  process.stdout.write(
    `Generating ${int(sizes.contacts)} contacts into ${describe(target)} (it held ${int(have)}); ` +
      `at full size this takes about 2½ minutes on SQLite, 4 on PostgreSQL …\n`,
  );
  const where =
    target.dialect === 'sqlite'
      ? ['--dialect', 'sqlite', '--data-dir', target.dataDir]
      : ['--dialect', 'postgres', '--database-url', target.databaseUrl, '--schema', target.schema!];
  const t0 = now();
  const code = await new Promise<number | null>((res) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join('bench', 'generate.ts'),
        ...where,
        '--reset',
        ...Object.entries(sizes).flatMap(([k, v]) => [`--${k}`, String(v)]),
      ],
      { cwd: REPO_ROOT, stdio: 'inherit' },
    );
    child.once('exit', res);
  });
  if (code !== 0) throw new Error(`bench/generate.ts exited with ${code}`);
  const seconds = (now() - t0) / 1000;
  process.stdout.write(`Generated in ${seconds.toFixed(0)} s.\n`);
  return seconds;
}

// ---------------------------------------------------------------------------------------------

export interface WebBenchResult {
  code: string;
  dialect: string;
  contacts: number;
  generatedSeconds: number | null;
  entry: Asset[];
  runs: number;
  screens: { name: string; path: string; runs: ScreenRun[] }[];
  direct: { page: Summary; count: Summary; both: Summary };
  chromium: string;
}

const median = (xs: (number | null)[]) =>
  summarize(xs.filter((x): x is number => x !== null && Number.isFinite(x))).median;
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');

function printScreen(name: string, runs: ScreenRun[], direct?: Summary) {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const metric = (label: string, pick: (r: ScreenRun) => number | null, fmt = ms) => [
    label,
    ...runs.map((r) => fmt(pick(r) ?? NaN)),
    fmt(median(runs.map(pick))),
  ];
  out(`\n${name} (${runs.length} runs; times in ms from navigation start; last column: median)`);
  const count = (v: number) => (Number.isFinite(v) ? int(v) : '—');
  out(
    table(
      ['', ...runs.map((_, i) => `run ${i + 1}`), 'median'],
      [
        metric('first contentful paint', (r) => r.fcpMs),
        metric('content shown', (r) => r.readyMs),
        metric('nothing loading', (r) => r.completeMs),
        metric('interactive', (r) => r.interactiveMs),
        metric('long tasks until interactive', (r) => r.longTasksToInteractive, count),
        metric('first page API, start→end', (r) => r.apiMs),
        metric('first page API, TTFB', (r) => r.apiTtfbMs),
        metric('idle frame median', (r) => r.idle.median),
        metric('scroll frame median', (r) => r.scroll.median),
        metric('scroll frame p95', (r) => r.scroll.p95),
        metric('scroll frame p99', (r) => r.scroll.p99),
        metric('frames > 16.7 ms', (r) => r.scroll.over16, pct),
        metric('frames > 50 ms', (r) => r.scroll.over50, pct),
        metric('long tasks while scrolling', (r) => r.scroll.longTasks, count),
        metric('long task time while scrolling', (r) => r.scroll.longTaskMs),
        metric('frames counted', (r) => r.scroll.frames, count),
        metric('pages fetched while scrolling', (r) => r.pagesFetched, count),
        metric('px scrolled', (r) => r.scrolledPx, count),
        ...(runs[0].rowsLoaded !== null
          ? [
              metric('frames waiting for a page', (r) => r.stalledFrames, count),
              metric('rows loaded at the end', (r) => r.rowsLoaded, count),
            ]
          : []),
      ],
    ),
  );
  const slow = new Map<string, number>();
  for (const r of runs) slow.set(r.apiRequest.replace(/=[0-9a-f-]{36}/g, '=…'), 0);
  out(
    `First-page request${slow.size > 1 ? 's (the slowest in each run)' : ''}: ${[...slow.keys()].join(' | ')}`,
  );
  if (direct) {
    const api = median(runs.map((r) => r.apiMs));
    out(
      `First page in the browser ${ms(api)} ms vs the direct query ${ms(direct.median)} ms: ${(api / direct.median).toFixed(1)}x`,
    );
  }
}

async function main() {
  const args = parseArgs();
  const dialect = args.get('dialect') ?? 'sqlite';
  if (dialect === 'sqlite' && !args.has('data-dir'))
    args.set('data-dir', join(tmpdir(), 'kontor-bench-web-1m'));
  if (dialect === 'postgres' && !args.has('schema')) args.set('schema', 'bench_web_1m');
  const target = targetFromArgs(args);
  const scale = numArg(args, 'scale', 1);
  const sizes = {
    contacts: Math.round(1_000_000 * scale),
    companies: Math.round(100_000 * scale),
    deals: Math.round(200_000 * scale),
  };
  const runs = intArg(args, 'runs', 5);
  const o: RunOptions = {
    quietMs: intArg(args, 'quiet-ms', 1000),
    scrollMs: intArg(args, 'scroll-seconds', 10) * 1000,
    speed: intArg(args, 'scroll-speed', 2400),
    idleMs: 2000,
  };
  if (!existsSync(CHROMIUM)) throw new Error(`Debian's chromium is needed at ${CHROMIUM}`);
  if (target.dialect === 'postgres' && !(await postgresReachable(target.databaseUrl)))
    throw new Error(`PostgreSQL at ${target.databaseUrl} is not reachable`);
  const code = codeVersion();
  process.stdout.write(`Web benchmark on ${describe(target)}; code ${code}\n`);

  // 1. The production build, and what its first screen loads.
  if (!boolArg(args, 'no-build')) {
    process.stdout.write('Building the web app (npm run build:web) …\n');
    const b = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: REPO_ROOT });
    if (b.status !== 0) throw new Error(`npm run build:web failed:\n${b.stderr}`);
  } else if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error('web/dist/index.html is missing: run npm run build:web first');
  }
  const entry = entryAssets();
  const sum = (kind: string, key: 'bytes' | 'gzip') =>
    entry.filter((a) => a.kind === kind).reduce((s, a) => s + a[key], 0);
  process.stdout.write(`\nFirst screen (web/dist/index.html):\n`);
  process.stdout.write(
    `${table(
      ['file', 'raw', 'gzip -9'],
      [
        ...entry.map((a) => [a.file, kib(a.bytes), kib(a.gzip)]),
        ['JavaScript', kib(sum('js', 'bytes')), kib(sum('js', 'gzip'))],
        ['CSS', kib(sum('css', 'bytes')), kib(sum('css', 'gzip'))],
      ],
    )}\n`,
  );
  const jsGzip = sum('js', 'gzip');
  process.stdout.write(
    `JavaScript gzip ${kib(jsGzip)}: ${jsGzip <= 400 * 1024 ? 'within' : 'OVER'} the 400 KiB target\n`,
  );

  // 2. The data.
  const generatedSeconds = await ensureData(target, sizes, boolArg(args, 'regenerate'));

  // 3. The server and the browser.
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const screens: WebBenchResult['screens'] = [];
  let version = '';
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    server = await startServer(target, { logLevel: args.get('server-log-level') ?? 'info' });
    process.stdout.write(
      `\nServer PID ${server.pid} at ${server.url}, ready in ${(server.startupMs / 1000).toFixed(1)} s\n`,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    version = browser.version();
    const state = await signIn(browser, server.url);
    const specs = boolArg(args, 'no-board') ? [TABLE] : [TABLE, BOARD];
    for (const spec of specs) {
      const list: ScreenRun[] = [];
      // One unmeasured visit first: the server's and the database's caches are then warm,
      // as they are for the second person who opens the screen.
      for (let i = 0; i <= runs; i++) {
        const context = await browser.newContext({
          viewport: { width: 1280, height: 800 },
          storageState: state,
        });
        try {
          const r = await measureScreen(context, server.url, spec, o);
          if (i > 0) list.push(r);
          process.stdout.write(
            `  ${spec.name} ${i === 0 ? 'warm-up' : `run ${i}`}: interactive ${ms(r.interactiveMs)} ms, API ${ms(r.apiMs)} ms, scroll p95 ${ms(r.scroll.p95)} ms\n`,
          );
        } finally {
          await context.close();
        }
      }
      screens.push({ name: spec.name, path: spec.path, runs: list });
    }
  } finally {
    await stop();
  }

  // 4. The same first page straight from the database, in this process.
  const direct = await directFirstPage(target, 30);

  const result: WebBenchResult = {
    code,
    dialect: target.dialect,
    contacts: sizes.contacts,
    generatedSeconds,
    entry,
    runs,
    screens,
    direct,
    chromium: version,
  };
  process.stdout.write(
    `\nChromium ${version}, 1280x800, --disable-gpu; scroll ${o.speed} px/s for ${o.scrollMs / 1000} s; quiet window ${o.quietMs} ms\n`,
  );
  for (const s of screens)
    printScreen(s.name, s.runs, s.path === TABLE.path ? direct.page : undefined);
  const loaded = screens[0]?.runs[0]?.scripts ?? [];
  if (loaded.length) {
    process.stdout.write(
      `\nScripts the table loaded before it was interactive: ${loaded
        .map((s) => `${s.url} (${kib(s.decoded)} decoded, ${kib(s.transferred)} over the wire)`)
        .join('; ')}\n`,
    );
  }
  process.stdout.write(
    `Direct query: page ${ms(direct.page.median)} ms (p95 ${ms(direct.page.p95)}), count ${ms(direct.count.median)} ms (p95 ${ms(direct.count.p95)}), both ${ms(direct.both.median)} ms\n`,
  );
  const json =
    args.get('json') ??
    join(
      REPO_ROOT,
      'bench',
      'out',
      `web-${target.dialect}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
  writeJson(json, result);
  process.stdout.write(`Figures in ${json}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
