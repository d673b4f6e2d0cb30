import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { validationError } from '../../core/errors';
import {
  contentPath,
  DOCUMENT_TYPES,
  listFiles,
  loadFile,
  storeFile,
} from '../../core/files/files';
import { loadRecord } from '../../core/records/read';
import { readContext, writeTransaction } from '../context';
import { acceptMultipart, readMultipart } from '../multipart';

type RecordParams = { object: string; id: string };

/** Files attached to records: upload, list, download, each under the record's permissions. */
export async function fileRoutes(app: FastifyInstance) {
  await acceptMultipart(app);

  app.post<{ Params: RecordParams }>('/api/v1/:object/:id/files', async (request, reply) => {
    const body = await readMultipart(request);
    if (body.files.length === 0)
      throw validationError([{ path: 'file', message: 'send at least one file' }]);
    const stored = await writeTransaction(request, async (ctx) => {
      const object = ctx.k.meta.get(request.params.object);
      // Attaching a file changes the record: it takes the right to update it.
      const rec = await loadRecord(ctx, object, request.params.id, { action: 'update' });
      const out = [];
      for (const [i, f] of body.files.entries())
        out.push(
          await storeFile(
            ctx,
            f,
            { object: object.name, recordId: rec.id },
            { allowed: DOCUMENT_TYPES, path: `files[${i}]` },
          ),
        );
      return out;
    });
    return reply.status(201).send({ data: stored });
  });

  app.get<{ Params: RecordParams }>('/api/v1/:object/:id/files', async (request) => {
    const ctx = readContext(request);
    return { data: await listFiles(ctx, request.params.object, request.params.id) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id/content', async (request, reply) => {
    const ctx = readContext(request);
    const file = await loadFile(ctx, request.params.id);
    const inline = file.mime.startsWith('image/') || file.mime === 'application/pdf';
    return reply
      .type(file.mime)
      .header('content-length', String(file.size))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header(
        'content-disposition',
        `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      )
      .header('cache-control', 'private, max-age=3600')
      .send(createReadStream(contentPath(ctx.k, file.sha256)));
  });

  app.get<{ Params: { id: string } }>('/api/v1/files/:id', async (request) => {
    const ctx = readContext(request);
    return loadFile(ctx, request.params.id);
  });
}
