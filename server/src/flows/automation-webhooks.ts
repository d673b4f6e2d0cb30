import { SYSTEM_ACTOR } from '../core/actor';
import { AppError } from '../core/errors';
import { enqueueJob } from '../core/jobs/queue';
import { inTransaction, type Flow, type Kontor } from '../core/kontor';
import { ACTIONS_EXTENSION, type AutomationAction } from '../modules/automation/actions';
import { enqueueStep } from '../modules/automation/runs';
import { postDelivery } from '../modules/webhooks/send';
import { assertTargetAllowed, targetUrlProblem } from '../modules/webhooks/targets';

const HTTP_JOB = 'automation.http';

interface CallJob {
  runId: string;
  stepId: string;
  visit: number;
  url: string;
  body: string;
}

interface CallResult {
  url: string;
  ok: boolean;
  status_code: number | null;
  duration_ms: number;
  response_body: string | null;
  error: string | null;
}

/**
 * A process's `call_webhook` step: it waits while a job POSTs the body outside any transaction,
 * with the webhooks module's guard against private and loopback addresses (checked at connection
 * time), then goes on with the answer as its output. A target that does not answer 2xx fails the
 * step with the answer; retrying the run calls again. The call carries an idempotency key (run,
 * step and visit) for a target that may see it twice after a crash.
 */
const callWebhook: AutomationAction = {
  label: 'Call a webhook',
  settings: [
    { name: 'url', label: 'URL', type: 'text' },
    { name: 'body', label: 'Body', type: 'template' },
  ],
  validate(settings) {
    const problem = targetUrlProblem(String(settings.url ?? ''));
    return problem ? [{ path: 'url', message: problem }] : [];
  },
  async run(ctx, settings, env) {
    if (env.resume === 'time') {
      const result = env.previous as CallResult | undefined;
      if (result?.ok) return { status: 'done', output: result };
      throw new AppError(
        'validation',
        `the webhook ${result?.url ?? ''} answered ${result?.status_code ?? 'nothing'}${result?.error ? ` (${result.error})` : ''}`,
      );
    }
    const url = String(settings.url);
    const problem = targetUrlProblem(url);
    if (problem) throw new AppError('validation', `the webhook URL is refused: ${problem}`);
    const job: CallJob = {
      runId: env.runId,
      stepId: env.stepId,
      visit: env.visit,
      url,
      body: String(settings.body ?? ''),
    };
    await enqueueJob(ctx.db, ctx.k.clock, HTTP_JOB, job, {
      uniqueKey: `automation:http:${env.runId}:${env.stepId}:${env.visit}`,
      maxAttempts: 1,
    });
    return { status: 'waiting', output: { url } };
  },
};

const httpJob = {
  async outside(k: Kontor, payload: unknown) {
    const p = payload as CallJob;
    const step = await k.database.db
      .selectFrom('automation_run_steps')
      .select('status')
      .where('run_id', '=', p.runId)
      .where('step_id', '=', p.stepId)
      .where('visit', '=', p.visit)
      .executeTakeFirst();
    if (step?.status !== 'waiting') return;
    // An address written as an IP is never looked up, so the connection-time guard alone would
    // not see it: the target is checked first, as the webhooks module does before each call.
    const refused = await assertTargetAllowed(p.url, k.settings.allowPrivateTargets).then(
      () => null,
      (err: Error) => err.message,
    );
    const r = refused
      ? { ok: false, statusCode: null, durationMs: 0, responseBody: null, error: refused }
      : await postDelivery(
          p.url,
          {
            'content-type': 'application/json',
            'idempotency-key': `${p.runId}:${p.stepId}:${p.visit}`,
            'user-agent': 'Kontor-Automation',
          },
          p.body,
          k.settings.allowPrivateTargets,
        );
    const result: CallResult = {
      url: p.url,
      ok: r.ok,
      status_code: r.statusCode,
      duration_ms: r.durationMs,
      response_body: r.responseBody,
      error: r.error,
    };
    await inTransaction(k, SYSTEM_ACTOR, async (ctx) => {
      const updated = await ctx.db
        .updateTable('automation_run_steps')
        .set({ output: JSON.stringify(result) })
        .where('run_id', '=', p.runId)
        .where('step_id', '=', p.stepId)
        .where('visit', '=', p.visit)
        .where('status', '=', 'waiting')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1)
        await enqueueStep(ctx, {
          runId: p.runId,
          stepId: p.stepId,
          visit: p.visit,
          resume: 'time',
        });
    });
  },
};

export const automationWebhooksFlow: Flow = {
  name: 'automation-webhooks',
  jobs: { [HTTP_JOB]: httpJob },
  extensions: { [ACTIONS_EXTENSION]: { call_webhook: callWebhook } },
};
