import { sql, type Expression, type SqlBool } from 'kysely';
import { AppError } from '../errors';
import type { RecordContext } from '../kontor';
import type { ObjectMeta } from '../metadata/types';
import { canReadField, scopeCondition } from '../permissions/scope';
import { grantFor } from '../permissions/grants';
import { loadRecord, recordColumns, rowToRecord } from './read';
import { normaliseDatetime } from '../metadata/field-types';
import { isId } from '../ids';

export interface TimelineItem {
  type: 'change' | 'activity' | 'task';
  id: string;
  at: string;
  [key: string]: unknown;
}

function cursorOf(item: TimelineItem) {
  return Buffer.from(JSON.stringify([item.at, item.id])).toString('base64url');
}

function parseCursor(raw: unknown): [string, string] | null {
  if (raw === undefined || raw === '') return null;
  try {
    const v = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      normaliseDatetime(v[0]) === v[0] &&
      isId(v[1])
    ) {
      return v as [string, string];
    }
  } catch {
    /* answered below */
  }
  throw new AppError('validation', 'Invalid cursor', [
    { path: 'cursor', message: 'must be a next_cursor value from an earlier page' },
  ]);
}

/**
 * What happened to a record, newest first: its changes from the audit log, and the activities
 * and tasks attached to it, each filtered by what the actor may read.
 */
export async function timeline(
  ctx: RecordContext,
  object: ObjectMeta,
  id: string,
  params: { limit?: unknown; cursor?: unknown },
) {
  await loadRecord(ctx, object, id, { includeDeleted: true });
  const limit =
    params.limit === undefined
      ? 50
      : typeof params.limit === 'string' && /^\d{1,3}$/.test(params.limit)
        ? Number(params.limit)
        : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new AppError('validation', 'Invalid limit', [
      { path: 'limit', message: 'must be a whole number from 1 to 200' },
    ]);
  }
  const cursor = parseCursor(params.cursor);
  const before = (atCol: string): Expression<SqlBool> =>
    cursor
      ? sql<SqlBool>`(${sql.ref(atCol)} < ${cursor[0]} or (${sql.ref(atCol)} = ${cursor[0]} and id < ${cursor[1]}))`
      : sql<SqlBool>`1 = 1`;

  const items: TimelineItem[] = [];
  // Records merged into this one keep their history; it shows here.
  const mergedIn = (await ctx.db
    .selectFrom(object.table)
    .select('id')
    .where('merged_into_id', '=', id)
    .execute()) as { id: string }[];
  const ids = [id, ...mergedIn.map((r) => r.id)];
  const audit = (await ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('record_id', 'in', ids)
    .where('object', '=', object.name)
    .where(before('at'))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute()) as {
    id: string;
    at: string;
    action: string;
    actor_type: string;
    actor_id: string | null;
    changes: string;
  }[];
  for (const a of audit) {
    const all = JSON.parse(a.changes) as Record<string, unknown>;
    // Only fields the reader may read; entries that are not fields (what a conversion or a delete
    // touched elsewhere) only for administrators.
    const changes = Object.fromEntries(
      Object.entries(all).filter(([f]) =>
        object.field(f) ? canReadField(ctx.actor, object, f) : ctx.actor.role.isAdmin,
      ),
    );
    items.push({
      type: 'change',
      id: a.id,
      at: a.at,
      action: a.action,
      actor_type: a.actor_type,
      actor_id: a.actor_id,
      changes,
    });
  }

  for (const [name, type, atField] of [
    ['activities', 'activity', 'occurred_at'],
    ['tasks', 'task', 'created_at'],
  ] as const) {
    const child = ctx.k.meta.find(name);
    if (!child || grantFor(ctx.actor.role, name).read === 'none') continue;
    const scope = scopeCondition(ctx.actor, child, 'read');
    const atExpr =
      name === 'activities' ? sql`coalesce(occurred_at, created_at)` : sql.ref('created_at');
    const cond = cursor
      ? sql<SqlBool>`(${atExpr} < ${cursor[0]} or (${atExpr} = ${cursor[0]} and id < ${cursor[1]}))`
      : sql<SqlBool>`1 = 1`;
    const rows = (await ctx.db
      .selectFrom(child.table)
      .select(recordColumns(child, ctx.k.database.dialect))
      .where(
        sql<SqlBool>`related_object = ${object.name} and related_id = ${id} and deleted_at is null`,
      )
      .where(scope ?? sql<SqlBool>`1 = 1`)
      .where(cond)
      .orderBy(atExpr, 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute()) as Record<string, unknown>[];
    for (const r of rows) {
      const rec = rowToRecord(child, r, ctx.actor);
      const at = String((atField === 'occurred_at' ? r.occurred_at : null) ?? r.created_at);
      items.push({ type, id: rec.id, at, record: rec });
    }
  }
  items.sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
  const page = items.slice(0, limit);
  return { data: page, next_cursor: items.length > limit ? cursorOf(page[page.length - 1]) : null };
}
