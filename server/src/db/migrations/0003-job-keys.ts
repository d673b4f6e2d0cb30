import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/** A job may carry a key that no other waiting or running job has (one housekeeping run at a time). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('jobs').addColumn('unique_key', t.text).execute();
  await db.schema
    .createIndex('jobs_unique_key')
    .on('jobs')
    .column('unique_key')
    .unique()
    .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
    .execute();
  await db.schema.createIndex('sessions_expiry').on('sessions').column('expires_at').execute();
  await db.schema
    .createIndex('idempotency_keys_age')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('outbox_events_processed')
    .on('outbox_events')
    .column('processed_at')
    .execute();
}
