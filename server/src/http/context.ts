import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor';
import { AppError } from '../core/errors';
import { inTransaction, type Kontor, type RecordContext } from '../core/kontor';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    kontor: Kontor;
  }
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw new AppError('unauthenticated', 'Sign in or send an API key as "Authorization: Bearer KEY"');
  }
  return request.actor;
}

/** A context for reads outside a transaction. */
export function readContext(request: FastifyRequest): RecordContext {
  const k = request.server.kontor;
  return { k, db: k.database.db, actor: requireActor(request), requestId: request.id, pending: { rollups: new Map() } };
}

export function writeTransaction<T>(request: FastifyRequest, fn: (ctx: RecordContext) => Promise<T>): Promise<T> {
  return inTransaction(request.server.kontor, requireActor(request), fn, request.id);
}

/** The version in an If-Match header (`"3"` or `W/"3"`), if any. */
export function ifMatchVersion(request: FastifyRequest): number | undefined {
  const h = request.headers['if-match'];
  if (h === undefined) return undefined;
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
