import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors';
import { queryFlag, readContext, writeTransaction } from '../../http/context';
import { idempotentWrite } from '../../http/idempotency';
import { acceptMultipart, readMultipart } from '../../http/multipart';
import { errorHandler } from '../../http/problem';
import {
  archiveForm,
  createForm,
  listForms,
  loadForm,
  updateForm,
  type FormDef,
} from './definitions';
import {
  createLinkFromRequest,
  LinkGoneError,
  listTaskLinks,
  openLink,
  revokeFormLink,
  submitFormLink,
  type LinkGone,
  type SubmittedFile,
} from './links';
import { formPage, messagePage, pageLang, sendPage, words, type PageLang } from './page';
import { embedScript, embedSnippet, loadWebForm, originAllowed, submitWebForm } from './web-forms';

type IdParams = { id: string };

/** A form as the API shows it; a web form carries the snippet to paste into a website. */
function formOut(request: FastifyRequest, form: FormDef) {
  return form.kind === 'web'
    ? { ...form, embed_snippet: embedSnippet(request.server.kontor, form) }
    : form;
}

/** Form definitions, submissions and a task's links, for signed-in users. */
async function apiRoutes(app: FastifyInstance) {
  app.get('/api/v1/forms', async (request) => {
    const ctx = readContext(request);
    const forms = await listForms(ctx, queryFlag(request.query, 'include_archived'));
    return { data: forms.map((f) => formOut(request, f)) };
  });

  app.post('/api/v1/forms', async (request, reply) =>
    idempotentWrite(request, reply, 201, async (ctx) =>
      formOut(request, await createForm(ctx, request.body)),
    ),
  );

  app.get<{ Params: IdParams }>('/api/v1/forms/:id', async (request) =>
    formOut(request, await loadForm(readContext(request), request.params.id)),
  );

  app.patch<{ Params: IdParams }>('/api/v1/forms/:id', async (request) =>
    writeTransaction(request, async (ctx) =>
      formOut(request, await updateForm(ctx, request.params.id, request.body)),
    ),
  );

  app.delete<{ Params: IdParams }>('/api/v1/forms/:id', async (request) =>
    writeTransaction(request, async (ctx) =>
      formOut(request, await archiveForm(ctx, request.params.id, true)),
    ),
  );

  app.post<{ Params: IdParams }>('/api/v1/forms/:id/restore', async (request) =>
    writeTransaction(request, async (ctx) =>
      formOut(request, await archiveForm(ctx, request.params.id, false)),
    ),
  );

  /** What a form received, newest first (administrators: it holds visitors' personal data). */
  app.get<{ Params: IdParams }>('/api/v1/forms/:id/submissions', async (request) => {
    const ctx = readContext(request);
    if (!ctx.actor.role.isAdmin)
      throw new AppError('forbidden', 'Only administrators may read form submissions');
    const form = await loadForm(ctx, request.params.id);
    const rows = (await ctx.db
      .selectFrom('form_submissions')
      .selectAll()
      .where('form_id', '=', form.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(200)
      .execute()) as Record<string, unknown>[];
    return {
      data: rows.map(({ field_values, file_ids, ...r }) => ({
        ...r,
        values: JSON.parse(String(field_values)),
        file_ids: JSON.parse(String(file_ids)),
      })),
    };
  });

  app.post<{ Params: IdParams }>('/api/v1/tasks/:id/form-links', async (request, reply) =>
    idempotentWrite(request, reply, 201, (ctx) =>
      createLinkFromRequest(ctx, request.params.id, request.body),
    ),
  );

  app.get<{ Params: IdParams }>('/api/v1/tasks/:id/form-links', async (request) => ({
    data: await listTaskLinks(readContext(request), request.params.id),
  }));

  app.post<{ Params: IdParams }>('/api/v1/forms/links/:id/revoke', async (request) =>
    writeTransaction(request, (ctx) => revokeFormLink(ctx, request.params.id)),
  );
}

const GONE: Record<
  LinkGone,
  [status: number, title: keyof ReturnType<typeof words>, text: keyof ReturnType<typeof words>]
> = {
  not_found: [404, 'notFound', 'notFoundText'],
  used: [410, 'used', 'usedText'],
  expired: [410, 'expired', 'expiredText'],
  revoked: [410, 'revoked', 'revokedText'],
  closed: [410, 'closed', 'closedText'],
};

function gonePage(reply: FastifyReply, lang: PageLang, reason: LinkGone) {
  const [status, title, text] = GONE[reason];
  const w = words(lang);
  return sendPage(reply, status, messagePage(lang, w[title], w[text]));
}

/** Parses a urlencoded body into field → texts, like the multipart reader. */
function urlencoded(app: FastifyInstance) {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 256 * 1024 },
    (_request, body, done) => {
      const out: Record<string, string[]> = Object.create(null);
      for (const [k, v] of new URLSearchParams(body as string)) (out[k] ??= []).push(v);
      done(null, out);
    },
  );
}

type TokenParams = { token: string };

