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

const RANGES: Record<string, [number, number, string]> = {
  time_spent_minutes: [0, Number.MAX_SAFE_INTEGER, 'cannot be negative'],
  remind_before: [0, 100_000, 'must be from 0 to 100000'],
  due_hour: [0, 23, 'must be an hour from 0 to 23'],
};

/** A task's numbers stay in their range: time spent counts up from zero, an hour is of a day. */
export const taskNumberRule: RecordHooks = {
  async beforeWrite(_ctx, e) {
    const errors = Object.entries(RANGES).flatMap(([path, [min, max, message]]) => {
      const v = e.values[path];
      return typeof v === 'number' && (v < min || v > max) ? [{ path, message }] : [];
    });
    if (errors.length) throw validationError(errors);
  },
};
