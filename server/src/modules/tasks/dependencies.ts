import { validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { RecordHooks } from '../../core/records/hooks';
import { updateRecord } from '../../core/records/write';

/** Statuses after which a task no longer holds up the tasks that wait for it. */
export const FINISHED = ['done', 'cancelled'];

/** The live tasks `taskId` waits for that are neither done nor cancelled. */
export async function unfinishedPrerequisites(
  ctx: RecordContext,
  taskId: string,
): Promise<{ id: string; title: string }[]> {
  return (await ctx.db
    .selectFrom('task_dependencies as d')
    .innerJoin('tasks as t', 't.id', 'd.depends_on_id')
    .select(['t.id as id', 't.title as title'])
    .where('d.task_id', '=', taskId)
    .where('d.deleted_at', 'is', null)
    .where('t.deleted_at', 'is', null)
    .where('t.status', 'not in', FINISHED)
    .orderBy('t.id')
    .execute()) as { id: string; title: string }[];
}

/**
 * Brings a task's status in line with its prerequisites: an open task with unfinished ones waits,
 * a waiting task whose last one finished opens. A task already started (or done) is left alone:
 * reopening a prerequisite does not pull back work under way.
 */
export async function settleWaiting(ctx: RecordContext, taskId: string) {
  const task = (await ctx.db
    .selectFrom('tasks')
    .select(['id', 'status'])
    .where('id', '=', taskId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as { id: string; status: string } | undefined;
  if (!task || (task.status !== 'open' && task.status !== 'waiting')) return;
  const blocked = (await unfinishedPrerequisites(ctx, taskId)).length > 0;
  const status = blocked ? 'waiting' : 'open';
  if (status === task.status) return;
  await updateRecord(ctx, 'tasks', taskId, { status }, { skipScope: true });
}

/** The tasks waiting for `taskId`, through live dependencies. */
async function dependentsOf(ctx: RecordContext, taskId: string): Promise<string[]> {
  const rows = (await ctx.db
    .selectFrom('task_dependencies')
    .select('task_id')
    .where('depends_on_id', '=', taskId)
    .where('deleted_at', 'is', null)
    .execute()) as { task_id: string | null }[];
  return [...new Set(rows.flatMap((r) => (r.task_id ? [r.task_id] : [])))];
}

/** Whether `from` already waits, directly or through others, for `to`. */
async function reaches(ctx: RecordContext, from: string, to: string): Promise<boolean> {
  const seen = new Set<string>([from]);
  let frontier = [from];
  while (frontier.length) {
    const rows = (await ctx.db
      .selectFrom('task_dependencies')
      .select('depends_on_id')
      .where('task_id', 'in', frontier)
      .where('deleted_at', 'is', null)
      .execute()) as { depends_on_id: string | null }[];
    frontier = [];
    for (const r of rows) {
      if (!r.depends_on_id || seen.has(r.depends_on_id)) continue;
      if (r.depends_on_id === to) return true;
      seen.add(r.depends_on_id);
      frontier.push(r.depends_on_id);
    }
  }
  return false;
}

/** A dependency joins two different tasks, never closes a cycle, and keeps the waiting one waiting. */
export const dependencyRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.values.task_id === undefined && e.values.depends_on_id === undefined) return;
    const taskId = (e.values.task_id ?? e.before?.task_id) as string | null;
    const dependsOn = (e.values.depends_on_id ?? e.before?.depends_on_id) as string | null;
    if (!taskId || !dependsOn) return;
    if (taskId === dependsOn)
      throw validationError([{ path: 'depends_on_id', message: 'a task cannot wait for itself' }]);
    if (await reaches(ctx, dependsOn, taskId)) {
      throw validationError([
        {
          path: 'depends_on_id',
          message: 'would close a cycle: that task already waits, directly or not, for this one',
        },
      ]);
    }
  },
  async afterWrite(ctx, e) {
    const after = e.after.task_id as string | null;
    const before = e.before?.task_id as string | null | undefined;
    // An empty task_id is deleting the task clearing its links: that task needs no settling.
    if (!after) return;
    await settleWaiting(ctx, after);
    if (before && before !== after) await settleWaiting(ctx, before);
  },
};

/**
 * Waiting is the dependencies' to set: a task waits only while it has unfinished prerequisites,
 * and leaves waiting by hand only to be cancelled.
 */
export const taskDependencyStatusRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    const status = e.values.status;
    if (status === undefined || status === e.before?.status) return;
    const blockers = e.before ? await unfinishedPrerequisites(ctx, e.before.id) : [];
    if (status === 'waiting' && blockers.length === 0) {
      throw validationError([
        {
          path: 'status',
          message: 'a task waits only for unfinished tasks it depends on; it has none',
        },
      ]);
    }
    if (e.before?.status === 'waiting' && status !== 'cancelled' && blockers.length > 0) {
      const titles = blockers.map((b) => `"${b.title}"`).join(', ');
      throw validationError([
        { path: 'status', message: `still waits for ${blockers.length} task(s): ${titles}` },
      ]);
    }
  },
  async afterWrite(ctx, e) {
    if (e.action === 'update' && e.before?.status === e.after.status) return;
    if (e.action === 'create') return;
    for (const id of await dependentsOf(ctx, e.after.id)) await settleWaiting(ctx, id);
  },
};
