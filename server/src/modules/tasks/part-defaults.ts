import { sql } from 'kysely';
import { validationError } from '../../core/errors';
import type { RecordHooks } from '../../core/records/hooks';

/** A new checklist item goes to the end of its task's list unless given a place. */
export const checklistPositionRule: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action !== 'create' || e.values.position !== undefined || !e.values.task_id) return;
    const last = await ctx.db
      .selectFrom('task_checklist_items')
      .select(sql<number | null>`max(position)`.as('p'))
      .where('task_id', '=', e.values.task_id as string)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    e.values.position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
  },
};

/** A comment is signed by whoever writes it, and stays theirs. */
export const commentAuthorRule: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create') e.values.author_id = ctx.actor.userId;
  },
};

/** Time spent is counted up from zero. */
export const timeSpentRule: RecordHooks = {
  async beforeWrite(_ctx, e) {
    const v = e.values.time_spent_minutes;
    if (typeof v === 'number' && v < 0) {
      throw validationError([{ path: 'time_spent_minutes', message: 'cannot be negative' }]);
    }
  },
};
