import type { FastifyInstance } from 'fastify';
import { pdfLocale, type PdfLocale } from '../core/documents/pdf';
import type { RecordContext } from '../core/kontor';
import { readContext } from './context';
import { requestLocale } from './messages';

/**
 * `GET url` answering a document as a PDF (application/pdf, named after its number), with
 * labels in the reader's language; errors are problem documents as everywhere.
 */
export function pdfRoute(
  app: FastifyInstance,
  url: string,
  render: (
    ctx: RecordContext,
    id: string,
    locale: PdfLocale,
  ) => Promise<{ number: string; bytes: Buffer }>,
) {
  app.get<{ Params: { id: string } }>(url, async (request, reply) => {
    const ctx = readContext(request);
    const { number, bytes } = await render(
      ctx,
      request.params.id,
      pdfLocale(requestLocale(request)),
    );
    const file = `${number.replace(/[^\w.-]+/g, '_')}.pdf`;
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="${file}"`)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  });
}
