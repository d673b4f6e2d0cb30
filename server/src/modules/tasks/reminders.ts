import { DateTime } from 'luxon';
import type { RecordContext } from '../../core/kontor';
import { enqueueJob } from '../../core/jobs/queue';
import { queueMail } from '../../core/mail/mailer';
import type { ApiRecord, RecordHooks } from '../../core/records/hooks';
import { FINISHED } from './dependencies';
import { dueInstant, reminderInstant, type RemindUnit } from './due-times';
import { notify, recipient, titleFor } from './notifications';
import { userZone } from './zones';

const DUE_FIELDS = [
  'due_at',
  'due_date',
  'due_hour',
  'assignee_id',
  'owner_id',
  'remind_before',
  'remind_unit',
  'status',
];

function merged(e: { values: Record<string, unknown>; before: ApiRecord | null }, f: string) {
  return e.values[f] !== undefined ? e.values[f] : (e.before?.[f] ?? null);
}

/**
 * Keeps a task's due instant and reminder time in step with its due date or time, its assignee's
 * time zone (the owner's when nobody is assigned) and the reminder asked for.
 */
export const dueTimeRule: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'update' && !DUE_FIELDS.some((f) => e.values[f] !== undefined)) return;
    const zone = await userZone(
      ctx,
      (merged(e, 'assignee_id') ?? merged(e, 'owner_id') ?? ctx.actor.userId) as string | null,
    );
    const due = dueInstant(
      {
        due_at: merged(e, 'due_at') as string | null,
        due_date: merged(e, 'due_date') as string | null,
        due_hour: merged(e, 'due_hour') as number | null,
      },
      zone,
    );
    e.values.due_effective_at = due ? due.toISOString() : null;
    const before = merged(e, 'remind_before') as number | null;
    const unit = (merged(e, 'remind_unit') ?? 'minutes') as RemindUnit;
    const finished = FINISHED.includes(String(merged(e, 'status')));
    e.values.remind_at =
      due && before !== null && !finished
        ? reminderInstant(due, before, unit, zone).toISOString()
        : null;
  },
  async afterWrite(ctx, e) {
    const same = (f: string) => e.before?.[f] === e.after[f];
    if (e.action === 'update' && same('remind_at') && same('assignee_id')) return;
    await scheduleReminder(ctx, e.after, e.action === 'delete');
  },
};

function reminderKey(taskId: string) {
  return `tasks.remind:${taskId}`;
}

/**
 * Replaces a task's waiting reminder job with one at its reminder time. Nothing is scheduled for a
 * finished or deleted task, one nobody is assigned to, or one already due.
 */
async function scheduleReminder(ctx: RecordContext, task: ApiRecord, deleted: boolean) {
  await ctx.db
    .deleteFrom('jobs')
    .where('kind', '=', 'tasks.remind')
    .where('status', '=', 'queued')
    .where('unique_key', 'like', `${reminderKey(task.id)}:%`)
    .execute();
  const remindAt = task.remind_at as string | null;
  const due = task.due_effective_at as string | null;
  if (deleted || !remindAt || !due || !task.assignee_id) return;
  if (new Date(due) <= ctx.k.clock.now()) return;
  await enqueueJob(
    ctx.db,
    ctx.k.clock,
    'tasks.remind',
    { taskId: task.id, remindAt },
    { runAt: new Date(remindAt), uniqueKey: `${reminderKey(task.id)}:${remindAt}` },
  );
}

interface TaskRow {
  id: string;
  title: string;
  status: string;
  assignee_id: string | null;
  remind_at: string | Date | null;
  due_effective_at: string | Date | null;
  deleted_at: unknown;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Sends a task's reminder to its assignee, in the app and by e-mail, if the reminder is still the
 * one asked for: a task finished, deleted or rescheduled since the job was queued gets nothing.
 */
export async function sendReminder(ctx: RecordContext, payload: unknown) {
  const { taskId, remindAt } = payload as { taskId: string; remindAt: string };
  const task = (await ctx.db
    .selectFrom('tasks')
    .select(['id', 'title', 'status', 'assignee_id', 'remind_at', 'due_effective_at', 'deleted_at'])
    .where('id', '=', taskId)
    .executeTakeFirst()) as TaskRow | undefined;
  if (!task || task.deleted_at || FINISHED.includes(task.status) || !task.assignee_id) return;
  if (iso(task.remind_at) !== new Date(remindAt).toISOString()) return;
  const user = await recipient(ctx, task.assignee_id);
  if (!user) return;
  const due = DateTime.fromJSDate(new Date(iso(task.due_effective_at)!), { zone: user.time_zone })
    .setLocale(user.locale)
    .toLocaleString(DateTime.DATETIME_MED);
  const title = titleFor('reminder', user.locale, task.title);
  const body = user.locale === 'uk' ? `Термін: ${due}` : `Due ${due}`;
  await notify(ctx, {
    userId: user.id,
    kind: 'reminder',
    title,
    body,
    object: 'tasks',
    recordId: task.id,
  });
  const link = `${ctx.k.settings.publicUrl}/o/tasks/${task.id}`;
  await queueMail(ctx, {
    to: user.email,
    subject: title,
    text: `${body}\n\n${link}\n`,
    related: { object: 'tasks', id: task.id },
  });
}
