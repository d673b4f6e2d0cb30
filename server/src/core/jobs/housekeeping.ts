import { sql } from 'kysely';
import type { Kontor } from '../kontor';
import type { JobHandler } from './worker';
import { enqueueJob } from './queue';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function hourKey(d: Date): string {
  return `housekeeping:${d.toISOString().slice(0, 13)}`;
}

/** Removes what has served its purpose: expired sessions, old idempotency keys, finished jobs. */
export const housekeeping: JobHandler = async (ctx) => {
  const now = ctx.k.clock.now();
  const iso = (ms: number) => new Date(now.getTime() - ms).toISOString();
  await ctx.db.deleteFrom('sessions').where('expires_at', '<', now.toISOString()).execute();
  await ctx.db.deleteFrom('idempotency_keys').where('created_at', '<', iso(DAY)).execute();
  await ctx.db
    .deleteFrom('outbox_events')
    .where(sql.ref('processed_at'), 'is not', null)
    .where('processed_at', '<', iso(7 * DAY))
    .execute();
  await ctx.db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('updated_at', '<', iso(7 * DAY))
    .execute();
  const next = new Date(now.getTime() + HOUR);
  await enqueueJob(ctx.db, ctx.k.clock, 'housekeeping', null, {
    runAt: next,
    uniqueKey: hourKey(next),
    maxAttempts: FOREVER,
  });
};

// Housekeeping plans its own next run, so a run is never parked: it retries (at most hourly).
const FOREVER = 1_000_000;

/** Makes sure a housekeeping run is planned; several processes may call this at once. */
export async function scheduleHousekeeping(k: Kontor) {
  const now = k.clock.now();
  try {
    await enqueueJob(k.database.db, k.clock, 'housekeeping', null, {
      runAt: now,
      uniqueKey: hourKey(now),
      maxAttempts: FOREVER,
    });
  } catch (err) {
    // Another process planned it at the same moment: the unique index kept one.
    if (!String((err as { code?: string }).code ?? '').match(/23505|SQLITE_CONSTRAINT/)) throw err;
  }
}

export const CORE_JOBS: Record<string, JobHandler> = { housekeeping };
