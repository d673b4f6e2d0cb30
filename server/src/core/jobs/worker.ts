import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '../actor';
import { isoNow } from '../clock';
import { inTransaction, type Kontor, type RecordContext } from '../kontor';
import { backoffMs, claimJobs, type JobRow } from './queue';
import { dispatchEvents, type EventConsumer } from '../events/outbox';

export type JobHandler = (ctx: RecordContext, payload: unknown, job: JobRow) => Promise<void>;

/**
 * A job that talks to the outside world (an SMTP server, a webhook target). It runs outside any
 * transaction, so a slow server never holds the database, and writes what it learnt itself. It
 * may run again after a crash between its call and the job's completion, so its effect must be
 * safe to repeat (a delivery carries its event id; a mail already sent is not sent again).
 */
export interface ExternalJob {
  outside(k: Kontor, payload: unknown, job: JobRow): Promise<void>;
}

export type JobHandlers = Record<string, JobHandler | ExternalJob>;

/**
 * Runs due jobs. A job's work and its completion commit in one transaction, so a crash leaves the
 * job to run again rather than half done, and a job another worker took over is not finished twice.
 * A failing job is retried with backoff, then parked as failed with its error; never dropped.
 */
export class JobWorker {
  readonly id = `worker-${randomUUID()}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly k: Kontor,
    private readonly handlers: JobHandlers,
    private readonly opts: {
      batch?: number;
      pollMs?: number;
      /** When given, committed domain events are handed to these before due jobs run. */
      events?: EventConsumer[];
    } = {},
  ) {}

  private get leaseMs() {
    return this.k.settings.jobLeaseSeconds * 1000;
  }

  /**
   * Keeps this worker's claim on the jobs it holds while it is alive, so that a short lease is
   * enough: the jobs of a worker that died are taken over within one lease, not minutes later.
   */
  private async renewLeases() {
    await this.k.database.db
      .updateTable('jobs')
      .set({ locked_until: new Date(this.k.clock.now().getTime() + this.leaseMs).toISOString() })
      .where('locked_by', '=', this.id)
      .where('status', '=', 'running')
      .execute();
  }

  /** Dispatches pending events, then runs every job due now; returns how many jobs ran. */
  async runDue(): Promise<number> {
    const heartbeat = setInterval(() => {
      this.renewLeases().catch((err: unknown) =>
        this.k.log.warn({ err }, 'could not renew job leases'),
      );
    }, this.leaseMs / 3);
    try {
      return await this.runAll();
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async runAll(): Promise<number> {
    let total = 0;
    for (;;) {
      // Events that cannot be handed over now must not keep due jobs from running.
      if (this.opts.events)
        await dispatchEvents(this.k, this.opts.events).catch((err: unknown) =>
          this.k.log.error({ err }, 'could not hand over domain events; will try again'),
        );
      const jobs = await claimJobs(
        this.k.database.db,
        this.k.database.dialect,
        this.k.clock,
        this.id,
        this.opts.batch ?? 20,
        this.leaseMs,
      );
      if (jobs.length === 0) return total;
      for (const job of jobs) {
        await this.runOne(job);
        total++;
      }
    }
  }

  private async runOne(job: JobRow) {
    const handler = this.handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for jobs of kind "${job.kind}"`);
      if (typeof handler !== 'function')
        await handler.outside(this.k, JSON.parse(job.payload), job);
      await inTransaction(this.k, SYSTEM_ACTOR, async (ctx) => {
        if (typeof handler === 'function') await handler(ctx, JSON.parse(job.payload), job);
        const done = await ctx.db
          .updateTable('jobs')
          .set({
            status: 'done',
            locked_by: null,
            locked_until: null,
            last_error: null,
            updated_at: isoNow(this.k.clock),
          })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.id)
          .executeTakeFirst();
        // Another worker took the job over after our lease ran out: undo our run.
        if (Number(done.numUpdatedRows) !== 1) throw new LostLease();
      });
    } catch (err) {
      if (err instanceof LostLease) return;
      const message = err instanceof Error ? err.message : String(err);
      const parked = job.attempts >= job.max_attempts;
      this.k.log[parked ? 'error' : 'warn'](
        { jobId: job.id, kind: job.kind, attempts: job.attempts, err: message },
        parked ? 'job failed for good' : 'job failed; will retry',
      );
      await this.k.database.db
        .updateTable('jobs')
        .set({
          status: parked ? 'failed' : 'queued',
          run_at: parked
            ? job.run_at
            : new Date(this.k.clock.now().getTime() + backoffMs(job.attempts)).toISOString(),
          locked_by: null,
          locked_until: null,
          last_error: message.slice(0, 4000),
          updated_at: isoNow(this.k.clock),
        })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.id)
        .execute();
    }
  }

  /** Polls for due jobs until stopped. */
  start() {
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.runDue().catch((err: unknown) => {
        this.k.log.error({ err }, 'job worker could not poll');
        return 0;
      });
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs ?? 1000);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

class LostLease extends Error {}
