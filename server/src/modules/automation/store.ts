import { createHash, randomBytes } from 'node:crypto';
import { boolFromDb, boolToDb } from '../../db/column-types';
import { AppError, notFound } from '../../core/errors';
import { actorId } from '../../core/actor';
import { isoNow } from '../../core/clock';
import { newId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import type { Db } from '../../db/database';
import { definitionSchema, type Definition } from './definition';

export interface ProcessRow {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  version: number;
  trigger_type: string;
  trigger_object: string | null;
  webhook_token_hash: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

function toProcess(r: Record<string, unknown>): ProcessRow {
  return {
    ...(r as unknown as ProcessRow),
    enabled: boolFromDb(r.enabled),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
  };
}

/** Definitions never change once saved, so a version read once is kept for good. */
const definitions = new Map<string, Definition>();

export async function loadDefinition(
  db: Db,
  processId: string,
  version: number,
): Promise<Definition> {
  const key = `${processId}:${version}`;
  const cached = definitions.get(key);
  if (cached) return cached;
  const row = await db
    .selectFrom('automation_process_versions')
    .select('definition')
    .where('process_id', '=', processId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw notFound(`Version ${version} of process ${processId}`);
  const def = definitionSchema.parse(JSON.parse(String(row.definition)));
  definitions.set(key, def);
  return def;
}

export async function getProcess(db: Db, id: string): Promise<ProcessRow> {
  const row = await db
    .selectFrom('automation_processes')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw notFound(`Process ${id}`);
  return toProcess(row as Record<string, unknown>);
}

export async function listProcesses(db: Db): Promise<ProcessRow[]> {
  const rows = await db
    .selectFrom('automation_processes')
    .selectAll()
    .where('deleted_at', 'is', null)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((r) => toProcess(r as Record<string, unknown>));
}

/** Enabled processes whose trigger may match events on these objects or of these kinds. */
export async function candidateProcesses(
  db: Db,
  objects: string[],
  dialect: 'sqlite' | 'postgres',
) {
  const rows = await db
    .selectFrom('automation_processes')
    .select(['id', 'version', 'trigger_type', 'trigger_object', 'name'])
    .where('enabled', '=', boolToDb(dialect, true) as never)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(objects.length ? [eb('trigger_object', 'in', objects)] : []),
        eb('trigger_type', 'in', ['form_submitted', 'event', 'webhook']),
      ]),
    )
    .execute();
  return rows as {
    id: string;
    version: number;
    trigger_type: string;
    trigger_object: string | null;
    name: string;
  }[];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Saves a process as a new version (version 1 when new). Returns the row and, when the process
 * gained a webhook trigger, its secret token (shown once).
 */
export async function saveProcess(
  ctx: RecordContext,
  input: {
    id?: string;
    name: string;
    description?: string;
    enabled?: boolean;
    definition: Definition;
  },
): Promise<{ process: ProcessRow; webhookToken?: string }> {
  const now = isoNow(ctx.k.clock);
  const dialect = ctx.k.database.dialect;
  const def = input.definition;
  const triggerObject = 'object' in def.trigger ? (def.trigger.object ?? null) : null;
  let token: string | undefined;
  let id = input.id;
  let version = 1;
  if (id) {
    const current = await getProcess(ctx.db, id);
    version = current.version + 1;
    if (def.trigger.type === 'webhook' && !current.webhook_token_hash)
      token = randomBytes(24).toString('base64url');
    await ctx.db
      .updateTable('automation_processes')
      .set({
        name: input.name,
        description: input.description ?? null,
        version,
        trigger_type: def.trigger.type,
        trigger_object: triggerObject,
        ...(token ? { webhook_token_hash: hashToken(token) } : {}),
        ...(input.enabled !== undefined ? { enabled: boolToDb(dialect, input.enabled) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .execute();
  } else {
    id = newId();
    if (def.trigger.type === 'webhook') token = randomBytes(24).toString('base64url');
    await ctx.db
      .insertInto('automation_processes')
      .values({
        id,
        name: input.name,
        description: input.description ?? null,
        enabled: boolToDb(dialect, input.enabled ?? false),
        version,
        trigger_type: def.trigger.type,
        trigger_object: triggerObject,
        webhook_token_hash: token ? hashToken(token) : null,
        created_at: now,
        updated_at: now,
        created_by: actorId(ctx.actor),
        deleted_at: null,
      })
      .execute();
  }
  try {
    await ctx.db
      .insertInto('automation_process_versions')
      .values({
        process_id: id,
        version,
        definition: JSON.stringify(def),
        created_at: now,
        created_by: actorId(ctx.actor),
      })
      .execute();
  } catch (err) {
    if (String((err as { code?: string }).code ?? '').match(/23505|SQLITE_CONSTRAINT/))
      throw new AppError(
        'conflict',
        'The process was changed by someone else at the same time; load it again',
      );
    throw err;
  }
  return { process: await getProcess(ctx.db, id), ...(token ? { webhookToken: token } : {}) };
}

export async function setEnabled(
  ctx: RecordContext,
  id: string,
  enabled: boolean,
): Promise<ProcessRow> {
  await getProcess(ctx.db, id);
  await ctx.db
    .updateTable('automation_processes')
    .set({ enabled: boolToDb(ctx.k.database.dialect, enabled), updated_at: isoNow(ctx.k.clock) })
    .where('id', '=', id)
    .execute();
  return getProcess(ctx.db, id);
}
