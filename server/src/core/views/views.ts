import { sql } from 'kysely';
import { boolFromDb, boolToDb } from '../../db/column-types';
import type { Actor } from '../actor';
import { isoNow } from '../clock';
import { AppError, validationError, type ErrorDetail } from '../errors';
import { isId, newId } from '../ids';
import type { RecordContext } from '../kontor';
import { fieldHandler } from '../metadata/field-types';
import type { ObjectMeta } from '../metadata/types';
import { assertCan, canReadField } from '../permissions/scope';
import { parseFilter } from '../query/filter';
import { parseSort } from '../query/sort';
import { isSearchable, searchCondition } from '../search/search-index';

/**
 * Saved views of a table: columns, sort, filter and search under a name. A view belongs to one
 * object and one owner; a shared one is seen by everyone who may read the object. Each user may
 * pick a default view per object; an administrator may pick one for everyone (the user's own
 * choice wins).
 *
 * A view is checked against the metadata and the owner's field access when it is written. When
 * it is read, anything that no longer resolves for the reader (a removed field, a field the
 * reader's role hides) is left out of the answer and named in `warnings`; the stored view is not
 * changed, so a field that comes back (or a reader who may see it) gets it again.
 */

export const MAX_COLUMNS = 50;
export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;
export const MAX_NAME = 100;
export const MAX_VIEWS_PER_OWNER = 200;
const MAX_Q = 200;
const MAX_CONFIG_CHARS = 20_000;
const MAX_FILTER_DEPTH = 8;
/** The defaults row that applies to everyone, beside one row per user. */
const SHARED_SCOPE = '*';

export interface ViewColumn {
  field: string;
  width?: number;
}

export interface ViewConfig {
  columns: ViewColumn[];
  /** The list endpoint's sort, like `-amount,name`; empty for its default. */
  sort: string;
  /** The list endpoint's `filter` object, as its query parser produces it from `filter[...]`. */
  filter: Record<string, unknown>;
  q: string;
}

const EMPTY_CONFIG: ViewConfig = { columns: [], sort: '', filter: {}, q: '' };
const CONFIG_KEYS = Object.keys(EMPTY_CONFIG);

