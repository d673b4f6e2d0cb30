import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/** Metadata, people, access and the logs every record change writes to. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const s = db.schema;

  await s
    .createTable('sys_objects')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('api_name', t.text, (c) => c.notNull())
    .addColumn('table_name', t.text, (c) => c.notNull().unique())
    .addColumn('label_singular', t.text, (c) => c.notNull())
    .addColumn('label_plural', t.text, (c) => c.notNull())
    .addColumn('module', t.text, (c) => c.notNull())
    .addColumn('is_custom', t.boolean, (c) => c.notNull())
    .addColumn('title_field', t.text, (c) => c.notNull())
    .addColumn('options', t.json, (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await s
    .createIndex('sys_objects_api_name')
    .on('sys_objects')
    .column('api_name')
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  await s
    .createTable('sys_fields')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('object_id', t.id, (c) => c.notNull().references('sys_objects.id'))
    .addColumn('api_name', t.text, (c) => c.notNull())
    .addColumn('column_name', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('label', t.text, (c) => c.notNull())
    .addColumn('is_custom', t.boolean, (c) => c.notNull())
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('definition', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await s
    .createIndex('sys_fields_object_api_name')
    .on('sys_fields')
    .columns(['object_id', 'api_name'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  await s
    .createTable('teams')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull().unique())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await s
    .createTable('roles')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull().unique())
    .addColumn('is_admin', t.boolean, (c) => c.notNull())
    .addColumn('permissions', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await s
    .createTable('users')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('password_hash', t.text)
    .addColumn('role_id', t.id, (c) => c.notNull().references('roles.id'))
    .addColumn('team_id', t.id, (c) => c.references('teams.id'))
    .addColumn('manager_id', t.id, (c) => c.references('users.id'))
    .addColumn('title', t.text)
    .addColumn('phone', t.text)
    .addColumn('time_zone', t.text, (c) => c.notNull().defaultTo('UTC'))
    .addColumn('locale', t.text, (c) => c.notNull().defaultTo('en'))
    .addColumn('is_active', t.boolean, (c) => c.notNull())
    .addColumn('must_change_password', t.boolean, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('users_email_lower')
    .on('users')
    .expression(sql`lower(email)`)
    .unique()
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();

  await s
    .createTable('api_keys')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('prefix', t.text, (c) => c.notNull())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .execute();

  await s
    .createTable('audit_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('request_id', t.text)
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id, (c) => c.notNull())
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('changes', t.json, (c) => c.notNull())
    .execute();
  await s.createIndex('audit_log_record').on('audit_log').columns(['record_id', 'at']).execute();

  await s
    .createTable('outbox_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id, (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('processed_at', t.timestamp)
    .execute();
  await s
    .createIndex('outbox_events_pending')
    .on('outbox_events')
    .column('id')
    .where(sql.ref('processed_at'), 'is', null)
    .execute();

  await s
    .createTable('idempotency_keys')
    .addColumn('actor_id', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('method', t.text, (c) => c.notNull())
    .addColumn('path', t.text, (c) => c.notNull())
    .addColumn('request_hash', t.text, (c) => c.notNull())
    .addColumn('status_code', t.integer, (c) => c.notNull())
    .addColumn('response', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor_id', 'key'])
    .execute();

  await s
    .createTable('jobs')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('run_at', t.timestamp, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', t.integer, (c) => c.notNull())
    .addColumn('locked_by', t.text)
    .addColumn('locked_until', t.timestamp)
    .addColumn('last_error', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await s.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
}
