import { isoNow } from '../../core/clock';
import { newId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';

export type NotificationKind = 'task_assigned' | 'reminder' | 'comment' | 'watched_task_done';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  title: string;
  body?: string | null;
  /** The record it is about, for a link. */
  object?: string;
  recordId?: string;
}

/** Tells a user something in the app, in the caller's transaction. */
export async function notify(ctx: RecordContext, n: NewNotification): Promise<string> {
  const id = newId();
  await ctx.db
    .insertInto('notifications')
    .values({
      id,
      user_id: n.userId,
      kind: n.kind,
      title: n.title,
      body: n.body ?? null,
      object: n.object ?? null,
      record_id: n.recordId ?? null,
      read_at: null,
      created_at: isoNow(ctx.k.clock),
    })
    .execute();
  return id;
}

interface Recipient {
  id: string;
  email: string;
  name: string;
  locale: string;
  time_zone: string;
  is_active: unknown;
}

/** A user to notify, with what a message to them needs; undefined for an unknown id. */
export async function recipient(
  ctx: RecordContext,
  userId: string,
): Promise<Recipient | undefined> {
  return (await ctx.db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale', 'time_zone', 'is_active'])
    .where('id', '=', userId)
    .executeTakeFirst()) as Recipient | undefined;
}

const TITLES: Record<string, Record<NotificationKind, string>> = {
  en: {
    task_assigned: 'Task assigned to you: {title}',
    reminder: 'Reminder: {title}',
    comment: 'New comment on {title}',
    watched_task_done: 'Task completed: {title}',
  },
  uk: {
    task_assigned: 'Вам призначено завдання: {title}',
    reminder: 'Нагадування: {title}',
    comment: 'Новий коментар до завдання {title}',
    watched_task_done: 'Завдання виконано: {title}',
  },
};

/** A notification's title in the recipient's language. */
export function titleFor(kind: NotificationKind, locale: string, title: string): string {
  return (TITLES[locale] ?? TITLES.en)[kind].replace('{title}', title);
}

/** Notifies a user about a task in their language, unless they are the one who acted. */
export async function notifyAboutTask(
  ctx: RecordContext,
  userId: string | null | undefined,
  kind: NotificationKind,
  task: { id: string; title?: unknown },
  body?: string | null,
) {
  if (!userId || userId === ctx.actor.userId) return;
  const user = await recipient(ctx, userId);
  if (!user) return;
  await notify(ctx, {
    userId,
    kind,
    title: titleFor(kind, user.locale, String(task.title)),
    body,
    object: 'tasks',
    recordId: task.id,
  });
}