interface ViewRow {
  id: string;
  object_id: string;
  owner_id: string;
  name: string;
  shared: unknown;
  config: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ApiView {
  id: string;
  object: string;
  name: string;
  owner_id: string;
  shared: boolean;
  config: ViewConfig;
  version: number;
  created_at: string;
  updated_at: string;
  /** Whether the reader may change or delete it. */
  can_edit: boolean;
  /** Parts of the stored view left out because they no longer resolve for this reader. */
  warnings: ErrorDetail[];
}

export interface ViewDefaults {
  object: string;
  /** The view that applies when the object's table opens: the user's own default, else the shared one. */
  default_view_id: string | null;
  my_default_view_id: string | null;
  shared_default_view_id: string | null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** The object's filter key (`name` or `amount.currency`) resolves to a field the actor may read. */
function fieldKeyResolves(object: ObjectMeta, actor: Actor, key: string): boolean {
  const [name, sub, ...rest] = key.split('.');
  const field = object.field(name);
  if (!field || rest.length || sub === '' || !canReadField(actor, object, name)) return false;
  return !!fieldHandler(field.type).column(field, sub);
}

function withPrefix(err: unknown, prefix: string): ErrorDetail[] {
  if (err instanceof AppError && err.code === 'validation') {
    return (err.errors.length ? err.errors : [{ path: '', message: err.message }]).map((e) => ({
      path: e.path ? `${prefix}.${e.path}` : prefix,
      message: e.message,
    }));
  }
  throw err;
}

function filterDepth(v: unknown, depth = 0): number {
  if (depth > MAX_FILTER_DEPTH) return depth;
  if (!v || typeof v !== 'object') return depth;
  let max = depth;
  for (const child of Object.values(v)) max = Math.max(max, filterDepth(child, depth + 1));
  return max;
}

/**
 * Checks the given parts of a view's config against the object and what the actor may read,
 * collecting every problem with its path; returns them normalised.
 */
export function checkConfig(
  ctx: RecordContext,
  object: ObjectMeta,
  raw: unknown,
  errors: ErrorDetail[],
): Partial<ViewConfig> {
  const out: Partial<ViewConfig> = {};
  if (!isPlainObject(raw)) {
    errors.push({ path: 'config', message: 'must be an object of columns, sort, filter and q' });
    return out;
  }
  for (const key of Object.keys(raw)) {
    if (!CONFIG_KEYS.includes(key))
      errors.push({
        path: `config.${key}`,
        message: 'unknown key; use columns, sort, filter or q',
      });
  }
  if (JSON.stringify(raw).length > MAX_CONFIG_CHARS) {
    errors.push({ path: 'config', message: `must be at most ${MAX_CONFIG_CHARS} characters` });
    return out;
  }

  if (raw.columns !== undefined) {
    const cols = raw.columns;
    if (!Array.isArray(cols)) {
      errors.push({ path: 'config.columns', message: 'must be a list of {field, width}' });
    } else if (cols.length > MAX_COLUMNS) {
      errors.push({ path: 'config.columns', message: `must have at most ${MAX_COLUMNS} columns` });
    } else {
      const seen = new Set<string>();
      const columns: ViewColumn[] = [];
      cols.forEach((c: unknown, i) => {
        const path = `config.columns[${i}]`;
        if (!isPlainObject(c)) {
          errors.push({ path, message: 'must be {field, width}' });
          return;
        }
        for (const key of Object.keys(c))
          if (key !== 'field' && key !== 'width')
            errors.push({ path: `${path}.${key}`, message: 'unknown key; use field or width' });
        const field = c.field;
        if (typeof field !== 'string' || !object.field(field)) {
          errors.push({
            path: `${path}.field`,
            message: `no field "${String(field)}" on ${object.name}`,
          });
          return;
        }
        if (!canReadField(ctx.actor, object, field)) {
          // Said the same way as an unknown field, as the list endpoint does.
          errors.push({ path: `${path}.field`, message: `no field "${field}" on ${object.name}` });
          return;
        }
        if (seen.has(field)) {
          errors.push({ path: `${path}.field`, message: `"${field}" is already a column` });
          return;
        }
        seen.add(field);
        const width = c.width;
        if (width !== undefined && width !== null) {
          if (
            typeof width !== 'number' ||
            !Number.isInteger(width) ||
            width < MIN_WIDTH ||
            width > MAX_WIDTH
          ) {
            errors.push({
              path: `${path}.width`,
              message: `must be a whole number of pixels from ${MIN_WIDTH} to ${MAX_WIDTH}`,
            });
            return;
          }
          columns.push({ field, width });
        } else {
          columns.push({ field });
        }
      });
      out.columns = columns;
    }
  }

  if (raw.sort !== undefined) {
    if (typeof raw.sort !== 'string') {
      errors.push({ path: 'config.sort', message: 'must be a text like -amount,name' });
    } else if (raw.sort !== '') {
      try {
        parseSort(raw.sort, object, ctx.actor);
        out.sort = raw.sort;
      } catch (err) {
        errors.push(...withPrefix(err, 'config'));
      }
    } else {
      out.sort = '';
    }
  }

  if (raw.filter !== undefined) {
    if (!isPlainObject(raw.filter)) {
      errors.push({
        path: 'config.filter',
        message: 'must be an object like {"country": {"eq": "Germany"}}',
      });
    } else if (filterDepth(raw.filter) > MAX_FILTER_DEPTH) {
      errors.push({
        path: 'config.filter',
        message: `must nest at most ${MAX_FILTER_DEPTH} levels`,
      });
    } else {
      try {
        parseFilter(
          raw.filter,
          object,
          ctx.actor,
          ctx.k.database.dialect,
          ctx.k.settings.phoneRegion,
        );
        out.filter = raw.filter;
      } catch (err) {
        errors.push(...withPrefix(err, 'config'));
      }
    }
  }

  if (raw.q !== undefined) {
    if (typeof raw.q !== 'string' || raw.q.length > MAX_Q || raw.q.includes('\u0000')) {
      errors.push({
        path: 'config.q',
        message: `must be a text of at most ${MAX_Q} characters`,
      });
    } else if (raw.q.trim() !== '') {
      try {
        searchCondition(ctx.k.database.dialect, object, raw.q);
        out.q = raw.q;
      } catch (err) {
        errors.push(...withPrefix(err, 'config'));
      }
    } else {
      out.q = '';
    }
  }
  return out;
}

function checkName(raw: unknown, errors: ErrorDetail[]): string | undefined {
  if (typeof raw !== 'string') {
    errors.push({ path: 'name', message: 'is required, as text' });
    return undefined;
  }
  const name = raw.normalize('NFC').trim();
  if (!name) errors.push({ path: 'name', message: 'must not be empty' });
  else if (name.length > MAX_NAME)
    errors.push({ path: 'name', message: `must be at most ${MAX_NAME} characters` });
  else if (CONTROL.test(name))
    errors.push({ path: 'name', message: 'must not contain control or direction characters' });
  else return name;
  return undefined;
}

/** The view's filter without conditions on fields that do not resolve; dropped keys are named. */
function sanitiseFilter(
  object: ObjectMeta,
  actor: Actor,
  group: Record<string, unknown>,
  path: string,
  warnings: ErrorDetail[],
  check?: ConditionCheck,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group)) {
    const here = `${path}[${key}]`;
    if (key === 'and' || key === 'or') {
      const list = Array.isArray(value)
        ? value.map((g, i) => [String(i), g] as const)
        : isPlainObject(value)
          ? Object.entries(value)
          : [];
      const kept: [string, Record<string, unknown>][] = [];
      for (const [i, g] of list) {
        if (!isPlainObject(g)) continue;
        const clean = sanitiseFilter(object, actor, g, `${here}[${i}]`, warnings, check);
        if (Object.keys(clean).length) kept.push([i, clean]);
      }
      if (!kept.length) continue;
      out[key] = Array.isArray(value)
        ? kept.map(([, g]) => g)
        : Object.fromEntries(kept.map(([, g], i) => [String(i), g]));
      continue;
    }
    if (!fieldKeyResolves(object, actor, key)) {
      warnings.push({ path: here, message: `no field "${key}" on ${object.name}; left out` });
      continue;
    }
    // The field is there, but may have changed since the view was saved (an option removed,
    // another type): a condition the list would now refuse is left out, not sent.
    const problem = check?.({ [key]: value });
    if (problem)
      warnings.push({ path: `${here}${problem.path}`, message: `${problem.message}; left out` });
    else out[key] = value;
  }
  return out;
}

