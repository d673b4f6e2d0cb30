import type { RecordContext } from '../../core/kontor';
import { createRecord } from '../../core/records/write';

/**
 * Office hours every installation starts with, in UTC because Kontor has no company-wide time
 * zone; an administrator sets the zone the office is in.
 */
export async function seedSla(ctx: RecordContext) {
  const table = ctx.k.meta.get('calendars').table;
  if (await ctx.db.selectFrom(table).select('id').limit(1).executeTakeFirst()) return;
  await createRecord(ctx, 'calendars', {
    name: 'Office hours',
    time_zone: 'UTC',
    working_hours: 'mon-fri 09:00-17:00',
  });
}
