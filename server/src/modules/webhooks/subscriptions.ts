import { z } from 'zod';
import { boolFromDb, boolToDb } from '../../db/column-types';
import type { Db } from '../../db/database';
import { isoNow } from '../../core/clock';
import { validationError, type ErrorDetail } from '../../core/errors';
import { newId } from '../../core/ids';
import type { Kontor } from '../../core/kontor';
import { newSecret } from './signing';
import { assertTargetAllowed, TargetRefused, targetUrlProblem } from './targets';

/** The record events a subscription can ask for. */
export const EVENT_KINDS = ['created', 'updated', 'deleted', 'restored'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface SubscriptionRow {
  id: string;
  name: string;
  target_url: string;
  object: string;
  events: string;
  enabled: unknown;
  secret: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  secret_rotated_at: string | null;
}

const targetUrl = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(2000)
  .superRefine((v, c) => {
    const problem = targetUrlProblem(v);
    if (problem) c.addIssue({ code: 'custom', message: problem });
  });

const events = z
  .array(z.enum(EVENT_KINDS, `must be one of ${EVENT_KINDS.join(', ')}`))
  .min(1, 'must name at least one event kind')
  .refine((a) => new Set(a).size === a.length, 'must not name an event kind twice');

const fields = {
  name: z.string().trim().min(1, 'is required').max(200),
  target_url: targetUrl,
  object: z.string().trim().min(1, 'is required').max(100),
  events,
};

export const newSubscriptionSchema = z.strictObject({
  ...fields,
  enabled: z.boolean().default(true),
});

// Not newSubscriptionSchema.partial(): that would keep the default and re-enable a disabled
// subscription on every change that leaves `enabled` out.
export const subscriptionPatchSchema = z
  .strictObject({ ...fields, enabled: z.boolean() })
  .partial();

/** A subscription as the API shows it; the secret only where `withSecret` says so. */
export function subscriptionOut(r: SubscriptionRow, withSecret = false) {
  return {
    id: r.id,
    name: r.name,
    target_url: r.target_url,
    object: r.object,
    events: JSON.parse(r.events) as EventKind[],
    enabled: boolFromDb(r.enabled),
    created_by: r.created_by,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
    secret_rotated_at: r.secret_rotated_at ? iso(r.secret_rotated_at) : null,
    ...(withSecret ? { secret: r.secret } : {}),
  };
}

/** PostgreSQL hands timestamps back as Dates, SQLite as the text stored. */
export function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

/** Refuses an object that does not exist (custom objects count) and a target not allowed. */
async function checkRefs(k: Kontor, input: { object?: string; target_url?: string }) {
  const errors: ErrorDetail[] = [];
  if (input.object !== undefined && !k.meta.find(input.object))
    errors.push({ path: 'object', message: `there is no object "${input.object}"` });
  if (input.target_url !== undefined) {
    try {
      await assertTargetAllowed(input.target_url, k.settings.allowPrivateTargets);
    } catch (err) {
      if (!(err instanceof TargetRefused)) throw err;
      errors.push({ path: 'target_url', message: err.message });
    }
  }
  if (errors.length > 0) throw validationError(errors);
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return (await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()) as SubscriptionRow | undefined;
}

export async function createSubscription(
  k: Kontor,
  input: z.output<typeof newSubscriptionSchema>,
  createdBy: string,
): Promise<SubscriptionRow> {
  await checkRefs(k, input);
  const now = isoNow(k.clock);
  const row = {
    id: newId(),
    name: input.name,
    target_url: input.target_url,
    object: input.object,
    events: JSON.stringify(input.events),
    enabled: boolToDb(k.database.dialect, input.enabled),
    secret: newSecret(),
    created_by: createdBy,
    created_at: now,
    updated_at: now,
    secret_rotated_at: null,
  };
  await k.database.db.insertInto('webhook_subscriptions').values(row).execute();
  return row;
}

export async function updateSubscription(
  k: Kontor,
  id: string,
  patch: z.output<typeof subscriptionPatchSchema>,
): Promise<SubscriptionRow | undefined> {
  await checkRefs(k, patch);
  const set: Record<string, unknown> = { updated_at: isoNow(k.clock) };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.target_url !== undefined) set.target_url = patch.target_url;
  if (patch.object !== undefined) set.object = patch.object;
  if (patch.events !== undefined) set.events = JSON.stringify(patch.events);
  if (patch.enabled !== undefined) set.enabled = boolToDb(k.database.dialect, patch.enabled);
  const r = await k.database.db
    .updateTable('webhook_subscriptions')
    .set(set)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return undefined;
  return findSubscription(k.database.db, id);
}

/** A new secret; deliveries from now on are signed with it, retries of earlier ones included. */
export async function rotateSecret(k: Kontor, id: string): Promise<SubscriptionRow | undefined> {
  const now = isoNow(k.clock);
  const r = await k.database.db
    .updateTable('webhook_subscriptions')
    .set({ secret: newSecret(), secret_rotated_at: now, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return undefined;
  return findSubscription(k.database.db, id);
}

/** Removes a subscription with its delivery log; its queued deliveries are dropped. */
export async function deleteSubscription(k: Kontor, id: string): Promise<boolean> {
  return k.database.db.transaction().execute(async (trx) => {
    const deliveries = trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('subscription_id', '=', id);
    await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
    await trx.deleteFrom('webhook_deliveries').where('subscription_id', '=', id).execute();
    const r = await trx.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  });
}
