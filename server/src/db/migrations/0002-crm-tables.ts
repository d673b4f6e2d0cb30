import type { Kysely } from 'kysely';
import { columnTypes } from '../column-types';
import type { DialectName } from '../database';

/** Deal stage history: one row per stay of a deal in a stage, for time-in-stage and cycle length. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('deal_stage_history')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('deal_id', t.id, (c) => c.notNull())
    .addColumn('pipeline_id', t.id, (c) => c.notNull())
    .addColumn('stage_id', t.id, (c) => c.notNull())
    .addColumn('entered_at', t.timestamp, (c) => c.notNull())
    .addColumn('exited_at', t.timestamp)
    .addColumn('entered_by', t.text)
    .execute();
  await db.schema
    .createIndex('deal_stage_history_deal')
    .on('deal_stage_history')
    .columns(['deal_id', 'entered_at'])
    .execute();
}
