import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * Saved views of a table: a name, an owner, whether every reader of the object sees it, and
 * its columns, sort, filter and search (`config`, JSON). Views point at their object by id, so
 * renaming an object keeps them. Defaults: one row per object and user (`scope` = the user's
 * id) or per object for everyone (`scope` = '*', set by an administrator).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('sys_views')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('object_id', t.id, (c) => c.notNull().references('sys_objects.id'))
    .addColumn('owner_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('shared', t.boolean, (c) => c.notNull())
    .addColumn('config', t.json, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  // One name per owner and object, whatever its case.
  await sql`create unique index sys_views_owner_name on sys_views (object_id, owner_id, lower(name))`.execute(
    db,
  );
  await db.schema
    .createIndex('sys_views_object_shared')
    .on('sys_views')
    .columns(['object_id', 'shared'])
    .execute();

  await db.schema
    .createTable('sys_view_defaults')
    .addColumn('object_id', t.id, (c) => c.notNull().references('sys_objects.id'))
    .addColumn('scope', t.text, (c) => c.notNull())
    .addColumn('view_id', t.id, (c) => c.notNull().references('sys_views.id').onDelete('cascade'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('sys_view_defaults_pk', ['object_id', 'scope'])
    .execute();
  await db.schema
    .createIndex('sys_view_defaults_view')
    .on('sys_view_defaults')
    .column('view_id')
    .execute();
}
