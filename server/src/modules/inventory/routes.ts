import type { FastifyInstance } from 'fastify';
import { readContext } from '../../http/context';
import { idempotentWrite } from '../../http/idempotency';
import { listBalances, listMoves, postMove, reversePosting } from './ledger';

/** The stock ledger: post moves, reverse a posting, read balances and moves. */
export async function inventoryRoutes(app: FastifyInstance) {
  app.post('/api/v1/stock/moves', async (request, reply) =>
    idempotentWrite(request, reply, 201, (ctx) => postMove(ctx, request.body)),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v1/stock/postings/:id/reverse',
    async (request, reply) =>
      idempotentWrite(request, reply, 201, (ctx) => reversePosting(ctx, request.params.id)),
  );
  app.get<{ Querystring: { product_id?: string; warehouse_id?: string } }>(
    '/api/v1/stock/balances',
    async (request) => listBalances(readContext(request), request.query),
  );
  app.get<{ Querystring: { product_id?: string; warehouse_id?: string; limit?: string } }>(
    '/api/v1/stock/moves',
    async (request) => listMoves(readContext(request), request.query),
  );
}
