import pg from 'pg';
import { expect, test } from 'vitest';
import { openDatabase } from '../../server/src/db/database';
import { migrateToLatest } from '../../server/src/db/migrate';
import { PG_URL, postgresReachable } from '../helpers';

test('on PostgreSQL, a Kontor in its own schema migrates there even when another schema holds one', async (ctx) => {
  if (!(await postgresReachable())) return ctx.skip();
  const other = `mig_other_${process.pid}`;
  const mine = `mig_mine_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`create schema ${other}`);
    await admin.query(
      `create table ${other}.sys_migrations (name text primary key, timestamp text)`,
    );
    await admin.query(`create schema ${mine}`);
    // Chosen as an operator would: through the connection's search_path, not a Kontor option.
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${mine}`;
    const database = await openDatabase({ databaseUrl: url, dataDir: '' });
    try {
      const applied = await migrateToLatest(database);
      expect(applied.length).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
    const tables = await admin.query(
      `select table_name from information_schema.tables where table_schema = $1`,
      [mine],
    );
    const names = tables.rows.map((r: { table_name: string }) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['sys_migrations', 'users', 'sys_objects']));
  } finally {
    await admin.query(`drop schema if exists ${other} cascade`);
    await admin.query(`drop schema if exists ${mine} cascade`);
    await admin.end();
  }
});
