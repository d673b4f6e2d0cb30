import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * Outbound webhooks: subscriptions (an object, event kinds, a target and its signing secret),
 * one delivery per matched event (the body it sends, kept so a replay sends the same), and every
 * attempt at a delivery with what the target answered.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('target_url', t.text, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    // a JSON array of event kinds: created, updated, deleted, restored
    .addColumn('events', t.json, (c) => c.notNull())
    .addColumn('enabled', t.boolean, (c) => c.notNull())
    // Kept as is (not hashed): every delivery is signed with it.
    .addColumn('secret', t.text, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('secret_rotated_at', t.timestamp)
    .execute();
  // Matching a batch of events reads the enabled subscriptions of their objects only.
  await db.schema
    .createIndex('webhook_subscriptions_object')
    .on('webhook_subscriptions')
    .columns(['object', 'enabled'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('subscription_id', t.id, (c) => c.notNull())
    .addColumn('event_id', t.id, (c) => c.notNull())
    .addColumn('event_type', t.text, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id, (c) => c.notNull())
    // The JSON body sent, built once, so retries and replays send the same event.
    .addColumn('body', t.json, (c) => c.notNull())
    // queued, delivered, failed (parked after its attempts, or refused)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('last_status_code', t.integer)
    .addColumn('last_error', t.text)
    .addColumn('replay_of', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_subscription')
    .on('webhook_deliveries')
    .columns(['subscription_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('delivery_id', t.id, (c) => c.notNull())
    .addColumn('attempt', t.integer, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('ok', t.boolean, (c) => c.notNull())
    .addColumn('status_code', t.integer)
    .addColumn('duration_ms', t.integer, (c) => c.notNull())
    // The start of the target's answer, or why there was none.
    .addColumn('response_body', t.text)
    .addColumn('error', t.text)
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'attempt'])
    .execute();
}
