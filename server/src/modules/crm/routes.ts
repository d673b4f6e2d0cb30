import type { FastifyInstance } from 'fastify';
import { loadRecord } from '../../core/records/read';
import { readContext } from '../../http/context';
import { idempotentWrite } from '../../http/idempotency';
import { convertLead } from './lead-conversion';

type IdParams = { id: string };

export async function crmRoutes(app: FastifyInstance) {
  app.post<{ Params: IdParams }>('/api/v1/leads/:id/convert', async (request, reply) =>
    idempotentWrite(request, reply, 200, (ctx) =>
      convertLead(ctx, request.params.id, request.body),
    ),
  );

  /** Every stay of a deal in a stage, oldest first, with the time spent there. */
  app.get<{ Params: IdParams }>('/api/v1/deals/:id/stage-history', async (request) => {
    const ctx = readContext(request);
    await loadRecord(ctx, ctx.k.meta.get('deals'), request.params.id, { includeDeleted: true });
    const rows = (await ctx.db
      .selectFrom('deal_stage_history')
      .select(['id', 'pipeline_id', 'stage_id', 'entered_at', 'exited_at', 'entered_by'])
      .where('deal_id', '=', request.params.id)
      .orderBy('entered_at')
      .orderBy('id')
      .execute()) as { entered_at: string; exited_at: string | null }[];
    const now = ctx.k.clock.now().getTime();
    return {
      data: rows.map((r) => ({
        ...r,
        seconds_in_stage: Math.round(
          ((r.exited_at ? Date.parse(r.exited_at) : now) - Date.parse(r.entered_at)) / 1000,
        ),
      })),
    };
  });
}