/** The pages behind a form link: no login, no cookie, no script; every answer is a page. */
async function linkPages(app: FastifyInstance) {
  await acceptMultipart(app);
  urlencoded(app);
  // Whatever goes wrong on these routes (too many tries, too large files), the visitor gets a
  // page, not a problem document.
  app.setErrorHandler((error: Error, request, reply) => {
    const lang = pageLang(request);
    const w = words(lang);
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof AppError && error.code === 'rate_limited')
      return sendPage(reply, 429, messagePage(lang, w.tooMany, w.tooManyText));
    if ((error instanceof AppError && error.code === 'payload_too_large') || status === 413)
      return sendPage(reply, 413, messagePage(lang, w.tooLarge, w.tooLargeText));
    return errorHandler(error, request, reply);
  });
  const limit = { rateLimit: { max: 30, timeWindow: '1 minute' }, public: true };

  app.get<{ Params: TokenParams }>('/f/:token', { config: limit }, async (request, reply) => {
    const lang = pageLang(request);
    try {
      const { link, form, task } = await openLink(app.kontor, request.params.token);
      return sendPage(
        reply,
        200,
        formPage({
          lang,
          title: form.name,
          subtitle: task.title,
          description: form.description,
          fields: form.fields,
          values: {},
          errors: [],
          timeZone: link.time_zone,
        }),
      );
    } catch (e) {
      if (e instanceof LinkGoneError) return gonePage(reply, lang, e.reason);
      throw e;
    }
  });

  app.post<{ Params: TokenParams }>('/f/:token', { config: limit }, async (request, reply) => {
    const lang = pageLang(request);
    let fields: Record<string, unknown> = {};
    let files: SubmittedFile[] = [];
    try {
      // The link is checked before a byte of the body is read: a dead link costs no upload.
      await openLink(app.kontor, request.params.token);
      if (request.isMultipart()) ({ fields, files } = await readMultipart(request));
      else if (request.body && typeof request.body === 'object')
        fields = request.body as Record<string, unknown>;
      const { form } = await submitFormLink(app.kontor, request.params.token, { fields, files });
      const w = words(lang);
      return sendPage(reply, 200, messagePage(lang, w.thanks, form.success_message || w.sent));
    } catch (e) {
      if (e instanceof LinkGoneError) return gonePage(reply, lang, e.reason);
      if (e instanceof AppError && e.code === 'validation') {
        // The link is still open (a validation error changed nothing), unless it was used or
        // revoked in the meantime.
        const opened = await openLink(app.kontor, request.params.token).catch((gone: unknown) => {
          if (gone instanceof LinkGoneError) return gone;
          throw gone;
        });
        if (opened instanceof LinkGoneError) return gonePage(reply, lang, opened.reason);
        const { link, form, task } = opened;
        const values = Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        );
        return sendPage(
          reply,
          400,
          formPage({
            lang,
            title: form.name,
            subtitle: task.title,
            description: form.description,
            fields: form.fields,
            values,
            errors: e.errors.length ? e.errors : [{ path: 'form', message: e.message }],
            timeZone: link.time_zone,
          }),
        );
      }
      throw e;
    }
  });
}

/** The endpoints a website calls: its form's script, preflight and submission. */
async function webFormEndpoints(app: FastifyInstance) {
  urlencoded(app);

  app.get<{ Params: IdParams }>(
    '/public/forms/:id/embed.js',
    { config: { public: true } },
    async (request, reply) => {
      const form = await loadWebForm(app.kontor, request.params.id);
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(embedScript(app.kontor, form));
    },
  );

  app.options<{ Params: IdParams }>(
    '/public/forms/:id/submit',
    { config: { public: true } },
    async (request, reply) => {
      const form = await loadWebForm(app.kontor, request.params.id);
      const origin = request.headers.origin;
      reply.header('vary', 'Origin');
      if (!originAllowed(form, origin))
        throw new AppError('forbidden', `Origin ${origin ?? '(none)'} may not send this form`);
      return reply
        .status(204)
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .send();
    },
  );

  app.post<{ Params: IdParams }>(
    '/public/forms/:id/submit',
    {
      config: {
        public: true,
        rateLimit: {
          max: 5,
          timeWindow: '1 minute',
          keyGenerator: (request: FastifyRequest) =>
            `${request.ip}|${(request.params as IdParams).id}`,
        },
      },
    },
    async (request, reply) => {
      const form = await loadWebForm(app.kontor, request.params.id);
      const origin = request.headers.origin;
      reply.header('vary', 'Origin');
      // A browser always names the page's origin; a request without one comes from a server.
      if (origin !== undefined) {
        if (!originAllowed(form, origin))
          throw new AppError('forbidden', `Origin ${origin} may not send this form`);
        reply.header('access-control-allow-origin', origin);
      }
      const body = request.body;
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw new AppError('validation', 'Send the form as a JSON object or urlencoded', [
          { path: 'body', message: 'must be a JSON object or urlencoded fields' },
        ]);
      await submitWebForm(app.kontor, form, body as Record<string, unknown>);
      // The same answer whether a lead was created, matched or the sender was taken for a bot:
      // the visitor learns nothing about who is already known.
      const message = form.success_message || 'Thank you! We will be in touch.';
      if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        const lang = pageLang(request);
        return sendPage(reply, 200, messagePage(lang, words(lang).thanks, message));
      }
      return reply.status(201).send({ status: 'received', message });
    },
  );
}

export async function formsRoutes(app: FastifyInstance) {
  await app.register(apiRoutes);
  await app.register(linkPages);
  await app.register(webFormEndpoints);
}
