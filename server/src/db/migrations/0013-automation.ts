import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/**
 * Business processes and their runs. A process's definition is kept per version and never
 * changed, so a run reads the version it started on. A run step is unique per run, step and visit:
 * a step job that runs again after a crash finds its step done and does nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('automation_processes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('description', t.text)
    .addColumn('enabled', t.boolean, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    // Copied from the current version so that an event finds its processes by index.
    .addColumn('trigger_type', t.text, (c) => c.notNull())
    .addColumn('trigger_object', t.text)
    .addColumn('webhook_token_hash', t.text)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.text)
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('automation_processes_trigger')
    .on('automation_processes')
    .columns(['trigger_object', 'trigger_type'])
    .where(sql.ref('enabled'), '=', dialect === 'postgres' ? sql`true` : sql`1`)
    .execute();

  await db.schema
    .createTable('automation_process_versions')
    .addColumn('process_id', t.id, (c) => c.notNull().references('automation_processes.id'))
    .addColumn('version', t.integer, (c) => c.notNull())
    .addColumn('definition', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('created_by', t.text)
    .addPrimaryKeyConstraint('automation_process_versions_pk', ['process_id', 'version'])
    .execute();

  await db.schema
    .createTable('automation_runs')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('process_id', t.id, (c) => c.notNull().references('automation_processes.id'))
    .addColumn('version', t.integer, (c) => c.notNull())
    // running, waiting, done, failed, stopped
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('object', t.text)
    .addColumn('record_id', t.text)
    .addColumn('event_id', t.text)
    .addColumn('event_type', t.text)
    // The runs whose changes led to this one, oldest first, this one last (loop detection).
    .addColumn('chain', t.text, (c) => c.notNull())
    // What the trigger carried and what steps produced, read by later steps.
    .addColumn('data', t.text, (c) => c.notNull())
    .addColumn('current_step', t.text)
    .addColumn('error', t.text)
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('automation_runs_process')
    .on('automation_runs')
    .columns(['process_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('automation_runs_record')
    .on('automation_runs')
    .columns(['record_id', 'started_at'])
    .execute();
  await db.schema
    .createIndex('automation_runs_status')
    .on('automation_runs')
    .columns(['status', 'started_at'])
    .execute();

  await db.schema
    .createTable('automation_run_steps')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('run_id', t.id, (c) => c.notNull().references('automation_runs.id'))
    .addColumn('step_id', t.text, (c) => c.notNull())
    .addColumn('step_type', t.text, (c) => c.notNull())
    .addColumn('visit', t.integer, (c) => c.notNull())
    // running, waiting, done, failed
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('input', t.text)
    .addColumn('output', t.text)
    .addColumn('error', t.text)
    .addColumn('attempts', t.integer, (c) => c.notNull())
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('automation_run_steps_visit')
    .on('automation_run_steps')
    .columns(['run_id', 'step_id', 'visit'])
    .unique()
    .execute();

  // What a waiting run waits on: a record to change (a condition), or tasks to be completed.
  await db.schema
    .createTable('automation_waits')
    .addColumn('run_id', t.id, (c) => c.notNull().references('automation_runs.id'))
    .addColumn('step_id', t.text, (c) => c.notNull())
    .addColumn('visit', t.integer, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('automation_waits_record')
    .on('automation_waits')
    .columns(['object', 'record_id'])
    .execute();
  await db.schema
    .createIndex('automation_waits_run')
    .on('automation_waits')
    .column('run_id')
    .execute();

  // Small counters a process keeps between runs (the round-robin position).
  await db.schema
    .createTable('automation_state')
    .addColumn('process_id', t.id, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('value', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('automation_state_pk', ['process_id', 'key'])
    .execute();
}
