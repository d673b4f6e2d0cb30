import type { FastifyInstance } from 'fastify';
import { readContext } from '../../http/context';
import { idempotentWrite } from '../../http/idempotency';
import { listBalances, listMoves, postMove, reversePosting, stockValue } from './stock-api';

type Query = Record<string, string | undefined>;

/** The stock ledger: post moves, reverse a posting, read balances, moves and value. */
export async function inventoryRoutes(app: FastifyInstance) {
  app.post('/api/v1/stock/moves', async (request, reply) =>
    idempotentWrite(request, reply, 201, (ctx) => postMove(ctx, request.body)),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/stock/postings/:id/reverse',
    async (request, reply) =>
      idempotentWrite(request, reply, 201, (ctx) => reversePosting(ctx, request.params.id)),
  );
  app.get<{ Querystring: Query }>('/api/v1/stock/balances', async (request) =>
    listBalances(readContext(request), request.query),
  );
  app.get<{ Querystring: Query }>('/api/v1/stock/moves', async (request) =>
    listMoves(readContext(request), request.query),
  );
  app.get<{ Querystring: Query }>('/api/v1/stock/value', async (request) =>
    stockValue(readContext(request), request.query),
  );
}
