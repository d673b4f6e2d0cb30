import { sql, type SqlBool } from 'kysely';
import { isoNow } from '../../core/clock';
import { validationError } from '../../core/errors';
import { newId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import type { RecordHooks } from '../../core/records/hooks';

interface StageRow {
  id: string;
  pipeline_id: string;
  kind: 'open' | 'won' | 'lost';
  position: number;
}

async function stageById(ctx: RecordContext, id: string): Promise<StageRow | undefined> {
  return (await ctx.db
    .selectFrom('stages')
    .select(['id', 'pipeline_id', 'kind', 'position'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as StageRow | undefined;
}

async function firstOpenStage(
  ctx: RecordContext,
  pipelineId: string,
): Promise<StageRow | undefined> {
  return (await ctx.db
    .selectFrom('stages')
    .select(['id', 'pipeline_id', 'kind', 'position'])
    .where(sql<SqlBool>`pipeline_id = ${pipelineId} and deleted_at is null and kind = 'open'`)
    .orderBy('position')
    .orderBy('id')
    .executeTakeFirst()) as StageRow | undefined;
}

/** The pipeline new deals go to: the one marked default, else the first by position. */
export async function defaultPipelineId(ctx: RecordContext): Promise<string | undefined> {
  const row = (await ctx.db
    .selectFrom('pipelines')
    .select('id')
    .where('deleted_at', 'is', null)
    .orderBy(
      sql`case when is_default = ${ctx.k.database.dialect === 'postgres' ? sql`true` : sql`1`} then 0 else 1 end`,
    )
    .orderBy('position')
    .orderBy('id')
    .executeTakeFirst()) as { id: string } | undefined;
  return row?.id;
}

/**
 * A deal sits in one stage of one pipeline. Its status follows the stage's kind; entering a
 * won or lost stage closes it (a lost one needs a reason), and every stay in a stage is kept
 * in the stage history with its entry and exit time.
 */
export const dealStagesHook: RecordHooks = {
  async beforeWrite(ctx, e) {
    const v = e.values;
    const before = e.before;
    let pipelineId = (v.pipeline_id !== undefined ? v.pipeline_id : before?.pipeline_id) as
      string | null;
    let stage: StageRow | undefined;

    if (v.stage_id) {
      stage = await stageById(ctx, v.stage_id as string);
      if (!stage)
        throw validationError([
          { path: 'stage_id', message: `no stage with id ${String(v.stage_id)}` },
        ]);
      if (v.pipeline_id !== undefined && v.pipeline_id !== stage.pipeline_id) {
        throw validationError([
          { path: 'stage_id', message: 'belongs to another pipeline than pipeline_id' },
        ]);
      }
      pipelineId = stage.pipeline_id;
      v.pipeline_id = pipelineId;
    } else if (v.stage_id === null) {
      throw validationError([
        { path: 'stage_id', message: 'is required; a deal is always in a stage' },
      ]);
    } else if (!before || (v.pipeline_id !== undefined && v.pipeline_id !== before.pipeline_id)) {
      pipelineId = pipelineId ?? (await defaultPipelineId(ctx)) ?? null;
      if (!pipelineId)
        throw validationError([{ path: 'pipeline_id', message: 'no pipeline exists yet' }]);
      stage = await firstOpenStage(ctx, pipelineId);
      if (!stage)
        throw validationError([{ path: 'pipeline_id', message: 'the pipeline has no open stage' }]);
      v.pipeline_id = pipelineId;
      v.stage_id = stage.id;
    }

    if (!stage || stage.id === before?.stage_id) {
      if (v.lost_reason !== undefined && before?.status === 'lost' && !v.lost_reason) {
        throw validationError([
          { path: 'lost_reason', message: 'is required while the deal is lost' },
        ]);
      }
      if (v.closed_at && before?.status === 'open') {
        throw validationError([
          { path: 'closed_at', message: 'is set by moving the deal to a won or lost stage' },
        ]);
      }
      return;
    }
    v.status = stage.kind;
    if (stage.kind === 'open') {
      if (v.closed_at)
        throw validationError([
          { path: 'closed_at', message: 'is set by moving the deal to a won or lost stage' },
        ]);
      if (v.closed_at === undefined && before?.closed_at) v.closed_at = null;
    } else if (v.closed_at === undefined) {
      v.closed_at = isoNow(ctx.k.clock);
    }
    if (stage.kind === 'lost') {
      const reason = v.lost_reason !== undefined ? v.lost_reason : before?.lost_reason;
      if (!reason)
        throw validationError([
          { path: 'lost_reason', message: 'is required when a deal is lost' },
        ]);
    }
  },

  async afterWrite(ctx, e) {
    if (e.action !== 'create' && e.action !== 'update') return;
    if (e.before && e.before.stage_id === e.after.stage_id) return;
    const now = isoNow(ctx.k.clock);
    await ctx.db
      .updateTable('deal_stage_history')
      .set({ exited_at: now })
      .where('deal_id', '=', e.after.id)
      .where('exited_at', 'is', null)
      .execute();
    await ctx.db
      .insertInto('deal_stage_history')
      .values({
        id: newId(),
        deal_id: e.after.id,
        pipeline_id: e.after.pipeline_id,
        stage_id: e.after.stage_id,
        entered_at:
          e.action === 'create' && e.after.closed_at && e.after.status !== 'open'
            ? e.after.closed_at
            : now,
        exited_at: null,
        entered_by: ctx.actor.userId,
      })
      .execute();
  },
};

/**
 * A stage's probability is a percentage. A stage that deals are in keeps its kind and its
 * pipeline: a deal's status and pipeline follow its stage only when the deal moves, so changing
 * them under the deals would leave open deals in a won stage or in another pipeline.
 */
export const stageRulesHook: RecordHooks = {
  async beforeWrite(ctx, e) {
    const v = e.values;
    const p = v.probability;
    if (typeof p === 'number' && (p < 0 || p > 100))
      throw validationError([{ path: 'probability', message: 'must be between 0 and 100' }]);
    const before = e.before;
    if (!before) return;
    const changed = (['kind', 'pipeline_id'] as const).filter(
      (f) => v[f] !== undefined && v[f] !== before[f],
    );
    if (!changed.length) return;
    // Deals in the trash count too: a restored deal comes back to its stage as it was.
    const r = await ctx.db
      .selectFrom('deals')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`sum(case when deleted_at is null then 0 else 1 end)`.as('trashed'),
      ])
      .where('stage_id', '=', before.id)
      .executeTakeFirstOrThrow();
    const n = Number(r.n);
    const trashed = Number(r.trashed ?? 0);
    if (n > 0)
      throw validationError(
        changed.map((f) => ({
          path: f,
          message:
            `cannot change while ${n} deal(s) are in this stage` +
            (trashed ? ` (${trashed} of them in the trash)` : '') +
            '; move them to another stage first',
        })),
      );
  },
};
