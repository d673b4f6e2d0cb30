import type { FastifyInstance } from 'fastify';
import {
  createField,
  createObject,
  deleteField,
  deleteObject,
  describeObject,
  updateField,
  updateObject,
} from '../../core/metadata/constructor';
import { readContext, requireActor, writeTransaction } from '../context';
import { grantFor } from '../../core/permissions/grants';
import { assertCan, canReadField, canWriteField } from '../../core/permissions/scope';
import type { RecordContext } from '../../core/kontor';
import type { ObjectMeta } from '../../core/metadata/types';
import { METADATA_CHANNEL } from '../../core/metadata/registry';
import { localizeObject } from '../../core/metadata/labels';

type O = { object: string };
type F = { object: string; field: string };

/**
 * An object as the caller may see it: readable fields, and related lists of readable objects.
 * `access` tells what the caller may do with its records (`update` and `delete` are the scope:
 * none, own, team or all), and each field's `writable` whether the caller may set it, so that
 * screens offer only what the server would accept.
 */
function visible(ctx: RecordContext, o: ObjectMeta) {
  const d = localizeObject(ctx.k, describeObject(ctx, o), ctx.actor.locale);
  const grant = grantFor(ctx.actor.role, o.name);
  return {
    ...d,
    access: {
      create: grant.create,
      update: grant.update,
      delete: grant.delete,
      import: grant.import,
      export: grant.export,
    },
    fields: d.fields
      .filter((f) => canReadField(ctx.actor, o, f.name))
      .map((f) => ({
        ...f,
        writable:
          !f.read_only &&
          f.type !== 'computed' &&
          f.name !== 'id' &&
          grant.update !== 'none' &&
          canWriteField(ctx.actor, o, f.name),
      })),
    related_lists: d.related_lists.filter((r) => {
      const other = ctx.k.meta.find(r.object);
      return (
        !!other &&
        grantFor(ctx.actor.role, r.object).read !== 'none' &&
        canReadField(ctx.actor, other, r.field)
      );
    }),
  };
}

/** The metadata API: read objects and fields; administrators add, change and remove them. */
export async function metadataRoutes(app: FastifyInstance) {
  const k = app.kontor;
  // Metadata changes are applied to the shared registry after their transaction commits.
  const change = async <T>(
    request: Parameters<typeof writeTransaction>[0],
    fn: (ctx: RecordContext) => Promise<T>,
  ) => {
    try {
      return await writeTransaction(request, async (ctx) => {
        const result = await fn(ctx);
        await k.database.notify(ctx.db, METADATA_CHANNEL, 'changed');
        return result;
      });
    } finally {
      await k.meta.load(k.database.db);
    }
  };

  app.get('/api/v1/metadata/objects', async (request) => {
    const ctx = readContext(request);
    const objects = k.meta.all().filter((o) => grantFor(ctx.actor.role, o.name).read !== 'none');
    return { data: objects.map((o) => visible(ctx, o)) };
  });

  app.get<{ Params: O }>('/api/v1/metadata/objects/:object', async (request) => {
    const ctx = readContext(request);
    const object = k.meta.get(request.params.object);
    assertCan(ctx.actor, object, 'read');
    return visible(ctx, object);
  });

  app.post('/api/v1/metadata/objects', async (request, reply) => {
    requireActor(request);
    const created = await change(request, (ctx) => createObject(ctx, request.body));
    return reply.status(201).send(describeObject(readContext(request), k.meta.get(created.name)));
  });

  app.patch<{ Params: O }>('/api/v1/metadata/objects/:object', async (request) => {
    const name = k.meta.get(request.params.object).name;
    const body = request.body as { name?: string } | null;
    await change(request, (ctx) => updateObject(ctx, name, request.body));
    return describeObject(
      readContext(request),
      k.meta.get(typeof body?.name === 'string' ? body.name : name),
    );
  });

  app.delete<{ Params: O }>('/api/v1/metadata/objects/:object', async (request, reply) => {
    const name = k.meta.get(request.params.object).name;
    await change(request, (ctx) => deleteObject(ctx, name));
    return reply.status(204).send();
  });

  app.post<{ Params: O }>('/api/v1/metadata/objects/:object/fields', async (request, reply) => {
    const name = k.meta.get(request.params.object).name;
    const field = await change(request, (ctx) => createField(ctx, name, request.body));
    const d = describeObject(readContext(request), k.meta.get(name));
    return reply.status(201).send(d.fields.find((f) => f.name === field.name));
  });

  app.patch<{ Params: F }>('/api/v1/metadata/objects/:object/fields/:field', async (request) => {
    const name = k.meta.get(request.params.object).name;
    const body = request.body as { name?: string } | null;
    await change(request, (ctx) => updateField(ctx, name, request.params.field, request.body));
    const d = describeObject(readContext(request), k.meta.get(name));
    const wanted = typeof body?.name === 'string' ? body.name : request.params.field;
    return d.fields.find((f) => f.name === wanted);
  });

  app.delete<{ Params: F }>(
    '/api/v1/metadata/objects/:object/fields/:field',
    async (request, reply) => {
      const name = k.meta.get(request.params.object).name;
      await change(request, (ctx) => deleteField(ctx, name, request.params.field));
      return reply.status(204).send();
    },
  );
}
