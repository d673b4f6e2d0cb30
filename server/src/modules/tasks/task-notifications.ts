import type { RecordHooks } from '../../core/records/hooks';
import { notifyAboutTask } from './notifications';

/** Tells the new assignee a task is theirs, and the watchers that it is done. */
export const taskNotificationRules: RecordHooks = {
  async afterWrite(ctx, e) {
    if (e.action !== 'create' && e.action !== 'update') return;
    const assignee = e.after.assignee_id as string | null;
    if (assignee && assignee !== e.before?.assignee_id) {
      await notifyAboutTask(ctx, assignee, 'task_assigned', e.after, e.after.description as string);
    }
    if (e.after.status === 'done' && e.before && e.before.status !== 'done') {
      const watchers = (await ctx.db
        .selectFrom('task_watchers')
        .select('user_id')
        .where('task_id', '=', e.after.id)
        .where('deleted_at', 'is', null)
        .execute()) as { user_id: string | null }[];
      for (const w of watchers) await notifyAboutTask(ctx, w.user_id, 'watched_task_done', e.after);
    }
  },
};

/** Tells a task's assignee that someone commented on it. */
export const commentNotificationRules: RecordHooks = {
  async afterWrite(ctx, e) {
    if (e.action !== 'create' || !e.after.task_id) return;
    const task = (await ctx.db
      .selectFrom('tasks')
      .select(['id', 'title', 'assignee_id'])
      .where('id', '=', e.after.task_id as string)
      .executeTakeFirst()) as { id: string; title: string; assignee_id: string | null } | undefined;
    if (!task) return;
    await notifyAboutTask(ctx, task.assignee_id, 'comment', task, e.after.body as string);
  },
};
