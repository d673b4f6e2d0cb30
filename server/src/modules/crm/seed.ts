import type { RecordContext } from '../../core/kontor';
import { createRecord } from '../../core/records/write';

/** The sales pipeline every installation starts with, when it has none. */
export const DEFAULT_STAGES = [
  { name: 'New', probability: 10, kind: 'open' },
  { name: 'Qualified', probability: 25, kind: 'open' },
  { name: 'Proposal', probability: 50, kind: 'open' },
  { name: 'Negotiation', probability: 75, kind: 'open' },
  { name: 'Won', probability: 100, kind: 'won' },
  { name: 'Lost', probability: 0, kind: 'lost' },
] as const;

export async function seedCrm(ctx: RecordContext) {
  const any = await ctx.db.selectFrom('pipelines').select('id').limit(1).executeTakeFirst();
  if (any) return;
  const pipeline = await createRecord(ctx, 'pipelines', {
    name: 'Sales',
    is_default: true,
    position: 0,
  });
  for (const [i, s] of DEFAULT_STAGES.entries()) {
    await createRecord(ctx, 'stages', { ...s, pipeline_id: pipeline.id, position: i });
  }
}
