import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { checkPassword, hashPassword, MIN_PASSWORD_LENGTH } from '../core/auth/passwords';
import {
  createSession,
  destroySession,
  resolveApiKey,
  resolveSession,
  sha256,
} from '../core/auth/tokens';
import { actorForUser, findUserByEmail, publicUser, type UserRow } from '../core/auth/users';
import { boolFromDb, boolToDb } from '../db/column-types';
import { isoNow } from '../core/clock';
import { AppError, validationError, parseInput } from '../core/errors';
import { requireActor } from './context';

export const SESSION_COOKIE = 'kontor_session';
// A hash of a random text nobody knows, made once, checked against for unknown addresses.
let dummyHash: Promise<string> | null = null;
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Who is calling: an API key (`Authorization: Bearer`) or a session cookie. Cookie-authenticated
 * writes must echo the session's CSRF token in `X-CSRF-Token`; the cookie alone is not enough.
 */
export async function authenticate(request: FastifyRequest) {
  request.actor = null;
  // Pages and endpoints for people without a login (form links, web forms) act on no one's
  // behalf: a session cookie the browser happens to hold must neither count nor be checked.
  if (request.routeOptions.config?.public) return;
  const k = request.server.kontor;
  const auth = request.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const actor = m ? await resolveApiKey(k.database.db, k.clock, m[1]) : undefined;
    if (!actor) throw new AppError('unauthenticated', 'The API key is unknown or revoked');
    request.actor = actor;
    return;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return;
  const session = await resolveSession(k.database.db, k.clock, token);
  if (!session) return;
  if (UNSAFE.has(request.method) && !request.url.startsWith('/api/auth/login')) {
    if (request.headers['x-csrf-token'] !== session.csrf) {
      throw new AppError(
        'forbidden',
        'Missing or wrong X-CSRF-Token header for a signed-in request',
      );
    }
  }
  // A one-time password must be replaced before the session can reach any data. The web app's
  // pages and files are no data: a deep link still loads the app, which asks for a new password.
  const allowed = ['/api/auth/password', '/api/auth/me', '/api/auth/logout'];
  if (
    session.mustChangePassword &&
    request.url.startsWith('/api/') &&
    !allowed.some((p) => request.url.startsWith(p))
  ) {
    throw new AppError(
      'forbidden',
      'Change your one-time password first (POST /api/auth/password)',
      [],
      { must_change_password: true },
    );
  }
  request.actor = session.actor;
  request.csrfToken = session.csrf;
}

const loginSchema = z.strictObject({ email: z.string().max(254), password: z.string().max(200) });
const passwordSchema = z.strictObject({
  current_password: z.string().max(200),
  new_password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(200),
});

export async function authRoutes(app: FastifyInstance) {
  const secure = false; // Limitation: cookies are not marked Secure (the server speaks plain HTTP; put TLS in front).

  app.post(
    '/api/auth/login',
    { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const { email, password } = parseInput(loginSchema, request.body);
      const k = app.kontor;
      const user = await findUserByEmail(k.database.db, email);
      // An unknown address costs the same hash check, so timing does not tell which addresses exist.
      const ok =
        (await checkPassword(user?.password_hash ?? (await dummy()), password)) &&
        !!user &&
        boolFromDb(user.is_active);
      if (!ok || !user) throw new AppError('unauthenticated', 'Wrong e-mail or password');
      const { token, csrf } = await createSession(k.database.db, k.clock, user.id);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure,
        maxAge: 14 * 86400,
      });
      const actor = await actorForUser(k.database.db, user.id);
      return { user: { ...publicUser(user), is_admin: !!actor?.role.isAdmin }, csrf_token: csrf };
    },
  );

  app.post('/api/auth/logout', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await destroySession(app.kontor.database.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', async (request) => {
    const actor = requireActor(request);
    const user = (await app.kontor.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', actor.userId)
      .executeTakeFirst()) as UserRow;
    // Another tab of the same session reads its CSRF token here (same origin only: no CORS).
    return {
      user: {
        ...publicUser(user),
        is_admin: actor.role.isAdmin,
        default_currency: app.kontor.settings.currency,
      },
      via: actor.kind,
      ...(request.csrfToken ? { csrf_token: request.csrfToken } : {}),
    };
  });

  app.post('/api/auth/password', async (request) => {
    const actor = requireActor(request);
    const body = parseInput(passwordSchema, request.body);
    const k = app.kontor;
    const user = (await k.database.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', actor.userId)
      .executeTakeFirst()) as UserRow;
    if (!(await checkPassword(user.password_hash, body.current_password))) {
      throw validationError([{ path: 'current_password', message: 'is wrong' }]);
    }
    await k.database.db
      .updateTable('users')
      .set({
        password_hash: await hashPassword(body.new_password),
        must_change_password: boolToDb(k.database.dialect, false),
        updated_at: isoNow(k.clock),
      })
      .where('id', '=', user.id)
      .execute();
    // Other sessions (another browser, a stolen cookie) end with the old password.
    const token = request.cookies[SESSION_COOKIE];
    let q = k.database.db.deleteFrom('sessions').where('user_id', '=', user.id);
    if (token) q = q.where('id', '<>', sha256(token));
    await q.execute();
    return { ok: true };
  });
}