/** Whether one condition still parses; the first problem, its path relative to the field. */
type ConditionCheck = (condition: Record<string, unknown>) => ErrorDetail | undefined;

function conditionCheck(ctx: RecordContext, object: ObjectMeta): ConditionCheck {
  return (condition) => {
    try {
      parseFilter(condition, object, ctx.actor, ctx.k.database.dialect, ctx.k.settings.phoneRegion);
      return undefined;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const first = err.errors[0] ?? { path: '', message: err.message };
      const key = Object.keys(condition)[0];
      // The parser names `filter[field][op]`; the view's warning names the part below the field.
      const path = first.path.replace(/^filter/, '').replace(`[${key}]`, '');
      return { path, message: first.message };
    }
  };
}

/** The stored config as it applies for a reader now, with what had to be left out. */
export function resolveConfig(
  object: ObjectMeta,
  actor: Actor,
  stored: ViewConfig,
  check?: ConditionCheck,
): { config: ViewConfig; warnings: ErrorDetail[] } {
  const warnings: ErrorDetail[] = [];
  const columns: ViewColumn[] = [];
  stored.columns.forEach((c, i) => {
    if (object.field(c.field) && canReadField(actor, object, c.field)) columns.push(c);
    else
      warnings.push({
        path: `config.columns[${i}]`,
        message: `no field "${c.field}" on ${object.name}; left out`,
      });
  });
  const keys = stored.sort ? stored.sort.split(',') : [];
  const sortKeys = keys.filter((k) => {
    const spec = k.startsWith('-') ? k.slice(1) : k;
    const ok = fieldKeyResolves(object, actor, spec);
    if (!ok)
      warnings.push({
        path: 'config.sort',
        message: `no field "${spec}" on ${object.name}; left out`,
      });
    return ok;
  });
  const filter = sanitiseFilter(object, actor, stored.filter, 'config.filter', warnings, check);
  const q = stored.q && isSearchable(object) ? stored.q : '';
  if (stored.q && !q)
    warnings.push({
      path: 'config.q',
      message: `${object.name} has no searchable fields; left out`,
    });
  return { config: { columns, sort: sortKeys.join(','), filter, q }, warnings };
}

