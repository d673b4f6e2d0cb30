import { z } from 'zod';
import { AppError, parseInput, validationError } from '../../core/errors';
import { isId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import type { ApiRecord, RecordHooks } from '../../core/records/hooks';
import { loadRecord } from '../../core/records/read';
import { createRecord } from '../../core/records/write';
import { shiftInZone, userZone } from './zones';

/** A template names the object it is for, if any, by its API name. */
export const templateRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    const target = e.values.applies_to;
    if (typeof target === 'string' && !ctx.k.meta.find(target)) {
      throw validationError([{ path: 'applies_to', message: `no object named "${target}"` }]);
    }
  },
};

/** A template task waits only for another task of the same template, never in a circle. */
export const templateItemRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.values.depends_on_item_id === undefined && e.values.template_id === undefined) return;
    const dependsOn = (e.values.depends_on_item_id ?? e.before?.depends_on_item_id) as
      string | null;
    if (!dependsOn) return;
    const templateId = (e.values.template_id ?? e.before?.template_id) as string | null;
    if (dependsOn === e.before?.id)
      throw validationError([{ path: 'depends_on_item_id', message: 'cannot wait for itself' }]);
    const seen = new Set<string>();
    let cursor: string | null = dependsOn;
    let first = true;
    while (cursor && !seen.has(cursor)) {
      seen.add(cursor);
      const row = (await ctx.db
        .selectFrom('task_template_items')
        .select(['id', 'template_id', 'depends_on_item_id'])
        .where('id', '=', cursor)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()) as
        { id: string; template_id: string | null; depends_on_item_id: string | null } | undefined;
      if (!row) break;
      if (first && row.template_id !== templateId) {
        throw validationError([
          { path: 'depends_on_item_id', message: 'must be a task of the same template' },
        ]);
      }
      first = false;
      if (row.depends_on_item_id && row.depends_on_item_id === e.before?.id) {
        throw validationError([
          { path: 'depends_on_item_id', message: 'would close a cycle of template tasks' },
        ]);
      }
      cursor = row.depends_on_item_id;
    }
  },
};

export interface ApplyOptions {
  /** Offsets count from here (an ISO instant or a Date); now when absent. */
  startAt?: string | Date;
}

interface ItemRow {
  id: string;
  title: string;
  description: string | null;
  offset_days: number | null;
  offset_hours: number | null;
  assignee_id: string | null;
  queue_id: string | null;
  priority: string | null;
  depends_on_item_id: string | null;
}

/**
 * Creates a template's tasks on a record in the caller's transaction: related to the record, due
 * at their offsets from the start (days on the assignee's wall clock), waiting for one another as
 * the template says. Returns the tasks as created. Process steps call this too.
 */
export async function applyTaskTemplate(
  ctx: RecordContext,
  templateId: string,
  target: { object: string; id: string },
  opts: ApplyOptions = {},
): Promise<ApiRecord[]> {
  const template = await loadRecord(ctx, ctx.k.meta.get('task_templates'), templateId);
  const object = ctx.k.meta.find(target.object);
  if (!object)
    throw validationError([{ path: 'object', message: `no object named "${target.object}"` }]);
  if (template.applies_to && template.applies_to !== object.name) {
    throw validationError([
      { path: 'object', message: `this template applies to ${String(template.applies_to)}` },
    ]);
  }
  if (!isId(target.id))
    throw validationError([{ path: 'id', message: 'must be a record id (UUID)' }]);
  const record = await loadRecord(ctx, object, target.id).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'not_found')
      throw validationError([
        { path: 'id', message: `no ${object.labelSingular.toLowerCase()} with id ${target.id}` },
      ]);
    throw err;
  });
  const start = opts.startAt === undefined ? ctx.k.clock.now() : new Date(opts.startAt);
  if (Number.isNaN(start.getTime()))
    throw validationError([{ path: 'start_at', message: 'must be an ISO date and time' }]);

  const items = (await ctx.db
    .selectFrom('task_template_items')
    .select([
      'id',
      'title',
      'description',
      'offset_days',
      'offset_hours',
      'assignee_id',
      'queue_id',
      'priority',
      'depends_on_item_id',
    ])
    .where('template_id', '=', template.id)
    .where('deleted_at', 'is', null)
    .orderBy('position')
    .orderBy('id')
    .execute()) as ItemRow[];
  if (items.length === 0)
    throw validationError([{ path: 'id', message: 'the template has no tasks' }], 'Empty template');

  const taskOf = new Map<string, string>();
  for (const item of items) {
    const timed = item.offset_days !== null || item.offset_hours !== null;
    const zone = await userZone(ctx, item.assignee_id);
    const task = await createRecord(ctx, 'tasks', {
      title: item.title,
      description: item.description,
      assignee_id: item.assignee_id,
      queue_id: item.queue_id,
      priority: item.priority,
      due_at: timed
        ? shiftInZone(start, zone, {
            days: item.offset_days,
            hours: item.offset_hours,
          }).toISOString()
        : null,
      related_object: object.name,
      related_id: record.id,
      ...(object.name === 'projects' ? { project_id: record.id } : {}),
    });
    taskOf.set(item.id, task.id);
  }
  for (const item of items) {
    const on = item.depends_on_item_id && taskOf.get(item.depends_on_item_id);
    if (!on) continue;
    await createRecord(ctx, 'task_dependencies', {
      task_id: taskOf.get(item.id),
      depends_on_id: on,
    });
  }
  const tasks = ctx.k.meta.get('tasks');
  const created: ApiRecord[] = [];
  for (const id of taskOf.values()) created.push(await loadRecord(ctx, tasks, id));
  return created;
}

const applySchema = z.strictObject({
  object: z.string().min(1, 'is required'),
  id: z.string().min(1, 'is required'),
  start_at: z.iso.datetime({ offset: true }).optional(),
});

/** The body of `POST /api/v1/task_templates/{id}/apply`, checked. */
export function parseApplyBody(body: unknown) {
  return parseInput(applySchema, body ?? {});
}
