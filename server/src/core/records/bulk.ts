import { sql } from 'kysely';
import type { RecordContext } from '../kontor';
import { ftsTable } from '../metadata/schema';

const CHUNK = 500;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Writes what an import gathered: audit entries, outbox events and search text, many rows a statement. */
export async function flushBulk(ctx: RecordContext) {
  const bulk = ctx.pending.bulk;
  if (!bulk) return;
  for (const part of chunks(bulk.audit.splice(0)))
    await ctx.db.insertInto('audit_log').values(part).execute();
  for (const part of chunks(bulk.outbox.splice(0)))
    await ctx.db.insertInto('outbox_events').values(part).execute();
  for (const [name, byId] of bulk.search) {
    const object = ctx.k.meta.get(name);
    const entries = [...byId].map(([id, body]) => ({ id, body }));
    for (const part of chunks(entries)) {
      const values = sql.join(part.map((e) => sql`(${e.id}, ${e.body})`));
      if (ctx.k.database.dialect === 'postgres') {
        await sql`update ${sql.table(object.table)} as t set search_vector = to_tsvector('simple', v.body)
                  from (values ${values}) as v(id, body) where t.id = v.id`.execute(ctx.db);
      } else {
        await sql`with v(id, body) as (values ${values})
                  insert into ${sql.table(ftsTable(object.table))} (rowid, body)
                  select t.rowid, v.body from v join ${sql.table(object.table)} as t on t.id = v.id`.execute(
          ctx.db,
        );
      }
    }
  }
  bulk.search.clear();
}
