import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { writeAudit } from '../audit/audit-log';
import { isoNow } from '../clock';
import { AppError, validationError, parseInput } from '../errors';
import { isId } from '../ids';
import type { RecordContext } from '../kontor';
import { canWriteField, scopeCondition } from '../permissions/scope';
import type { ApiRecord } from './hooks';
import { loadRecord } from './read';
import { flushRollups, markRollups } from './rollups';
import { updateRecord, writeVersioned } from './write';

const mergeSchema = z.strictObject({
  survivor_id: z.string().refine(isId, 'must be a record id (UUID)'),
  merged_ids: z
    .array(z.string().refine(isId, 'must be a record id (UUID)'))
    .min(1, 'name at least one record to merge into the survivor')
    .max(20),
  /** Field values the survivor takes (chosen from the merged records, or new). */
  values: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Merges duplicates into one survivor: it takes the chosen values; records that pointed at the
 * others (and their activities and tasks) point at it; the others are soft-deleted with
 * merged_into_id set, so their history stays reachable from the survivor's timeline.
 */
export async function mergeRecords(ctx: RecordContext, objectName: string, input: unknown) {
  const parsed = { data: parseInput(mergeSchema, input) };
  const object = ctx.k.meta.get(objectName);
  const survivorId = parsed.data.survivor_id.toLowerCase();
  const mergedIds = [...new Set(parsed.data.merged_ids.map((id) => id.toLowerCase()))];
  if (mergedIds.includes(survivorId)) {
    throw validationError([{ path: 'merged_ids', message: 'must not include the survivor' }]);
  }
  const survivor = await loadRecord(ctx, object, survivorId, { action: 'update' });
  const merged: ApiRecord[] = [];
  for (const id of mergedIds)
    merged.push(await loadRecord(ctx, object, id, { action: 'delete', raw: true }));

  // Everything that points at the merged records now points at the survivor.
  const moves: { object: string; field: string; ids: string[] }[] = [];
  for (const { object: other, field } of ctx.k.meta.reverseRelations(object.name)) {
    const rows = (await ctx.db
      .selectFrom(other.table)
      .select('id')
      .where(field.column, 'in', mergedIds)
      .where('deleted_at', 'is', null)
      .execute()) as { id: string }[];
    if (rows.length)
      moves.push({ object: other.name, field: field.name, ids: rows.map((r) => r.id) });
  }
  for (const name of ['activities', 'tasks']) {
    if (!ctx.k.meta.find(name)) continue;
    const rows = (await ctx.db
      .selectFrom(name)
      .select('id')
      .where(sql<SqlBool>`related_object = ${object.name} and deleted_at is null`)
      .where('related_id', 'in', mergedIds)
      .execute()) as { id: string }[];
    if (rows.length) moves.push({ object: name, field: 'related_id', ids: rows.map((r) => r.id) });
  }
  for (const m of moves) {
    const other = ctx.k.meta.get(m.object);
    const scope = scopeCondition(ctx.actor, other, 'update');
    const reachable = scope
      ? Number(
          (
            await ctx.db
              .selectFrom(other.table)
              .select(sql<number>`count(*)`.as('n'))
              .where('id', 'in', m.ids)
              .where(scope)
              .executeTakeFirstOrThrow()
          ).n,
        )
      : m.ids.length;
    if (reachable < m.ids.length || !canWriteField(ctx.actor, other, m.field)) {
      throw new AppError(
        'conflict',
        `The merge would change ${m.ids.length} ${m.object} you may not change`,
        [
          {
            path: `${m.object}.${m.field}`,
            message: 'records you may not change point at a merged record',
          },
        ],
      );
    }
  }

  if (Object.keys(parsed.data.values).length) {
    await updateRecord(ctx, object.name, survivorId, parsed.data.values, {
      expectedVersion: survivor.version,
    });
  }
  for (const m of moves) {
    // Only a read-only link is written as the system: any other goes through its object's
    // rules, so a confirmed document's line refuses to change its product (409).
    const system = ctx.k.meta.get(m.object).field(m.field)?.readOnly === true;
    for (const id of m.ids) {
      await updateRecord(
        ctx,
        m.object,
        id,
        { [m.field]: survivorId },
        { skipScope: true, options: { system } },
      );
    }
  }
  const now = isoNow(ctx.k.clock);
  for (const rec of merged) {
    await writeVersioned(ctx, object, rec, { deleted_at: now, merged_into_id: survivorId });
    markRollups(ctx, object, rec, null);
    // A merged record is deleted: the rules that guard a delete (stock on hand) hold here too.
    const gone = await loadRecord(ctx, object, rec.id, { includeDeleted: true });
    for (const h of ctx.k.hooksFor(object.name))
      await h.afterWrite?.(ctx, { action: 'delete', object, before: rec, after: gone });
    await writeAudit(ctx, {
      object: object.name,
      recordId: rec.id,
      action: 'merge',
      changes: { merged_into_id: [null, survivorId] },
    });
  }
  await writeAudit(ctx, {
    object: object.name,
    recordId: survivorId,
    action: 'merge',
    changes: { merged_ids: [[], mergedIds] },
  });
  await flushRollups(ctx);
  const survivorNow = await loadRecord(ctx, object, survivorId);
  return {
    survivor: survivorNow,
    merged_ids: mergedIds,
    moved: moves.map((m) => ({ object: m.object, field: m.field, count: m.ids.length })),
  };
}