function canEdit(actor: Actor, row: ViewRow): boolean {
  if (row.owner_id === actor.userId) return true;
  return boolFromDb(row.shared) && actor.role.isAdmin;
}

function isVisible(actor: Actor, row: ViewRow): boolean {
  return row.owner_id === actor.userId || boolFromDb(row.shared);
}

function toApi(ctx: RecordContext, object: ObjectMeta, row: ViewRow): ApiView {
  const actor = ctx.actor;
  const stored = { ...EMPTY_CONFIG, ...(JSON.parse(row.config) as Partial<ViewConfig>) };
  const { config, warnings } = resolveConfig(object, actor, stored, conditionCheck(ctx, object));
  return {
    id: row.id,
    object: object.name,
    name: row.name,
    owner_id: row.owner_id,
    shared: boolFromDb(row.shared),
    config,
    version: row.version,
    created_at: row.created_at,
    updated_at: row.updated_at,
    can_edit: canEdit(actor, row),
    warnings,
  };
}

function requireUser(actor: Actor): string {
  if (!actor.userId) throw new AppError('forbidden', 'Views belong to users; act as a user');
  return actor.userId;
}

/** The object a view is for, by name; the reader must be allowed to read its records. */
function objectFor(ctx: RecordContext, name: unknown, path = 'object'): ObjectMeta {
  if (typeof name !== 'string' || !name) {
    throw validationError([{ path, message: 'is required: the name of an object, like deals' }]);
  }
  const object = ctx.k.meta.find(name);
  if (!object)
    throw new AppError('not_found', `Unknown object "${name}"`, [
      { path, message: `no object named "${name}"` },
    ]);
  assertCan(ctx.actor, object, 'read');
  return object;
}

function viewNotFound(id: string) {
  return new AppError('not_found', 'View not found', [
    { path: 'id', message: `no view "${id.slice(0, 60)}"` },
  ]);
}

/** A view the actor may see, with its object; 404 for others' personal views. */
async function loadRow(
  ctx: RecordContext,
  id: string,
): Promise<{ row: ViewRow; object: ObjectMeta }> {
  requireUser(ctx.actor);
  if (!isId(id)) throw viewNotFound(id);
  const row = (await ctx.db
    .selectFrom('sys_views')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as ViewRow | undefined;
  if (!row || !isVisible(ctx.actor, row)) throw viewNotFound(id);
  const object = ctx.k.meta.all().find((o) => o.id === row.object_id);
  if (!object) throw viewNotFound(id);
  try {
    assertCan(ctx.actor, object, 'read');
  } catch {
    throw viewNotFound(id);
  }
  return { row, object };
}

async function assertNameFree(
  ctx: RecordContext,
  objectId: string,
  ownerId: string,
  name: string,
  exceptId?: string,
) {
  let q = ctx.db
    .selectFrom('sys_views')
    .select('id')
    .where('object_id', '=', objectId)
    .where('owner_id', '=', ownerId)
    .where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) {
    throw new AppError('conflict', `A view named "${name}" exists`, [
      { path: 'name', message: 'is taken by another of your views of this object' },
    ]);
  }
}

