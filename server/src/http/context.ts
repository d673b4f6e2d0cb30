import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor';
import { AppError } from '../core/errors';
import { inTransaction, type Kontor, type RecordContext } from '../core/kontor';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The CSRF token of the session a cookie-authenticated request belongs to. */
    csrfToken: string | null;
  }
  interface FastifyInstance {
    kontor: Kontor;
  }
  interface FastifyContextConfig {
    /** A route for people without a login: no session or API key is read or checked. */
    public?: boolean;
  }
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new AppError(
      'unauthenticated',
      'Sign in or send an API key as "Authorization: Bearer KEY"',
    );
  }
  return request.actor;
}

/** A context for reads outside a transaction. */
export function readContext(request: FastifyRequest): RecordContext {
  const k = request.server.kontor;
  return {
    k,
    db: k.database.db,
    actor: requireActor(request),
    requestId: request.id,
    pending: { rollups: new Map() },
  };
}

export function writeTransaction<T>(
  request: FastifyRequest,
  fn: (ctx: RecordContext) => Promise<T>,
): Promise<T> {
  return inTransaction(request.server.kontor, requireActor(request), fn, request.id);
}

/** The version in an If-Match header (`"3"` or `W/"3"`), if any. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const h = request.headers['if-match'];
  if (h === undefined || String(h).trim() === '*') return undefined;
  const m = /^(W\/)?"(\d+)"$/.exec(String(h).trim());
  if (!m) {
    throw new AppError('validation', 'Invalid If-Match header', [
      { path: 'If-Match', message: 'must be an ETag from a previous response, like "3"' },
    ]);
  }
  return Number(m[2]);
}

export function etag(version: number): string {
  return `"${version}"`;
}

/** A true/false query parameter; anything else is a 400 rather than a silent false. */
export function queryFlag(query: unknown, name: string): boolean {
  const v = (query as Record<string, unknown>)[name];
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new AppError('validation', `Invalid ${name}`, [
    { path: name, message: 'must be true or false' },
  ]);
}

/** A single-text query parameter, if present. */
export function queryText(query: unknown, name: string): string | undefined {
  const v = (query as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string')
    throw new AppError('validation', `Invalid ${name}`, [
      { path: name, message: 'must be given once, as text' },
    ]);
  return v;
}
