import { sql } from 'kysely';
import { z } from 'zod';
import type { Db, DialectName } from '../../db/database';
import { boolFromDb, boolToDb } from '../../db/column-types';
import type { Actor } from '../actor';
import { isoNow, type Clock } from '../clock';
import { AppError, validationError, parseInput } from '../errors';
import { isId, newId } from '../ids';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { roleGrant, roleIdByName } from './roles';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  role_id: string;
  team_id: string | null;
  manager_id: string | null;
  title: string | null;
  phone: string | null;
  time_zone: string;
  locale: string;
  is_active: unknown;
  must_change_password: unknown;
  created_at: string;
  updated_at: string;
}

export const newUserSchema = z.strictObject({
  email: z.email('must be an e-mail address').max(254),
  name: z.string().trim().min(1, 'is required').max(200),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(200)
    .optional(),
  role: z.string().min(1).default('Sales representative'),
  team: z.string().trim().min(1).max(200).optional(),
  manager_id: z
    .string()
    .refine((v) => isId(v), 'must be a user id')
    .optional(),
  title: z.string().max(200).optional(),
  phone: z.string().max(64).optional(),
  time_zone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like Europe/Kyiv')
    .default('UTC'),
  locale: z.enum(['en', 'uk']).default('en'),
  must_change_password: z.boolean().default(false),
});

export type NewUser = z.input<typeof newUserSchema>;

export async function teamIdByName(db: Db, clock: Clock, name: string): Promise<string> {
  const row = await db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst();
  if (row) return row.id as string;
  const id = newId();
  await db
    .insertInto('teams')
    .values({ id, name, created_at: isoNow(clock) })
    .execute();
  return id;
}

/** Creates a user; the e-mail must be new (compared without case). */
export async function createUser(
  db: Db,
  dialect: DialectName,
  clock: Clock,
  input: NewUser,
): Promise<UserRow> {
  const u = parseInput(newUserSchema, input);
  const taken = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(email)`, '=', sql`lower(${u.email})`)
    .executeTakeFirst();
  if (taken)
    throw new AppError('conflict', `A user with e-mail ${u.email} already exists`, [
      { path: 'email', message: 'is taken' },
    ]);
  if (
    u.manager_id &&
    !(await db.selectFrom('users').select('id').where('id', '=', u.manager_id).executeTakeFirst())
  ) {
    throw validationError([{ path: 'manager_id', message: `no user with id ${u.manager_id}` }]);
  }
  const roleId = await roleIdByName(db, u.role);
  if (!roleId) throw validationError([{ path: 'role', message: `no role named "${u.role}"` }]);
  const now = isoNow(clock);
  const row = {
    id: newId(),
    email: u.email,
    name: u.name,
    password_hash: u.password ? await hashPassword(u.password) : null,
    role_id: roleId,
    team_id: u.team ? await teamIdByName(db, clock, u.team) : null,
    manager_id: u.manager_id ?? null,
    title: u.title ?? null,
    phone: u.phone ?? null,
    time_zone: u.time_zone,
    locale: u.locale,
    is_active: boolToDb(dialect, true),
    must_change_password: boolToDb(dialect, u.must_change_password),
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('users').values(row).execute();
  return row as UserRow;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return (await db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', sql`lower(${email.trim()})`)
    .executeTakeFirst()) as UserRow | undefined;
}

/** The actor for an active user, with their role and team; undefined if inactive or gone. */
export async function actorForUser(
  db: Db,
  userId: string,
  apiKeyId?: string,
): Promise<Actor | undefined> {
  const row = (await db
    .selectFrom('users')
    .innerJoin('roles', 'roles.id', 'users.role_id')
    .select([
      'users.id',
      'users.team_id',
      'users.is_active',
      'users.locale',
      'roles.is_admin',
      'roles.permissions',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst()) as
    | {
        id: string;
        team_id: string | null;
        is_active: unknown;
        locale: string;
        is_admin: unknown;
        permissions: string;
      }
    | undefined;
  if (!row || !boolFromDb(row.is_active)) return undefined;
  return {
    kind: apiKeyId ? 'api_key' : 'user',
    userId: row.id,
    apiKeyId,
    teamId: row.team_id,
    role: roleGrant(row),
    locale: row.locale,
  };
}

export function publicUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role_id: u.role_id,
    team_id: u.team_id,
    manager_id: u.manager_id,
    title: u.title,
    phone: u.phone,
    time_zone: u.time_zone,
    locale: u.locale,
    is_active: boolFromDb(u.is_active),
    must_change_password: boolFromDb(u.must_change_password),
    created_at: u.created_at,
  };
}
