import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorId } from '../core/actor';
import { isoNow } from '../core/clock';
import { AppError } from '../core/errors';
import type { RecordContext } from '../core/kontor';
import { requireActor, writeTransaction } from './context';

interface Stored {
  request_hash: string;
  status_code: number;
  response: string;
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
}

/**
 * Runs a POST in one transaction. With an Idempotency-Key header, the first result is stored in
 * that same transaction and a retry with the same key and body gets it again instead of a second
 * write; the same key with another body is refused.
 */
export async function idempotentWrite(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  fn: (ctx: RecordContext) => Promise<unknown>,
) {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    const body = await writeTransaction(request, fn);
    return reply.status(status).send(body);
  }
  if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
    throw new AppError('validation', 'Invalid Idempotency-Key', [
      { path: 'Idempotency-Key', message: 'must be 1 to 200 characters' },
    ]);
  }
  const owner = actorId(requireActor(request)) ?? 'system';
  const hash = requestHash(request);
  const db = request.server.kontor.database.db;

  const replay = async () => {
    const prior = (await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status_code', 'response'])
      .where('actor_id', '=', owner)
      .where('key', '=', key)
      .executeTakeFirst()) as Stored | undefined;
    if (!prior) return false;
    if (prior.request_hash !== hash) {
      throw new AppError('conflict', 'This Idempotency-Key was used for a different request', [
        { path: 'Idempotency-Key', message: 'was used with another method, path or body' },
      ]);
    }
    reply.header('idempotent-replayed', 'true');
    reply.status(prior.status_code).type('application/json').send(prior.response);
    return true;
  };

  if (await replay()) return reply;
  try {
    const body = await writeTransaction(request, async (ctx) => {
      // The key is taken first: a concurrent request with the same key waits on it until this
      // transaction ends, then finds the stored answer instead of doing the work again.
      await ctx.db
        .insertInto('idempotency_keys')
        .values({
          actor_id: owner,
          key,
          method: request.method,
          path: request.url,
          request_hash: hash,
          status_code: status,
          response: '',
          created_at: isoNow(ctx.k.clock),
        })
        .execute();
      const result = await fn(ctx);
      await ctx.db
        .updateTable('idempotency_keys')
        .set({ response: JSON.stringify(result) })
        .where('actor_id', '=', owner)
        .where('key', '=', key)
        .execute();
      return result;
    });
    return reply.status(status).send(body);
  } catch (err) {
    // A concurrent request with the same key committed first: answer with its result.
    if (isUniqueViolation(err) && (await replay())) return reply;
    throw err;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
