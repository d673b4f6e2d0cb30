import type { RoleGrant } from './permissions/grants';

/** Who is acting: a signed-in user, an API key (acting as its user), or the system itself. */
export interface Actor {
  kind: 'user' | 'api_key' | 'system';
  userId: string | null;
  apiKeyId?: string;
  teamId: string | null;
  role: RoleGrant;
  /** The user's language for labels and messages ('en' when unknown). */
  locale?: string;
}

export const SYSTEM_ACTOR: Actor = {
  kind: 'system',
  userId: null,
  teamId: null,
  role: { isAdmin: true, permissions: { objects: {} } },
};

export function actorId(actor: Actor): string | null {
  return actor.kind === 'api_key' ? (actor.apiKeyId ?? null) : actor.userId;
}
