import type { RoleGrant } from './permissions/grants';

/**
 * Who is acting: a signed-in user, an API key (acting as its user), the system itself, or a person
 * without a login: the recipient of a form link, or a visitor sending a public web form.
 */
export interface Actor {
  kind: 'user' | 'api_key' | 'system' | 'form_link' | 'web_form';
  userId: string | null;
  apiKeyId?: string;
  /** The form link (kind form_link) or web form (kind web_form) the change came through. */
  sourceId?: string;
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
  if (actor.kind === 'api_key') return actor.apiKeyId ?? null;
  if (actor.kind === 'form_link' || actor.kind === 'web_form') return actor.sourceId ?? null;
  return actor.userId;
}
