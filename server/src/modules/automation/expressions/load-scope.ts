import { isoNow } from '../../../core/clock';
import { AppError } from '../../../core/errors';
import { isId } from '../../../core/ids';
import type { RecordContext } from '../../../core/kontor';
import type { ObjectMeta } from '../../../core/metadata/types';
import { loadRecord } from '../../../core/records/read';
import type { Scope } from './evaluate';
import { nextOn, resolveStep, USER_FIELDS } from './paths';

type Data = Record<string, unknown>;

/**
 * Loads the records the paths need, following relation fields, as `ctx.actor` may read them:
 * each through the records engine's loadRecord, so the actor's record scope and field access
 * apply. A related record the actor may not read (or that is deleted) is left empty. The roots
 * must be readable; otherwise the engine's not-found or forbidden error is thrown. The scope's
 * `now` is the context's clock.
 */
export async function loadScope(
  ctx: RecordContext,
  roots: Record<string, { object: string; id: string }>,
  paths: string[][],
): Promise<Scope> {
  const meta = ctx.k.meta;
  const cache = new Map<string, Promise<Data | null>>();
  const scope: Scope = { now: isoNow(ctx.k.clock) };

  const related = (target: string, id: string): Promise<Data | null> => {
    const key = `${target}:${id}`;
    let found = cache.get(key);
    if (!found) {
      found = target === 'users' ? loadUser(ctx, id) : loadRelated(ctx, meta.get(target), id);
      cache.set(key, found);
    }
    return found;
  };

  const rootObjects: Record<string, ObjectMeta> = {};
  for (const [name, { object, id }] of Object.entries(roots)) {
    if (object === 'users') {
      scope[name] = await loadUser(ctx, id);
      continue;
    }
    const om = meta.get(object);
    rootObjects[name] = om;
    const record = { ...(await loadRecord(ctx, om, id)) } as Data;
    cache.set(`${om.name}:${String(record.id)}`, Promise.resolve(record));
    scope[name] = record;
  }

  for (const path of paths) {
    const rootObject = rootObjects[path[0]];
    if (!rootObject) continue;
    let data = scope[path[0]] as Data;
    let on: ObjectMeta | 'users' | 'money' | undefined = rootObject;
    for (let i = 1; i < path.length && on && on !== 'users' && on !== 'money'; i++) {
      const step = resolveStep(meta, on, path[i], i === path.length - 1);
      if (step.kind !== 'follow') break;
      const current = data[step.key];
      if (current !== null && typeof current === 'object') {
        data = current as Data;
        on = nextOn(meta, step);
        continue;
      }
      const id = data[step.field.name];
      const record = typeof id === 'string' ? await related(step.target, id) : null;
      // A relation named without `_id` keeps its id where the record could not be read.
      if (record || step.key !== step.field.name) data[step.key] = record;
      if (!record) break;
      data = record;
      on = nextOn(meta, step);
    }
  }
  return scope;
}

async function loadRelated(ctx: RecordContext, object: ObjectMeta, id: string) {
  try {
    return { ...(await loadRecord(ctx, object, id)) } as Data;
  } catch (e) {
    if (e instanceof AppError && ['not_found', 'forbidden', 'validation'].includes(e.code))
      return null;
    throw e;
  }
}

async function loadUser(ctx: RecordContext, id: string): Promise<Data | null> {
  if (!isId(id)) return null;
  const row = await ctx.db
    .selectFrom('users')
    .select(USER_FIELDS as never[])
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst();
  return row ? { ...(row as Data) } : null;
}
