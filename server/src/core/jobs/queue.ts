import { sql, type SqlBool } from 'kysely';
import type { Db, DialectName } from '../../db/database';
import { isoNow, type Clock } from '../clock';
import { newId } from '../ids';

export interface JobRow {
  id: string;
  kind: string;
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  unique_key: string | null;
}

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  /** At most one waiting or running job has this key; a second enqueue is skipped. */
  uniqueKey?: string;
}

/**
 * Adds a job in the caller's transaction, so it exists exactly when the change that asked for
 * it commits. Returns the job id, or null when a job with the same unique key is waiting.
 */
export async function enqueueJob(
  db: Db,
  clock: Clock,
  kind: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<string | null> {
  if (opts.uniqueKey) {
    const waiting = await db
      .selectFrom('jobs')
      .select('id')
      .where('unique_key', '=', opts.uniqueKey)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (waiting) return null;
  }
  const id = newId();
  const now = isoNow(clock);
  await db
    .insertInto('jobs')
    .values({
      id,
      kind,
      payload: JSON.stringify(payload ?? null),
      status: 'queued',
      run_at: (opts.runAt ?? clock.now()).toISOString(),
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 8,
      unique_key: opts.uniqueKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/**
 * Takes up to `limit` due jobs for one worker: queued ones whose time has come, and running ones
 * whose worker's lease ran out (it crashed). On PostgreSQL, SKIP LOCKED lets several workers
 * take different jobs at once; SQLite has a single writer, so the UPDATE is atomic as it is.
 */
export async function claimJobs(
  db: Db,
  dialect: DialectName,
  clock: Clock,
  worker: string,
  limit: number,
  leaseMs: number,
): Promise<JobRow[]> {
  const now = isoNow(clock);
  const lease = new Date(clock.now().getTime() + leaseMs).toISOString();
  const due = sql<SqlBool>`((status = 'queued' and run_at <= ${now}) or (status = 'running' and locked_until < ${now}))`;
  const pick =
    dialect === 'postgres'
      ? sql`select id from jobs where ${due} order by run_at, id limit ${limit} for update skip locked`
      : sql`select id from jobs where ${due} order by run_at, id limit ${limit}`;
  const rows = await sql<JobRow>`
    update jobs set status = 'running', locked_by = ${worker}, locked_until = ${lease},
      attempts = attempts + 1, updated_at = ${now}
    where id in (${pick})
    returning *`.execute(db);
  return rows.rows;
}

/** Exponential backoff with a little jitter: about 10 s, 20 s, 40 s ... up to an hour. */
export function backoffMs(attempts: number): number {
  const base = Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.9 + Math.random() * 0.2));
}
