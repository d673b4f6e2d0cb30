import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { absolutePath } from 'swagger-ui-dist';
import { openapiDocument } from '../openapi';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kontor API reference</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/start.js"></script>
</body>
</html>`;

// No validator badge: it would send the document to an outside service.
const START = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#reference', validatorUrl: null, deepLinking: true });`;

/** The OpenAPI document, and a readable reference page built on it (Swagger UI, served locally). */
export async function openapiRoutes(app: FastifyInstance) {
  app.get('/api/openapi.json', async (request) => openapiDocument(app.kontor, request.actor));

  app.get('/api/docs', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(PAGE),
  );
  app.get('/api/docs/start.js', async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(START),
  );
  const dir = absolutePath();
  for (const [file, type] of Object.entries(ASSETS)) {
    const body = readFileSync(join(dir, file));
    app.get(`/api/docs/${file}`, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=86400').send(body),
    );
  }
}
