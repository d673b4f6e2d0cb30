import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../../../../test/helpers';
import { enqueueJob } from './queue';
import { CORE_JOBS, scheduleHousekeeping } from './housekeeping';
import { JobWorker, type JobHandler } from './worker';

describe.each(DIALECTS)('durable jobs on %s', (dialect) => {
  const s = serverFor(dialect);

  const db = () => s!.kontor.database.db;
  const job = async (id: string) =>
    db().selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('runs a due job once and leaves a future one waiting', async () => {
    const seen: unknown[] = [];
    const worker = new JobWorker(s!.kontor, {
      note: async (_ctx, payload) => void seen.push(payload),
    });
    const now = await enqueueJob(db(), s!.clock, 'note', { n: 1 });
    const later = await enqueueJob(
      db(),
      s!.clock,
      'note',
      { n: 2 },
      { runAt: new Date(s!.clock.now().getTime() + 60_000) },
    );
    expect(await worker.runDue()).toBe(1);
    expect(seen).toEqual([{ n: 1 }]);
    expect((await job(now!)).status).toBe('done');
    s!.clock.advance(61_000);
    expect(await worker.runDue()).toBe(1);
    expect((await job(later!)).status).toBe('done');
    expect(await worker.runDue()).toBe(0);
  });

  test('retries a failing job with backoff, then parks it as failed with its error', async () => {
    let calls = 0;
    const worker = new JobWorker(s!.kontor, {
      flaky: async () => {
        calls++;
        throw new Error('gateway said no');
      },
    });
    const id = (await enqueueJob(db(), s!.clock, 'flaky', {}, { maxAttempts: 3 }))!;
    await worker.runDue();
    let row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, last_error: 'gateway said no' });
    expect(Date.parse(row.run_at as string)).toBeGreaterThan(s!.clock.now().getTime());
    expect(await worker.runDue()).toBe(0);
    for (let i = 0; i < 2; i++) {
      s!.clock.advance(3_600_000);
      await worker.runDue();
    }
    row = await job(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3 });
    expect(calls).toBe(3);
  });

  test("rolls back a failed job's own writes", async () => {
    const worker = new JobWorker(s!.kontor, {
      half: async (ctx) => {
        await ctx.db
          .insertInto('teams')
          .values({
            id: '01a24200-0000-7000-8000-0000000000aa',
            name: 'Half done',
            created_at: s!.clock.now().toISOString(),
          })
          .execute();
        throw new Error('crash after a write');
      },
    });
    await enqueueJob(db(), s!.clock, 'half', {}, { maxAttempts: 1 });
    await worker.runDue();
    expect(
      await db()
        .selectFrom('teams')
        .select('id')
        .where('name', '=', 'Half done')
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  test('takes over a job whose worker died, and the dead worker cannot finish it', async () => {
    const seen: string[] = [];
    const handler =
      (who: string): JobHandler =>
      async () =>
        void seen.push(who);
    const id = (await enqueueJob(db(), s!.clock, 'lease', {}))!;
    await db()
      .updateTable('jobs')
      .set({
        status: 'running',
        locked_by: 'worker-dead',
        locked_until: new Date(s!.clock.now().getTime() + 1000).toISOString(),
      })
      .where('id', '=', id)
      .execute();
    const alive = new JobWorker(s!.kontor, { lease: handler('alive') });
    expect(await alive.runDue()).toBe(0);
    s!.clock.advance(2000);
    expect(await alive.runDue()).toBe(1);
    expect(seen).toEqual(['alive']);
    expect((await job(id)).status).toBe('done');
  });

  test('housekeeping removes expired sessions and old idempotency keys, and plans its next run', async () => {
    const now = s!.clock.now();
    await db()
      .insertInto('sessions')
      .values({
        id: 'expired-session',
        user_id: s!.adminId,
        csrf_token: 'x',
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() - 1000).toISOString(),
      })
      .execute();
    await db()
      .insertInto('idempotency_keys')
      .values({
        actor_id: 'a',
        key: 'old',
        method: 'POST',
        path: '/',
        request_hash: 'h',
        status_code: 201,
        response: '{}',
        created_at: new Date(now.getTime() - 2 * 86_400_000).toISOString(),
      })
      .execute();
    await scheduleHousekeeping(s!.kontor);
    await scheduleHousekeeping(s!.kontor);
    const worker = new JobWorker(s!.kontor, CORE_JOBS);
    expect(await worker.runDue()).toBe(1);
    expect(
      await db()
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', 'expired-session')
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await db()
        .selectFrom('idempotency_keys')
        .select('key')
        .where('key', '=', 'old')
        .executeTakeFirst(),
    ).toBeUndefined();
    const next = await db()
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', 'housekeeping')
      .where('status', '=', 'queued')
      .execute();
    expect(next).toHaveLength(1);
  });

  test('two workers running at once run each job exactly once', async () => {
    const counts = new Map<number, number>();
    const handler: JobHandler = async (_ctx, payload) => {
      const n = (payload as { n: number }).n;
      counts.set(n, (counts.get(n) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 1));
    };
    for (let n = 0; n < 60; n++) await enqueueJob(db(), s!.clock, 'count', { n });
    const a = new JobWorker(s!.kontor, { count: handler }, { batch: 5 });
    const b = new JobWorker(s!.kontor, { count: handler }, { batch: 5 });
    const [ra, rb] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ra + rb).toBe(60);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(counts.size).toBe(60);
  });
});
