import { sql, type SqlBool } from 'kysely';
import { validationError } from '../errors';
import { isId } from '../ids';
import { scopeCondition } from '../permissions/scope';
import type { RecordHooks } from './hooks';

/**
 * For objects that hang off any record (activities, tasks): `related_object` and `related_id`
 * go together and must name a record the actor can see.
 */
export const relatedRecordHook: RecordHooks = {
  async beforeWrite(ctx, e) {
    const v = e.values;
    if (v.related_object === undefined && v.related_id === undefined) return;
    const objectName = (
      v.related_object !== undefined ? v.related_object : e.before?.related_object
    ) as string | null;
    const id = (v.related_id !== undefined ? v.related_id : e.before?.related_id) as string | null;
    if (!objectName && !id) return;
    if (!objectName || !id) {
      throw validationError([
        {
          path: objectName ? 'related_id' : 'related_object',
          message: 'related_object and related_id go together',
        },
      ]);
    }
    const target = ctx.k.meta.find(objectName);
    if (!target)
      throw validationError([
        { path: 'related_object', message: `no object named "${objectName}"` },
      ]);
    if (!isId(id))
      throw validationError([{ path: 'related_id', message: 'must be a record id (UUID)' }]);
    const scope = scopeCondition(ctx.actor, target, 'read');
    const conds = [
      sql<SqlBool>`id = ${id}`,
      sql<SqlBool>`deleted_at is null`,
      ...(scope ? [scope] : []),
    ];
    const row = await ctx.db
      .selectFrom(target.table)
      .select('id')
      .where(sql<SqlBool>`${sql.join(conds, sql` and `)}`)
      .executeTakeFirst();
    if (!row)
      throw validationError([
        { path: 'related_id', message: `no ${target.labelSingular.toLowerCase()} with id ${id}` },
      ]);
  },
};
