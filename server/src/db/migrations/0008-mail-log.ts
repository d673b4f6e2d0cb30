import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/** Every e-mail Kontor sends (reminders, form links, process steps), with what became of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('mail_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('to_address', t.text, (c) => c.notNull())
    .addColumn('subject', t.text, (c) => c.notNull())
    .addColumn('text_body', t.text, (c) => c.notNull())
    .addColumn('html_body', t.text)
    // queued, sent, not_sent (no SMTP server configured), failed (parked after retries)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', t.text)
    .addColumn('sent_at', t.timestamp)
    .addColumn('message_id', t.text)
    .addColumn('related_object', t.text)
    .addColumn('related_id', t.text)
    .execute();
  await db.schema.createIndex('mail_log_created').on('mail_log').column('created_at').execute();
  await db.schema
    .createIndex('mail_log_related')
    .on('mail_log')
    .columns(['related_object', 'related_id'])
    .execute();
}
