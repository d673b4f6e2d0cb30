import type { FastifyInstance } from 'fastify';
import {
  createView,
  deleteView,
  getDefaults,
  getView,
  listViews,
  setDefault,
  updateView,
} from '../../core/views/views';
import { etag, ifMatchVersion, readContext, writeTransaction } from '../context';

type IdParams = { id: string };
type ObjectParams = { object: string };

/**
 * Saved views of tables (`core/views`). Registered before the generic record routes; `views` is
 * a reserved object name, so no object's routes hide behind these.
 */
export async function viewRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { object?: string } }>('/api/v1/views', async (request) =>
    listViews(readContext(request), request.query.object),
  );

  app.post('/api/v1/views', async (request, reply) => {
    const view = await writeTransaction(request, (ctx) => createView(ctx, request.body));
    return reply
      .status(201)
      .header('location', `/api/v1/views/${view.id}`)
      .header('etag', etag(view.version))
      .send(view);
  });

  app.get<{ Params: ObjectParams }>('/api/v1/views/defaults/:object', async (request) =>
    getDefaults(readContext(request), request.params.object),
  );
  app.put<{ Params: ObjectParams }>('/api/v1/views/defaults/:object/mine', async (request) =>
    writeTransaction(request, (ctx) =>
      setDefault(ctx, request.params.object, false, request.body ?? {}),
    ),
  );
  app.delete<{ Params: ObjectParams }>('/api/v1/views/defaults/:object/mine', async (request) =>
    writeTransaction(request, (ctx) => setDefault(ctx, request.params.object, false, null)),
  );
  app.put<{ Params: ObjectParams }>('/api/v1/views/defaults/:object/shared', async (request) =>
    writeTransaction(request, (ctx) =>
      setDefault(ctx, request.params.object, true, request.body ?? {}),
    ),
  );
  app.delete<{ Params: ObjectParams }>('/api/v1/views/defaults/:object/shared', async (request) =>
    writeTransaction(request, (ctx) => setDefault(ctx, request.params.object, true, null)),
  );

  app.get<{ Params: IdParams }>('/api/v1/views/:id', async (request, reply) => {
    const view = await getView(readContext(request), request.params.id);
    reply.header('etag', etag(view.version));
    return view;
  });

  app.patch<{ Params: IdParams }>('/api/v1/views/:id', async (request, reply) => {
    const expected = ifMatchVersion(request);
    const view = await writeTransaction(request, (ctx) =>
      updateView(ctx, request.params.id, request.body, expected),
    );
    reply.header('etag', etag(view.version));
    return view;
  });

  app.delete<{ Params: IdParams }>('/api/v1/views/:id', async (request, reply) => {
    const expected = ifMatchVersion(request);
    await writeTransaction(request, (ctx) => deleteView(ctx, request.params.id, expected));
    return reply.status(204).send();
  });
}
