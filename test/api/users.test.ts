import { describe, expect, test } from 'vitest';
import { DIALECTS, callAs, serverFor } from '../helpers';

describe.each(DIALECTS)('users, roles and API keys on %s', (dialect) => {
  const s = serverFor(dialect);

  test('an administrator creates a role, a user in it, and changes their team; the role takes effect', async () => {
    const role = await s!.call('POST', '/api/v1/roles', {
      name: 'Readers',
      permissions: { objects: { companies: { read: 'all' } } },
    });
    expect(role.status).toBe(201);
    const user = await s!.call('POST', '/api/v1/users', {
      email: 'reader@example.com',
      name: 'Reader',
      password: 'reader-pass-1',
      role: 'Readers',
    });
    expect(user.status).toBe(201);
    const patched = await s!.call('PATCH', `/api/v1/users/${user.body.id}`, {
      team: 'Back office',
      title: 'Clerk',
    });
    expect(patched.body).toMatchObject({ title: 'Clerk', team_id: expect.any(String) });

    const login = await s!.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'READER@example.com', password: 'reader-pass-1' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const csrf = JSON.parse(login.body).csrf_token;
    const list = await s!.app.inject({
      method: 'GET',
      url: '/api/v1/companies',
      headers: { cookie },
    });
    expect(list.statusCode).toBe(200);
    const write = await s!.app.inject({
      method: 'POST',
      url: '/api/v1/companies',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { name: 'Nope' },
    });
    expect(write.statusCode).toBe(403);
    const selfPromote = await s!.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.body.id}`,
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { role_id: role.body.id },
    });
    expect(selfPromote.statusCode).toBe(403);
    const ownLocale = await s!.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.body.id}`,
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { locale: 'uk', time_zone: 'Europe/Kyiv' },
    });
    expect(ownLocale.statusCode).toBe(200);
    expect(JSON.parse(ownLocale.body)).toMatchObject({ locale: 'uk', time_zone: 'Europe/Kyiv' });

    const deactivated = await s!.call('PATCH', `/api/v1/users/${user.body.id}`, {
      is_active: false,
    });
    expect(deactivated.body.is_active).toBe(false);
    const after = await s!.app.inject({
      method: 'GET',
      url: '/api/v1/companies',
      headers: { cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  test('changes a password only with the current one', async () => {
    const u = await s!.keyFor({
      email: 'pw@example.com',
      name: 'PW',
      role: 'Sales representative',
    });
    const as = callAs(s!, u.key);
    expect(
      (
        await as('POST', '/api/auth/password', {
          current_password: 'wrong-one-123',
          new_password: 'new-password-1',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await as('POST', '/api/auth/password', {
          current_password: 'user-password-1',
          new_password: 'short',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await as('POST', '/api/auth/password', {
          current_password: 'user-password-1',
          new_password: 'new-password-1',
        })
      ).status,
    ).toBe(200);
    const login = await s!.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'pw@example.com', password: 'new-password-1' },
    });
    expect(login.statusCode).toBe(200);
  });

  test('a revoked API key stops working at once', async () => {
    const created = await s!.call('POST', '/api/v1/api-keys', { name: 'temporary' });
    expect(created.status).toBe(201);
    const as = callAs(s!, created.body.key);
    expect((await as('GET', '/api/v1/companies')).status).toBe(200);
    const listed = await s!.call('GET', '/api/v1/api-keys');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect((await s!.call('DELETE', `/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    expect((await as('GET', '/api/v1/companies')).status).toBe(401);
  });
});
