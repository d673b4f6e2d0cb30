import type { FastifyInstance } from 'fastify';
import { sql, type SqlBool } from 'kysely';
import { AppError, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import { grantFor } from '../../core/permissions/grants';
import { assertCan, scopeCondition } from '../../core/permissions/scope';
import { loadRecord } from '../../core/records/read';
import { queryText, readContext } from '../../http/context';
import { CalendarCache } from './calendar-store';
import { loadPolicies, type PolicyRow, type TimerRow } from './timers';
import { CalendarError, workingMinutesBetween } from './working-time';

/** `YYYY-MM-DD` (a whole UTC day) or an ISO instant; `end` moves a date to the next midnight. */
function parseBound(raw: string | undefined, path: string, end: boolean): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const d = new Date(`${raw}T00:00:00.000Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(raw))
      return new Date(d.getTime() + (end ? 86_400_000 : 0)).toISOString();
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw))) {
    return new Date(raw).toISOString();
  }
  throw validationError([
    { path, message: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant with a zone' },
  ]);
}

/** The value at a percentile of sorted numbers, by nearest rank. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Timers of a policy on records the actor can read: the one scoping function decides. */
function scopedTimers(ctx: RecordContext, p: PolicyRow) {
  const object = ctx.k.meta.get(p.object);
  const scope = scopeCondition(ctx.actor, object, 'read');
  let q = ctx.db.selectFrom('sla_timers').where('policy_id', '=', p.id);
  if (scope) {
    q = q.where(
      sql<SqlBool>`record_id in (select id from ${sql.table(object.table)} where ${scope})`,
    );
  }
  return q;
}

async function policyReport(ctx: RecordContext, p: PolicyRow, from?: string, to?: string) {
  let q = scopedTimers(ctx, p).select(['status', 'due_at', 'stopped_at', 'working_minutes']);
  if (from) q = q.where('started_at', '>=', from);
  if (to) q = q.where('started_at', '<', to);
  const rows = (await q.execute()) as Pick<
    TimerRow,
    'status' | 'due_at' | 'stopped_at' | 'working_minutes'
  >[];
  const counts = {
    started: rows.length,
    fulfilled: 0,
    fulfilled_late: 0,
    breached: 0,
    running: 0,
    cancelled: 0,
  };
  const minutes: number[] = [];
  for (const r of rows) {
    if (r.status === 'fulfilled') {
      if (Date.parse(r.stopped_at!) > Date.parse(r.due_at)) counts.fulfilled_late++;
      else counts.fulfilled++;
      if (r.working_minutes !== null) minutes.push(Number(r.working_minutes));
    } else counts[r.status]++;
  }
  minutes.sort((a, b) => a - b);
  return {
    policy_id: p.id,
    name: p.name,
    object: p.object,
    target_minutes: p.target_minutes,
    enabled: p.enabled,
    ...counts,
    median_minutes: percentile(minutes, 0.5),
    p95_minutes: percentile(minutes, 0.95),
  };
}

export async function slaRoutes(app: FastifyInstance) {
  /**
   * Per policy, over timers started in [from, to): how many started, were fulfilled in time or
   * late, stand breached, still run or were cancelled, and the median and 95th percentile of
   * working minutes to fulfilment. Only timers on records the reader can read are counted.
   */
  app.get('/api/v1/sla/report', async (request) => {
    const ctx = readContext(request);
    const policyId = queryText(request.query, 'policy_id');
    const from = parseBound(queryText(request.query, 'from'), 'from', false);
    const to = parseBound(queryText(request.query, 'to'), 'to', true);
    if (from && to && from >= to)
      throw validationError([{ path: 'to', message: 'must be after from' }]);
    if (policyId !== undefined && !isId(policyId))
      throw validationError([{ path: 'policy_id', message: 'must be a record id (UUID)' }]);

    const all = await loadPolicies(ctx, { includeDeleted: policyId !== undefined });
    const readable = (p: PolicyRow) => {
      const object = ctx.k.meta.find(p.object);
      return !!object && grantFor(ctx.actor.role, object.name).read !== 'none';
    };
    let policies: PolicyRow[];
    if (policyId !== undefined) {
      const p = all.find((x) => x.id === policyId.toLowerCase());
      if (!p) throw new AppError('not_found', `SLA policy ${policyId} not found`);
      const object = ctx.k.meta.find(p.object);
      if (!object) throw new AppError('not_found', `object ${p.object} not found`);
      assertCan(ctx.actor, object, 'read');
      policies = [p];
    } else {
      policies = all.filter(readable).sort((a, b) => a.name.localeCompare(b.name));
    }
    const data = [];
    for (const p of policies) data.push(await policyReport(ctx, p, from, to));
    return { data };
  });

  /** A record's SLA timers, newest first, with the working minutes left on open ones. */
  app.get('/api/v1/sla/timers', async (request) => {
    const ctx = readContext(request);
    const objectName = queryText(request.query, 'object');
    const recordId = queryText(request.query, 'record_id');
    const missing = [
      ...(objectName ? [] : [{ path: 'object', message: 'is required' }]),
      ...(recordId ? [] : [{ path: 'record_id', message: 'is required' }]),
    ];
    if (missing.length) throw validationError(missing);
    const object = ctx.k.meta.find(objectName!);
    if (!object)
      throw validationError([{ path: 'object', message: `no object named "${objectName}"` }]);
    const record = await loadRecord(ctx, object, recordId!, { includeDeleted: true });

    const rows = (await ctx.db
      .selectFrom('sla_timers')
      .selectAll()
      .where('object', '=', object.name)
      .where('record_id', '=', record.id)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .execute()) as TimerRow[];
    const names = new Map(
      (await loadPolicies(ctx, { includeDeleted: true })).map((p) => [p.id, p.name]),
    );
    const calendars = new CalendarCache(ctx);
    const now = ctx.k.clock.now();
    const data = [];
    for (const t of rows) {
      let left: number | null = null;
      if (t.status === 'running' || t.status === 'breached') {
        try {
          const cal = await calendars.get(t.calendar_id);
          left = Math.floor(workingMinutesBetween(cal, now, new Date(t.due_at)));
        } catch (err) {
          if (!(err instanceof CalendarError)) throw err;
        }
      }
      data.push({
        id: t.id,
        policy_id: t.policy_id,
        policy_name: names.get(t.policy_id) ?? null,
        status: t.status,
        target_minutes: Number(t.target_minutes),
        started_at: t.started_at,
        due_at: t.due_at,
        breached_at: t.breached_at,
        stopped_at: t.stopped_at,
        working_minutes: t.working_minutes === null ? null : Number(t.working_minutes),
        late: t.stopped_at ? Date.parse(t.stopped_at) > Date.parse(t.due_at) : null,
        working_minutes_left: left,
      });
    }
    return { data };
  });
}