async function sharedOnlyByAdmin(actor: Actor, shared: unknown, errors: ErrorDetail[]) {
  if (shared !== undefined && typeof shared !== 'boolean') {
    errors.push({ path: 'shared', message: 'must be true or false' });
    return;
  }
  if (shared === true && !actor.role.isAdmin)
    throw new AppError('forbidden', 'Only administrators may share views with everyone');
}

function rejectUnknownKeys(body: Record<string, unknown>, allowed: string[]) {
  const extra = Object.keys(body).filter((key) => !allowed.includes(key));
  if (extra.length)
    throw validationError(extra.map((key) => ({ path: key, message: 'unknown key' })));
}

export async function listViews(
  ctx: RecordContext,
  objectName: unknown,
): Promise<{ data: ApiView[]; defaults: ViewDefaults; next_cursor: null }> {
  const userId = requireUser(ctx.actor);
  const object = objectFor(ctx, objectName);
  const rows = (await ctx.db
    .selectFrom('sys_views')
    .selectAll()
    .where('object_id', '=', object.id)
    .where((eb) =>
      eb.or([
        eb('owner_id', '=', userId),
        eb('shared', '=', boolToDb(ctx.k.database.dialect, true)),
      ]),
    )
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .execute()) as ViewRow[];
  return {
    data: rows.map((r) => toApi(ctx, object, r)),
    defaults: await defaultsFor(ctx, object),
    next_cursor: null,
  };
}

export async function getView(ctx: RecordContext, id: string): Promise<ApiView> {
  const { row, object } = await loadRow(ctx, id);
  return toApi(ctx, object, row);
}

export async function createView(ctx: RecordContext, body: unknown): Promise<ApiView> {
  const userId = requireUser(ctx.actor);
  if (!isPlainObject(body))
    throw validationError([{ path: 'body', message: 'must be {object, name, shared, config}' }]);
  rejectUnknownKeys(body, ['object', 'name', 'shared', 'config']);
  const errors: ErrorDetail[] = [];
  if (typeof body.object !== 'string' || !body.object) {
    throw validationError([{ path: 'object', message: 'is required: the name of an object' }]);
  }
  const object = ctx.k.meta.find(body.object);
  if (!object)
    throw validationError([{ path: 'object', message: `no object named "${body.object}"` }]);
  assertCan(ctx.actor, object, 'read');
  const name = checkName(body.name, errors);
  await sharedOnlyByAdmin(ctx.actor, body.shared, errors);
  const config = checkConfig(ctx, object, body.config ?? {}, errors);
  if (errors.length) throw validationError(errors);
  await assertNameFree(ctx, object.id, userId, name!);
  const count = await ctx.db
    .selectFrom('sys_views')
    .select(sql<number>`count(*)`.as('n'))
    .where('object_id', '=', object.id)
    .where('owner_id', '=', userId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_VIEWS_PER_OWNER) {
    throw new AppError('conflict', `You have ${MAX_VIEWS_PER_OWNER} views of ${object.name}`, [
      {
        path: 'name',
        message: `at most ${MAX_VIEWS_PER_OWNER} views per object; delete one first`,
      },
    ]);
  }
  const now = isoNow(ctx.k.clock);
  const row: ViewRow = {
    id: newId(),
    object_id: object.id,
    owner_id: userId,
    name: name!,
    shared: boolToDb(ctx.k.database.dialect, body.shared === true),
    config: JSON.stringify({ ...EMPTY_CONFIG, ...config }),
    version: 1,
    created_at: now,
    updated_at: now,
  };
  await ctx.db.insertInto('sys_views').values(row).execute();
  return toApi(ctx, object, row);
}

