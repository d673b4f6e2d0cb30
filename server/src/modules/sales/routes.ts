import type { FastifyInstance } from 'fastify';
import { idempotentWrite } from '../../http/idempotency';
import { pdfRoute } from '../../http/pdf';
import { QUOTE, SALES_ORDER } from './documents';
import { salesDocumentPdf } from './pdf';
import { convertQuote, moveQuote } from './quote-actions';

type IdParams = { id: string };

/** A quote's actions: send, accept, reject, convert to a sales order; both documents as PDFs. */
export async function salesRoutes(app: FastifyInstance) {
  for (const action of ['send', 'accept', 'reject'] as const)
    app.post<{ Params: IdParams }>(`/api/v1/quotes/:id/${action}`, async (request, reply) =>
      idempotentWrite(request, reply, 200, (ctx) => moveQuote(ctx, request.params.id, action)),
    );
  app.post<{ Params: IdParams }>('/api/v1/quotes/:id/convert', async (request, reply) =>
    idempotentWrite(request, reply, 201, (ctx) => convertQuote(ctx, request.params.id)),
  );
  pdfRoute(app, '/api/v1/quotes/:id/pdf', (ctx, id, locale) =>
    salesDocumentPdf(ctx, QUOTE, id, locale),
  );
  pdfRoute(app, '/api/v1/sales_orders/:id/pdf', (ctx, id, locale) =>
    salesDocumentPdf(ctx, SALES_ORDER, id, locale),
  );
}
