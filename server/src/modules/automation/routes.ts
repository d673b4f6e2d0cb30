import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SYSTEM_ACTOR, type Actor } from '../../core/actor';
import { emitEvent } from '../../core/audit/audit-log';
import { AppError, notFound, parseInput, validationError } from '../../core/errors';
import { inTransaction } from '../../core/kontor';
import { loadRecord } from '../../core/records/read';
import { readContext, requireActor, writeTransaction } from '../../http/context';
import { automationActions } from './actions';
import { processInputSchema, type Definition } from './definition';
import { planSchedule, WEBHOOK_EVENT } from './dispatch';
import { getRun, retryRun, stopRun, type RunRow } from './runs';
import {
  getProcess,
  hashToken,
  listProcesses,
  loadDefinition,
  saveProcess,
  setEnabled,
  type ProcessRow,
} from './store';
import { validateDefinition } from './validate';

function requireAdmin(actor: Actor) {
  if (!actor.role.isAdmin) throw new AppError('forbidden', 'Only administrators manage processes');
}

const parseJson = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

async function runCounts(request: FastifyRequest, ids: string[]) {
  const db = request.server.kontor.database.db;
  const counts = new Map<string, Record<string, number>>();
  if (ids.length === 0) return counts;
  const rows = await db
    .selectFrom('automation_runs')
    .select(['process_id', 'status', sql<number>`count(*)`.as('n')])
    .where('process_id', 'in', ids)
    .groupBy(['process_id', 'status'])
    .execute();
  for (const r of rows) {
    const c = counts.get(r.process_id as string) ?? {
      running: 0,
      waiting: 0,
      failed: 0,
      done: 0,
      stopped: 0,
    };
    c[r.status as string] = Number(r.n);
    counts.set(r.process_id as string, c);
  }
  return counts;
}

async function processOut(
  request: FastifyRequest,
  p: ProcessRow,
  opts: { definition?: boolean; counts?: Record<string, number>; webhookToken?: string } = {},
) {
  const db = request.server.kontor.database.db;
  const def = await loadDefinition(db, p.id, p.version);
  const counts = opts.counts ?? (await runCounts(request, [p.id])).get(p.id);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    enabled: p.enabled,
    version: p.version,
    trigger: def.trigger,
    created_at: p.created_at,
    updated_at: p.updated_at,
    runs: { running: 0, waiting: 0, failed: 0, done: 0, stopped: 0, ...counts },
    ...(def.trigger.type === 'webhook'
      ? {
          webhook_url: `${request.server.kontor.settings.publicUrl}/api/v1/automation/hooks/${p.id}`,
        }
      : {}),
    ...(opts.webhookToken ? { webhook_token: opts.webhookToken } : {}),
    ...(opts.definition ? { definition: def } : {}),
  };
}

function checked(request: FastifyRequest, definition: unknown): Definition {
  const k = request.server.kontor;
  const { definition: def, errors } = validateDefinition(k.meta, definition, automationActions(k));
  if (!def)
    throw validationError(
      errors,
      `The process cannot be saved: ${errors[0]?.path}: ${errors[0]?.message}`,
    );
  return def;
}

async function runOut(request: FastifyRequest, r: RunRow, steps = false) {
  const db = request.server.kontor.database.db;
  const p = await db
    .selectFrom('automation_processes')
    .select('name')
    .where('id', '=', r.process_id)
    .executeTakeFirst();
  const out: Record<string, unknown> = {
    id: r.id,
    process_id: r.process_id,
    process_name: p?.name ?? null,
    version: r.version,
    status: r.status,
    object: r.object,
    record_id: r.record_id,
    event_id: r.event_id,
    event_type: r.event_type,
    current_step: r.current_step,
    error: r.error,
    started_at: r.started_at,
    finished_at: r.finished_at,
    chain: parseJson(r.chain),
  };
  if (steps) {
    // What a run carried and produced may hold fields the reader's role hides: only
    // administrators see it; others see the steps' course.
    const full = request.actor?.role.isAdmin === true;
    const rows = await db
      .selectFrom('automation_run_steps')
      .selectAll()
      .where('run_id', '=', r.id)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    if (full) {
      out.data = parseJson(r.data);
      out.definition = await loadDefinition(db, r.process_id, r.version);
    }
    out.steps = rows.map((s) => ({
      id: s.id,
      step_id: s.step_id,
      step_type: s.step_type,
      visit: s.visit,
      status: s.status,
      started_at: s.started_at,
      finished_at: s.finished_at,
      input: full && s.input ? parseJson(s.input) : null,
      output: full && s.output ? parseJson(s.output) : null,
      error: s.error,
      attempts: s.attempts,
    }));
  }
  return out;
}

