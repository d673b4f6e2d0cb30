import type { RecordContext } from '../../core/kontor';
import { CalendarError, parseWorkingHours, type WorkingCalendar } from './working-time';

/** A calendar record with its holidays, ready for the working-time functions. */
export async function loadCalendar(ctx: RecordContext, id: string): Promise<WorkingCalendar> {
  // Deleted calendars are read too: timers started on one keep counting by it.
  const row = (await ctx.db
    .selectFrom(ctx.k.meta.get('calendars').table)
    .select(['time_zone', 'working_hours'])
    .where('id', '=', id)
    .executeTakeFirst()) as { time_zone: string; working_hours: string } | undefined;
  if (!row) throw new CalendarError(`calendar ${id} not found`);
  const parsed = parseWorkingHours(row.working_hours ?? '');
  if (!parsed.week) throw new CalendarError(`calendar ${id}: ${parsed.problems.join('; ')}`);
  const holidays = (await ctx.db
    .selectFrom(ctx.k.meta.get('calendar_holidays').table)
    .select('date')
    .where('calendar_id', '=', id)
    .where('deleted_at', 'is', null)
    .execute()) as { date: string }[];
  return {
    timeZone: row.time_zone,
    week: parsed.week,
    holidays: new Set(holidays.map((h) => h.date)),
  };
}

/** Calendars loaded once per unit of work (a batch of events, a report). */
export class CalendarCache {
  private readonly loaded = new Map<string, Promise<WorkingCalendar>>();
  constructor(private readonly ctx: RecordContext) {}
  get(id: string): Promise<WorkingCalendar> {
    let c = this.loaded.get(id);
    if (!c) {
      c = loadCalendar(this.ctx, id);
      this.loaded.set(id, c);
    }
    return c;
  }
}
