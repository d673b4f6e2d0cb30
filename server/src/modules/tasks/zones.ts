import { DateTime } from 'luxon';
import type { RecordContext } from '../../core/kontor';

/** The time zone a user's due times and reminders are reckoned in; UTC for no one. */
export async function userZone(ctx: RecordContext, userId: string | null | undefined) {
  if (!userId) return 'UTC';
  const u = (await ctx.db
    .selectFrom('users')
    .select('time_zone')
    .where('id', '=', userId)
    .executeTakeFirst()) as { time_zone: string } | undefined;
  return u?.time_zone || 'UTC';
}

/**
 * `start` moved by whole days on the wall clock of `zone` (so "2 days later" keeps the hour across
 * a daylight-saving change), then by elapsed hours.
 */
export function shiftInZone(
  start: Date,
  zone: string,
  by: { days?: number | null; hours?: number | null },
): Date {
  return DateTime.fromJSDate(start, { zone })
    .plus({ days: by.days ?? 0 })
    .plus({ hours: by.hours ?? 0 })
    .toJSDate();
}
