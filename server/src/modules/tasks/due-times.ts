import { DateTime } from 'luxon';

export type RemindUnit = 'minutes' | 'hours' | 'days';

export interface DueInput {
  due_at?: string | null;
  due_date?: string | null;
  /** The hour (0-23) a date-only due falls at; the end of the day when absent. */
  due_hour?: number | null;
}

/**
 * The instant a task is due: its due time, or for a date alone the end of that day (or its chosen
 * hour) on the wall clock of `zone`. A date never passes through a time zone to be stored; only
 * this derived instant does.
 */
export function dueInstant(task: DueInput, zone: string): Date | null {
  if (task.due_at) return new Date(task.due_at);
  if (!task.due_date) return null;
  const day = DateTime.fromISO(task.due_date, { zone });
  const at =
    task.due_hour === null || task.due_hour === undefined
      ? day.set({ hour: 23, minute: 59 })
      : day.set({ hour: task.due_hour });
  return at.toJSDate();
}

/**
 * When to remind before `due`: minutes and hours are elapsed time; days keep the wall-clock time
 * in `zone`, so "1 day before" a 09:00 meeting is 09:00 the day before even across a
 * daylight-saving change.
 */
export function reminderInstant(due: Date, before: number, unit: RemindUnit, zone: string): Date {
  return DateTime.fromJSDate(due, { zone })
    .minus({ [unit]: before })
    .toJSDate();
}
