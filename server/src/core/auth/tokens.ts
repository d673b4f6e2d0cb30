import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database';
import type { Actor } from '../actor';
import { boolFromDb } from '../../db/column-types';
import { isoNow, type Clock } from '../clock';
import { newId } from '../ids';
import { roleGrant } from './roles';
import { actorForUser } from './users';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

export const SESSION_DAYS = 14;

/** A new web session; the raw token goes into the cookie, only its hash into the database. */
export async function createSession(db: Db, clock: Clock, userId: string) {
  const token = secret();
  const csrf = secret();
  const now = clock.now();
  await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      csrf_token: csrf,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString(),
    })
    .execute();
  return { token, csrf };
}

export async function resolveSession(db: Db, clock: Clock, token: string) {
  const row = (await db
    .selectFrom('sessions')
    .select(['user_id', 'csrf_token', 'expires_at'])
    .where('id', '=', sha256(token))
    .executeTakeFirst()) as { user_id: string; csrf_token: string; expires_at: string } | undefined;
  if (!row || row.expires_at <= isoNow(clock)) return undefined;
  const actor = await actorForUser(db, row.user_id);
  if (!actor) return undefined;
  const user = await db
    .selectFrom('users')
    .select('must_change_password')
    .where('id', '=', row.user_id)
    .executeTakeFirst();
  return {
    actor,
    csrf: row.csrf_token,
    mustChangePassword: boolFromDb(user?.must_change_password),
  };
}

export async function destroySession(db: Db, token: string) {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

/** A new API key acting as userId. The key is shown once; only its hash is kept. */
export async function createApiKey(db: Db, clock: Clock, name: string, userId: string) {
  const prefix = randomBytes(4).toString('hex');
  const key = `kontor_${prefix}_${secret()}`;
  const id = newId();
  await db
    .insertInto('api_keys')
    .values({
      id,
      name,
      prefix,
      token_hash: sha256(key),
      user_id: userId,
      created_at: isoNow(clock),
    })
    .execute();
  return { id, key, prefix };
}

export async function resolveApiKey(db: Db, clock: Clock, key: string): Promise<Actor | undefined> {
  // The key, its user and the user's role in one query: this runs on every request.
  const row = (await db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'api_keys.id',
      'api_keys.user_id',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'users.team_id',
      'users.is_active',
      'users.locale',
      'roles.is_admin',
      'roles.permissions',
    ])
    .where('api_keys.token_hash', '=', sha256(key))
    .executeTakeFirst()) as
    | {
        id: string;
        user_id: string;
        revoked_at: string | null;
        last_used_at: string | null;
        team_id: string | null;
        is_active: unknown;
        locale: string;
        is_admin: unknown;
        permissions: string;
      }
    | undefined;
  if (!row || row.revoked_at || !boolFromDb(row.is_active)) return undefined;
  const now = clock.now();
  // Written at most once a minute, so busy integrations do not turn every read into a write.
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db
      .updateTable('api_keys')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    kind: 'api_key',
    userId: row.user_id,
    apiKeyId: row.id,
    teamId: row.team_id,
    role: roleGrant(row),
    locale: row.locale,
  };
}

export async function revokeApiKey(db: Db, clock: Clock, id: string): Promise<boolean> {
  const r = await db
    .updateTable('api_keys')
    .set({ revoked_at: isoNow(clock) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
