import type { FastifyInstance } from 'fastify';
import { idempotentWrite } from '../../http/idempotency';
import { pdfRoute } from '../../http/pdf';
import { purchaseOrderPdf } from './pdf';
import { sendOrder } from './order-actions';

/** Purchasing's own actions (and the order as a PDF); those that move stock are in flows/purchasing-stock.ts. */
export async function purchasingRoutes(app: FastifyInstance) {
  app.post<{ Params: { id: string } }>('/api/v1/purchase_orders/:id/send', async (request, reply) =>
    idempotentWrite(request, reply, 200, (ctx) => sendOrder(ctx, request.params.id)),
  );
  pdfRoute(app, '/api/v1/purchase_orders/:id/pdf', purchaseOrderPdf);
}
