import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import qs from 'qs';
import { v7 } from 'uuid';
import { AppError } from '../core/errors';
import type { Kontor } from '../core/kontor';
import { authenticate, authRoutes } from './auth';
import { errorHandler, sendProblem } from './problem';
import { fileRoutes } from './routes/files';
import { metadataRoutes } from './routes/metadata';
import { openapiRoutes } from './routes/openapi';
import { recordRoutes } from './routes/records';
import { userRoutes } from './routes/users';
import { viewRoutes } from './routes/views';

const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface AppOptions {
  /** Where the built web app is (default web/dist). */
  webDist?: string;
  bodyLimit?: number;
  /** Log each request at info level (off in tests). */
  logRequests?: boolean;
}

/** The Fastify application: authentication, error mapping and every route. */
export async function buildApp(kontor: Kontor, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: kontor.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !opts.logRequests }),
    bodyLimit: opts.bodyLimit ?? 10 * 1024 * 1024,
    genReqId: () => v7(),
    requestIdHeader: false,
    routerOptions: {
      querystringParser: (s: string) =>
        qs.parse(s, {
          depth: 8,
          arrayLimit: 500,
          parameterLimit: 2000,
          plainObjects: true,
          allowPrototypes: true,
        }),
      maxParamLength: 2000,
    },
  });
  app.decorate('kontor', kontor);
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.setErrorHandler(errorHandler);
  // The web app: its files from web/dist, and its index page for every other GET outside /api,
  // so that a reloaded page of the app opens where it was.
  const webDist = opts.webDist ?? WEB_DIST;
  const hasWeb = existsSync(join(webDist, 'index.html'));
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      // The build writes .br and .gz copies; a browser that accepts them gets them.
      preCompressed: true,
    });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (request.method === 'GET' && !path.startsWith('/api/')) {
      if (hasWeb) return reply.header('cache-control', 'no-cache').sendFile('index.html');
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web app is not built yet: run "npm run build:web" (npm ci does it).');
    }
    return sendProblem(reply, request, 404, 'not_found', `No route ${request.method} ${path}`);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Built assets carry a hash of their content in their name: they never change.
    if (hasWeb && reply.statusCode === 200 && request.url.startsWith('/assets/'))
      reply.header('cache-control', 'public, max-age=31536000, immutable');
  });

  // JSON must be valid UTF-8; the default parser would turn bad bytes into U+FFFD and store them.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // An action without a body (reverse a posting) may still say it speaks JSON.
    if ((body as Buffer).length === 0) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(
        new AppError('validation', 'The body is not valid UTF-8', [
          { path: 'body', message: 'is not valid UTF-8' },
        ]),
        undefined,
      );
      return;
    }
    if (/"__proto__"\s*:/.test(text)) {
      done(
        new AppError('validation', 'The body has a "__proto__" key, which is not accepted', [
          { path: '__proto__', message: 'is not accepted' },
        ]),
        undefined,
      );
      return;
    }
    if (nestingDepth(text) > MAX_JSON_DEPTH) {
      done(
        new AppError('validation', `The body is nested more than ${MAX_JSON_DEPTH} levels deep`, [
          { path: 'body', message: `must not nest more than ${MAX_JSON_DEPTH} levels deep` },
        ]),
        undefined,
      );
      return;
    }
    parseJson(request, text, done);
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new AppError(
        'rate_limited',
        `Too many attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
      ),
  });
  // Ids are lower-case UUIDs; one written in capitals means the same record on every route.
  app.addHook('preValidation', async (request) => {
    const params = request.params as Record<string, unknown> | undefined;
    if (params && typeof params.id === 'string') params.id = params.id.toLowerCase();
  });
  app.addHook('preHandler', authenticate);

  app.get('/api/health', async () => ({ status: 'ok', database: kontor.database.dialect }));
  await app.register(authRoutes);
  await app.register(metadataRoutes);
  await app.register(userRoutes);
  await app.register(openapiRoutes);
  await app.register(viewRoutes);
  await app.register(fileRoutes);
  for (const m of [...kontor.modules, ...kontor.flows]) if (m.routes) await app.register(m.routes);
  await app.register(recordRoutes);
  return app;
}

/** No request of the API nests deeper; deeper bodies would only exhaust the stack later. */
const MAX_JSON_DEPTH = 64;

/** How deep arrays and objects nest in a JSON text, found in one pass without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \\ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) max = Math.max(max, ++depth);
    else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return max;
}