export async function updateView(
  ctx: RecordContext,
  id: string,
  body: unknown,
  headerVersion: number | undefined,
): Promise<ApiView> {
  const { row, object } = await loadRow(ctx, id);
  if (!isPlainObject(body))
    throw validationError([{ path: 'body', message: 'must be {name, shared, config, version}' }]);
  rejectUnknownKeys(body, ['name', 'shared', 'config', 'version']);
  if (!canEdit(ctx.actor, row)) {
    throw new AppError('forbidden', 'Only its owner or an administrator may change a shared view');
  }
  const errors: ErrorDetail[] = [];
  if (body.version !== undefined && !Number.isInteger(body.version))
    errors.push({ path: 'version', message: 'must be a whole number' });
  const name = body.name === undefined ? undefined : checkName(body.name, errors);
  await sharedOnlyByAdmin(ctx.actor, body.shared, errors);
  const config =
    body.config === undefined ? undefined : checkConfig(ctx, object, body.config, errors);
  if (errors.length) throw validationError(errors);
  const expected = headerVersion ?? (body.version as number | undefined);
  if (expected !== undefined && expected !== row.version) throw stale(row.version);
  if (name !== undefined) await assertNameFree(ctx, object.id, row.owner_id, name, row.id);

  const stored = JSON.parse(row.config) as ViewConfig;
  const next: Partial<ViewRow> = {
    ...(name !== undefined ? { name } : {}),
    ...(body.shared !== undefined
      ? { shared: boolToDb(ctx.k.database.dialect, body.shared === true) }
      : {}),
    ...(config !== undefined ? { config: JSON.stringify({ ...stored, ...config }) } : {}),
    version: row.version + 1,
    updated_at: isoNow(ctx.k.clock),
  };
  const res = await ctx.db
    .updateTable('sys_views')
    .set(next)
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    const now = await ctx.db
      .selectFrom('sys_views')
      .select('version')
      .where('id', '=', row.id)
      .executeTakeFirst();
    throw stale(now ? Number(now.version) : null);
  }
  if (body.shared === false && boolFromDb(row.shared)) {
    // No longer shared: it stops being anyone else's default, or everyone's.
    await ctx.db
      .deleteFrom('sys_view_defaults')
      .where('view_id', '=', row.id)
      .where('scope', '<>', row.owner_id)
      .execute();
  }
  return toApi(ctx, object, { ...row, ...next } as ViewRow);
}

function stale(current: number | null) {
  return new AppError(
    'version_mismatch',
    'This view was changed by someone else; reload it and try again',
    [
      {
        path: 'version',
        message: current === null ? 'is stale' : `is stale; the current version is ${current}`,
      },
    ],
    current === null ? {} : { current_version: current },
  );
}

export async function deleteView(
  ctx: RecordContext,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  const { row } = await loadRow(ctx, id);
  if (!canEdit(ctx.actor, row)) {
    throw new AppError('forbidden', 'Only its owner or an administrator may delete a shared view');
  }
  if (expectedVersion !== undefined && expectedVersion !== row.version) throw stale(row.version);
  await ctx.db.deleteFrom('sys_view_defaults').where('view_id', '=', row.id).execute();
  const res = await ctx.db
    .deleteFrom('sys_views')
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(res.numDeletedRows) !== 1) throw stale(null);
}

async function defaultsFor(ctx: RecordContext, object: ObjectMeta): Promise<ViewDefaults> {
  const userId = requireUser(ctx.actor);
  const rows = (await ctx.db
    .selectFrom('sys_view_defaults as d')
    .innerJoin('sys_views as v', 'v.id', 'd.view_id')
    .select(['d.scope', 'v.id', 'v.owner_id', 'v.shared'])
    .where('d.object_id', '=', object.id)
    .where('d.scope', 'in', [userId, SHARED_SCOPE])
    .execute()) as { scope: string; id: string; owner_id: string; shared: unknown }[];
  const mine = rows.find(
    (r) => r.scope === userId && (r.owner_id === userId || boolFromDb(r.shared)),
  );
  const everyone = rows.find((r) => r.scope === SHARED_SCOPE && boolFromDb(r.shared));
  return {
    object: object.name,
    default_view_id: mine?.id ?? everyone?.id ?? null,
    my_default_view_id: mine?.id ?? null,
    shared_default_view_id: everyone?.id ?? null,
  };
}

