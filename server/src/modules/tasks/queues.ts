import type { RecordContext } from '../../core/kontor';
import { createRecord } from '../../core/records/write';

/** Departments the reference process hands work to (the won deal's production and installation). */
export const STANDARD_QUEUES = ['Production', 'Purchasing', 'Installation'] as const;

/**
 * Creates the standard queues that were never there. A queue an administrator deleted or renamed
 * is not brought back under its old name on the next start.
 */
export async function seedQueues(ctx: RecordContext) {
  const any = await ctx.db.selectFrom('queues').select('id').limit(1).executeTakeFirst();
  if (any) return;
  for (const name of STANDARD_QUEUES) await createRecord(ctx, 'queues', { name });
}
