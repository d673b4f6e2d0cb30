import { isoNow } from '../../core/clock';
import type { RecordHooks } from '../../core/records/hooks';

/** A task starts open; completing it stamps the time, reopening clears it. */
export const taskStatusHook: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create' && (e.values.status === undefined || e.values.status === null)) {
      e.values.status = 'open';
    }
    if (e.values.status === undefined) return;
    if (e.values.status === 'done' && e.before?.status !== 'done')
      e.values.completed_at = isoNow(ctx.k.clock);
    if (e.values.status !== 'done' && e.before?.status === 'done') e.values.completed_at = null;
  },
};