export async function getDefaults(ctx: RecordContext, objectName: string) {
  return defaultsFor(ctx, objectFor(ctx, objectName));
}

/** Sets (view id) or clears (null) the actor's own default view of an object, or everyone's. */
export async function setDefault(
  ctx: RecordContext,
  objectName: string,
  forEveryone: boolean,
  body: unknown,
): Promise<ViewDefaults> {
  const userId = requireUser(ctx.actor);
  const object = objectFor(ctx, objectName);
  if (forEveryone && !ctx.actor.role.isAdmin)
    throw new AppError('forbidden', 'Only administrators may set the default view for everyone');
  const scope = forEveryone ? SHARED_SCOPE : userId;
  if (body === null) {
    await ctx.db
      .deleteFrom('sys_view_defaults')
      .where('object_id', '=', object.id)
      .where('scope', '=', scope)
      .execute();
    return defaultsFor(ctx, object);
  }
  if (!isPlainObject(body) || typeof body.view_id !== 'string')
    throw validationError([{ path: 'view_id', message: 'is required: the id of a view' }]);
  rejectUnknownKeys(body, ['view_id']);
  const viewId = body.view_id.toLowerCase();
  let found: { row: ViewRow; object: ObjectMeta } | null = null;
  try {
    found = await loadRow(ctx, viewId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
  }
  if (!found || found.object.id !== object.id)
    throw validationError([
      { path: 'view_id', message: `no view "${viewId.slice(0, 60)}" of ${object.name}` },
    ]);
  if (forEveryone && !boolFromDb(found.row.shared))
    throw validationError([
      { path: 'view_id', message: 'must be a shared view to be the default for everyone' },
    ]);
  const now = isoNow(ctx.k.clock);
  await ctx.db
    .insertInto('sys_view_defaults')
    .values({ object_id: object.id, scope, view_id: viewId, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['object_id', 'scope']).doUpdateSet({ view_id: viewId, updated_at: now }),
    )
    .execute();
  return defaultsFor(ctx, object);
}

/** A renamed field keeps its place in every view of its object (called by the constructor). */
export async function renameFieldInViews(
  ctx: RecordContext,
  object: ObjectMeta,
  from: string,
  to: string,
): Promise<void> {
  const rows = (await ctx.db
    .selectFrom('sys_views')
    .select(['id', 'config'])
    .where('object_id', '=', object.id)
    .execute()) as { id: string; config: string }[];
  const renameKey = (key: string) => {
    const [name, ...rest] = key.split('.');
    return name === from ? [to, ...rest].join('.') : key;
  };
  const renameFilter = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(renameFilter);
    if (!isPlainObject(v)) return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, child]) =>
        k === 'and' || k === 'or' || /^\d+$/.test(k)
          ? [k, renameFilter(child)]
          : [renameKey(k), child],
      ),
    );
  };
  for (const r of rows) {
    const c = { ...EMPTY_CONFIG, ...(JSON.parse(r.config) as Partial<ViewConfig>) };
    const next: ViewConfig = {
      columns: c.columns.map((col) => (col.field === from ? { ...col, field: to } : col)),
      sort: c.sort
        .split(',')
        .filter(Boolean)
        .map((k) => (k.startsWith('-') ? `-${renameKey(k.slice(1))}` : renameKey(k)))
        .join(','),
      filter: renameFilter(c.filter) as Record<string, unknown>,
      q: c.q,
    };
    const text = JSON.stringify(next);
    if (text !== JSON.stringify(c))
      await ctx.db.updateTable('sys_views').set({ config: text }).where('id', '=', r.id).execute();
  }
}