/** A run is readable by administrators and by who may read the record it is about. */
async function assertCanReadRun(request: FastifyRequest, run: RunRow) {
  const actor = requireActor(request);
  if (actor.role.isAdmin) return;
  if (!run.object || !run.record_id) throw notFound(`Run ${run.id}`);
  const ctx = readContext(request);
  await loadRecord(ctx, ctx.k.meta.get(run.object), run.record_id).catch(() => {
    throw notFound(`Run ${run.id}`);
  });
}

const runsQuery = z.object({
  process_id: z.string().optional(),
  status: z.enum(['running', 'waiting', 'done', 'failed', 'stopped']).optional(),
  object: z.string().optional(),
  record_id: z.string().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function automationRoutes(app: FastifyInstance) {
  const base = '/api/v1/automation';

  app.get(`${base}/processes`, async (request) => {
    requireAdmin(requireActor(request));
    const rows = await listProcesses(request.server.kontor.database.db);
    const counts = await runCounts(
      request,
      rows.map((r) => r.id),
    );
    return {
      data: await Promise.all(
        rows.map((p) => processOut(request, p, { counts: counts.get(p.id) ?? {} })),
      ),
    };
  });

  app.post(`${base}/processes`, async (request, reply) => {
    requireAdmin(requireActor(request));
    const input = parseInput(processInputSchema.extend({ definition: z.unknown() }), request.body);
    const definition = checked(request, input.definition);
    const saved = await writeTransaction(request, async (ctx) => {
      const s = await saveProcess(ctx, { ...input, definition });
      if (definition.trigger.type === 'schedule') await planSchedule(ctx, s.process.id);
      return s;
    });
    reply.code(201);
    return processOut(request, saved.process, {
      definition: true,
      webhookToken: saved.webhookToken,
    });
  });

  app.get<{ Params: { id: string } }>(`${base}/processes/:id`, async (request) => {
    requireAdmin(requireActor(request));
    return processOut(
      request,
      await getProcess(request.server.kontor.database.db, request.params.id),
      {
        definition: true,
      },
    );
  });

  app.put<{ Params: { id: string } }>(`${base}/processes/:id`, async (request) => {
    requireAdmin(requireActor(request));
    const input = parseInput(processInputSchema.extend({ definition: z.unknown() }), request.body);
    const definition = checked(request, input.definition);
    const saved = await writeTransaction(request, async (ctx) => {
      const s = await saveProcess(ctx, { ...input, id: request.params.id, definition });
      if (definition.trigger.type === 'schedule') await planSchedule(ctx, s.process.id);
      return s;
    });
    return processOut(request, saved.process, {
      definition: true,
      webhookToken: saved.webhookToken,
    });
  });

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    app.post<{ Params: { id: string } }>(`${base}/processes/:id/${action}`, async (request) => {
      requireAdmin(requireActor(request));
      const p = await writeTransaction(request, async (ctx) => {
        const row = await setEnabled(ctx, request.params.id, enabled);
        if (enabled) await planSchedule(ctx, row.id);
        return row;
      });
      return processOut(request, p);
    });
  }

  app.delete<{ Params: { id: string } }>(`${base}/processes/:id`, async (request, reply) => {
    requireAdmin(requireActor(request));
    await writeTransaction(request, async (ctx) => {
      const p = await getProcess(ctx.db, request.params.id);
      const active = await ctx.db
        .selectFrom('automation_runs')
        .select('id')
        .where('process_id', '=', p.id)
        .where('status', 'in', ['running', 'waiting'])
        .limit(1)
        .executeTakeFirst();
      if (active)
        throw new AppError(
          'conflict',
          'This process has runs under way; stop them or wait until they finish',
        );
      await ctx.db
        .updateTable('automation_processes')
        .set({
          deleted_at: ctx.k.clock.now().toISOString(),
          enabled: ctx.k.database.dialect === 'postgres' ? false : 0,
        })
        .where('id', '=', p.id)
        .execute();
    });
    reply.code(204);
    return null;
  });

  app.get<{ Params: { id: string } }>(`${base}/processes/:id/versions`, async (request) => {
    requireAdmin(requireActor(request));
    const db = request.server.kontor.database.db;
    await getProcess(db, request.params.id);
    const rows = await db
      .selectFrom('automation_process_versions')
      .selectAll()
      .where('process_id', '=', request.params.id)
      .orderBy('version', 'desc')
      .execute();
    return {
      data: rows.map((r) => ({
        version: r.version,
        created_at: r.created_at,
        created_by: r.created_by,
        definition: parseJson(r.definition),
      })),
    };
  });

  app.post(`${base}/validate`, async (request) => {
    requireAdmin(requireActor(request));
    const body = (request.body ?? {}) as { definition?: unknown };
    const k = request.server.kontor;
    return { errors: validateDefinition(k.meta, body.definition, automationActions(k)).errors };
  });

  app.get(`${base}/runs`, async (request) => {
    const actor = requireActor(request);
    const q = parseInput(runsQuery, request.query);
    if (!actor.role.isAdmin) {
      if (!q.object || !q.record_id)
        throw new AppError(
          'forbidden',
          'Only administrators list all runs; others list the runs of a record (object and record_id)',
        );
      const ctx = readContext(request);
      await loadRecord(ctx, ctx.k.meta.get(q.object), q.record_id);
    }
    let query = request.server.kontor.database.db.selectFrom('automation_runs').selectAll();
    if (q.process_id) query = query.where('process_id', '=', q.process_id);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.object) query = query.where('object', '=', q.object);
    if (q.record_id) query = query.where('record_id', '=', q.record_id);
    // Ids are UUIDv7: newest first by id is newest first by start.
    if (q.cursor) query = query.where('id', '<', q.cursor);
    const rows = (await query
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute()) as unknown as RunRow[];
    const page = rows.slice(0, q.limit);
    return {
      data: await Promise.all(page.map((r) => runOut(request, r))),
      next_cursor: rows.length > q.limit ? page.at(-1)!.id : null,
    };
  });

  app.get<{ Params: { id: string } }>(`${base}/runs/:id`, async (request) => {
    const run = await getRun(request.server.kontor.database.db, request.params.id);
    await assertCanReadRun(request, run);
    return runOut(request, run, true);
  });

  app.post<{ Params: { id: string } }>(`${base}/runs/:id/retry`, async (request) => {
    requireAdmin(requireActor(request));
    return runOut(
      request,
      await writeTransaction(request, (ctx) => retryRun(ctx, request.params.id)),
    );
  });

  app.post<{ Params: { id: string } }>(`${base}/runs/:id/stop`, async (request) => {
    requireAdmin(requireActor(request));
    return runOut(
      request,
      await writeTransaction(request, (ctx) => stopRun(ctx, request.params.id)),
    );
  });

  app.get(`${base}/catalog`, async (request) => {
    requireActor(request);
    const actions = automationActions(request.server.kontor);
    return {
      triggers: [
        'record_created',
        'record_updated',
        'field_changed',
        'stage_entered',
        'stage_left',
        'date_reached',
        'schedule',
        'task_completed',
        'webhook',
        'form_submitted',
        'event',
      ],
      steps: [
        'create_record',
        'update_record',
        'create_tasks',
        'assign',
        'move_stage',
        'send_email',
        'wait',
        'wait_for_tasks',
        'if',
        'for_each',
        'note',
        'action',
      ],
      actions: Object.entries(actions).map(([action, a]) => ({
        action,
        label: a.label,
        settings: a.settings,
        produces_tasks: a.producesTasks === true,
      })),
    };
  });

  // The inbound webhook: no session, a secret token; starts the process with the posted body.
  app.post<{ Params: { id: string }; Querystring: { token?: string } }>(
    `${base}/hooks/:id`,
    { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const k = request.server.kontor;
      const sent: unknown = request.headers['x-kontor-token'] ?? request.query.token;
      // A repeated parameter or header is no token.
      const token = typeof sent === 'string' ? sent : '';
      const p = await getProcess(k.database.db, request.params.id).catch(() => null);
      const expected = Buffer.from(p?.webhook_token_hash ?? '0'.repeat(64), 'hex');
      const given = Buffer.from(hashToken(token), 'hex');
      if (
        !p ||
        !p.webhook_token_hash ||
        !timingSafeEqual(expected, given) ||
        p.trigger_type !== 'webhook'
      )
        throw new AppError('unauthenticated', 'Unknown process or wrong token');
      if (!p.enabled) throw new AppError('conflict', 'This process is disabled');
      const body = request.body ?? null;
      await inTransaction(k, SYSTEM_ACTOR, (ctx) =>
        emitEvent(ctx, {
          type: WEBHOOK_EVENT,
          object: 'automation_processes',
          recordId: p.id,
          payload: { changes: {}, data: { body } },
        }),
      );
      reply.code(202);
      return { accepted: true };
    },
  );
}
