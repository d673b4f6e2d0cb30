import type { FastifyInstance } from 'fastify';
import { idempotentWrite } from '../../http/idempotency';
import { notificationRoutes } from './notification-routes';
import { applyTaskTemplate, parseApplyBody } from './templates';

/** Tasks' own actions beyond the generic record API. */
export async function tasksRoutes(app: FastifyInstance) {
  await notificationRoutes(app);
  app.post<{ Params: { id: string } }>('/api/v1/task_templates/:id/apply', async (request, reply) =>
    idempotentWrite(request, reply, 201, async (ctx) => {
      const body = parseApplyBody(request.body);
      const data = await applyTaskTemplate(
        ctx,
        request.params.id,
        { object: body.object, id: body.id },
        { startAt: body.start_at },
      );
      return { data };
    }),
  );
}
