import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * Stored files (photos from forms, attachments of records), form definitions, the one-time links
 * that let a person without a login fill a form for a task, and what was submitted.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('files')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    // Detected from the content, never taken from the upload's claim.
    .addColumn('mime', t.text, (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    // The content's address under <dataDir>/files/.
    .addColumn('sha256', t.text, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.text)
    .execute();
  await db.schema
    .createIndex('files_record')
    .on('files')
    .columns(['object', 'record_id'])
    .execute();

  await db.schema
    .createTable('forms')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    // task: filled through a link for one task; web: a public form on a website.
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    .addColumn('fields', t.json, (c) => c.notNull())
    .addColumn('allowed_origins', t.json, (c) => c.notNull())
    .addColumn('require_consent', t.boolean, (c) => c.notNull())
    .addColumn('consent_text', t.text)
    .addColumn('success_message', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.text)
    .addColumn('archived_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('form_links')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('form_id', t.id, (c) => c.notNull())
    .addColumn('task_id', t.id, (c) => c.notNull())
    // SHA-256 of the token; the token itself is only ever in the link.
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('recipient_name', t.text)
    .addColumn('recipient_email', t.text)
    // Zone in which the form's date-and-time inputs are read (the sender's).
    .addColumn('time_zone', t.text, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.text)
    .addColumn('mail_id', t.id)
    .addColumn('used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addColumn('revoked_by', t.text)
    .execute();
  await db.schema.createIndex('form_links_task').on('form_links').column('task_id').execute();

  await db.schema
    .createTable('form_submissions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('form_id', t.id, (c) => c.notNull())
    .addColumn('link_id', t.id)
    .addColumn('task_id', t.id)
    // The record the submission wrote to, created or matched (a deal, a lead, a contact).
    .addColumn('record_object', t.text)
    .addColumn('record_id', t.id)
    .addColumn('field_values', t.json, (c) => c.notNull())
    .addColumn('file_ids', t.json, (c) => c.notNull())
    .addColumn('consent_text', t.text)
    .addColumn('consent_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('form_submissions_form')
    .on('form_submissions')
    .columns(['form_id', 'created_at'])
    .execute();
}
