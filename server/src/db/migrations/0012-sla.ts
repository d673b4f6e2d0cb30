import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * SLA timers: one per policy and timed record, from start to fulfilment, breach or cancellation.
 * The policy's target and calendar are copied in, so editing a policy leaves running timers be.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('sla_timers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('policy_id', t.id, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id, (c) => c.notNull())
    .addColumn('calendar_id', t.id, (c) => c.notNull())
    .addColumn('target_minutes', t.integer, (c) => c.notNull())
    // running, fulfilled, breached (past due, not yet fulfilled), cancelled (record deleted)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('due_at', t.timestamp, (c) => c.notNull())
    .addColumn('breached_at', t.timestamp)
    .addColumn('stopped_at', t.timestamp)
    // Working minutes from start to fulfilment, fixed when the timer stops.
    .addColumn('working_minutes', t.integer)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sla_timers_record')
    .on('sla_timers')
    .columns(['object', 'record_id', 'status'])
    .execute();
  await db.schema
    .createIndex('sla_timers_policy_started')
    .on('sla_timers')
    .columns(['policy_id', 'started_at'])
    .execute();
}
