import { sql, type SqlBool } from 'kysely';
import { validationError } from '../../core/errors';
import type { RecordHooks, WriteEvent } from '../../core/records/hooks';

function valueOf(e: WriteEvent, field: string): unknown {
  return e.values[field] !== undefined ? e.values[field] : e.before?.[field];
}

/**
 * Relations a record of a task's part (a checklist item, a watcher) cannot do without. They are
 * not `required` in metadata so that deleting the task may clear them (and restoring it bring
 * them back); that clearing is a system write, the only one allowed to leave them empty.
 */
export function requiredLinks(...fields: string[]): RecordHooks {
  return {
    async beforeWrite(_ctx, e) {
      if (e.options.system && e.action === 'update') return;
      const missing = fields.filter((f) => valueOf(e, f) === null || valueOf(e, f) === undefined);
      if (missing.length)
        throw validationError(missing.map((path) => ({ path, message: 'is required' })));
    },
  };
}

/** At most one live record per pair (a user watches a task once). */
export function uniquePair(a: string, b: string, what: string): RecordHooks {
  return {
    async beforeWrite(ctx, e) {
      if (e.values[a] === undefined && e.values[b] === undefined) return;
      const va = valueOf(e, a);
      const vb = valueOf(e, b);
      if (!va || !vb) return;
      const twin = await ctx.db
        .selectFrom(e.object.table)
        .select('id')
        .where(sql<SqlBool>`${sql.ref(a)} = ${va} and ${sql.ref(b)} = ${vb}`)
        .where('deleted_at', 'is', null)
        .where('id', '!=', e.before?.id ?? '')
        .executeTakeFirst();
      if (twin) throw validationError([{ path: b, message: `${what} (${String(twin.id)})` }]);
    },
  };
}
