import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../actor';
import { AppError } from '../errors';
import type { ObjectMeta } from '../metadata/types';
import { fieldAccess, grantFor, type ObjectGrant, type Scope } from './grants';

export type RecordAction = 'read' | 'update' | 'delete';
export type ObjectAction = 'create' | 'import' | 'export';

function scopeOf(grant: ObjectGrant, action: RecordAction): Scope {
  return grant[action];
}

/**
 * The one scoping function: the condition a record must meet for the actor to reach it
 * with this action. Every path that reads or changes records goes through it.
 * Returns null when every record is reachable.
 */
export function scopeCondition(
  actor: Actor,
  object: ObjectMeta,
  action: RecordAction,
  alias?: string,
): Expression<SqlBool> | null {
  const scope = scopeOf(grantFor(actor.role, object.name), action);
  const owner = sql.ref(alias ? `${alias}.owner_id` : 'owner_id');
  switch (scope) {
    case 'all':
      return null;
    case 'none':
      return sql<SqlBool>`1 = 0`;
    case 'own':
      return actor.userId ? sql<SqlBool>`${owner} = ${actor.userId}` : sql<SqlBool>`1 = 0`;
    case 'team':
      if (!actor.teamId) {
        return actor.userId ? sql<SqlBool>`${owner} = ${actor.userId}` : sql<SqlBool>`1 = 0`;
      }
      return sql<SqlBool>`${owner} in (select id from users where team_id = ${actor.teamId})`;
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${String(never)}`);
    }
  }
}

/** Refuses an action the actor's role does not grant on the object at all. */
export function assertCan(actor: Actor, object: ObjectMeta, action: RecordAction | ObjectAction) {
  const grant = grantFor(actor.role, object.name);
  const allowed =
    action === 'create' || action === 'import' || action === 'export'
      ? grant[action]
      : grant[action] !== 'none';
  if (!allowed) {
    throw new AppError('forbidden', `You may not ${action} ${object.labelPlural.toLowerCase()}`);
  }
}

export function canReadField(actor: Actor, object: ObjectMeta, field: string): boolean {
  return fieldAccess(grantFor(actor.role, object.name), field) !== 'none';
}

export function canWriteField(actor: Actor, object: ObjectMeta, field: string): boolean {
  return fieldAccess(grantFor(actor.role, object.name), field) === 'write';
}

/** Whether the actor can reach a record owned by ownerId (for checks on loaded records). */
export function canReachOwner(
  actor: Actor,
  object: ObjectMeta,
  action: RecordAction,
  ownerId: string | null,
  ownerTeamId: string | null,
): boolean {
  const scope = scopeOf(grantFor(actor.role, object.name), action);
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  if (scope === 'own' || !actor.teamId) return !!actor.userId && ownerId === actor.userId;
  return ownerTeamId === actor.teamId;
}
