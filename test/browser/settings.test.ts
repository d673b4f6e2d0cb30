import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/** The administrators' Settings area in Chromium, against a real server and a fresh database. */
describe.skipIf(!chromiumAvailable)('the Settings area in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: typeof session.page;
  beforeAll(async () => {
    await signIn(session.page, session.base);
  });
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  test('lists the sections and creates a user, showing the one-time password once', async () => {
    await page.goto(`${base}/settings`);
    const nav = page.getByRole('navigation', { name: 'Settings sections' });
    for (const name of ['Users', 'Roles', 'Pipelines and stages', 'Custom objects', 'Fields'])
      await nav.getByRole('link', { name, exact: true }).waitFor();
    await nav.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Olena Koval');
    await dialog.getByLabel('E-mail').fill('olena@example.com');
    await dialog.getByRole('button', { name: 'New user' }).click();

    const shown = page.getByRole('dialog', { name: 'Olena Koval can sign in now' });
    const password = await shown.getByLabel('One-time password').inputValue();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await shown.getByRole('button', { name: 'Done' }).click();
    await page
      .getByRole('row', { name: 'Olena Koval' })
      .getByText('Sales representative')
      .waitFor();
    await page
      .getByRole('row', { name: 'Olena Koval' })
      .getByText('Has not chosen a password yet')
      .waitFor();

    // The password works once, and the user must choose their own first.
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'olena@example.com', password },
    });
    expect(login.statusCode).toBe(200);
    expect(JSON.parse(login.body).user.must_change_password).toBe(true);
  });

  test('creates a role and grants it reading companies', async () => {
    await page.goto(`${base}/settings/roles`);
    await page.getByRole('button', { name: 'New role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Readers');
    await dialog.getByRole('button', { name: 'New role' }).click();
    const matrix = page.getByRole('table', { name: 'Permissions of Readers' });
    await matrix.waitFor();
    await matrix.getByLabel('Companies: Read', { exact: true }).selectOption('all');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved').waitFor();

    // The server's refusal shows next to what it concerns.
    const form = page.getByRole('form', { name: 'Role Readers' });
    await form.getByLabel('Name').fill('Administrator');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('is taken').waitFor();
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Discard changes' }).click();

    const roles = (await s.call('GET', '/api/v1/roles')).body.data as {
      name: string;
      permissions: { objects: Record<string, { read: string; create: boolean }> };
    }[];
    const readers = roles.find((r) => r.name === 'Readers')!;
    expect(readers.permissions.objects.companies).toMatchObject({ read: 'all', create: false });
    expect(readers.permissions.objects.contacts).toBeUndefined();
  });

  test('adds a stage, moves it by keyboard and by drag, and the board follows; a stage with deals stays', async () => {
    await page.goto(`${base}/settings/pipelines`);
    const list = page.getByRole('list', { name: 'Stages of Sales' });
    await list.getByRole('listitem', { name: 'Lost' }).waitFor();
    await page.getByLabel('New stage').fill('Demo');
    await page.getByRole('button', { name: 'Add stage' }).click();
    await list.getByRole('listitem', { name: 'Demo' }).waitFor();

    const order = async () =>
      (
        (await s.call('GET', '/api/v1/stages?sort=position&limit=100')).body.data as {
          name: string;
        }[]
      ).map((x) => x.name);
    expect(await order()).toEqual([
      'New',
      'Qualified',
      'Proposal',
      'Negotiation',
      'Won',
      'Lost',
      'Demo',
    ]);

    // With the keyboard: focus the button and press Enter.
    await page.getByRole('button', { name: 'Move Demo up' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(order)
      .toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Demo', 'Lost']);
    // By drag: Demo dropped on Won takes its place.
    await list
      .getByRole('listitem', { name: 'Demo' })
      .locator('[data-drag-handle]')
      .dragTo(list.getByRole('listitem', { name: 'Won' }));
    await expect
      .poll(order)
      .toEqual(['New', 'Qualified', 'Proposal', 'Negotiation', 'Demo', 'Won', 'Lost']);

    await page.goto(`${base}/board/deals`);
    await page.getByRole('list', { name: 'Column Demo' }).waitFor();
    const columns = await page
      .getByRole('list', { name: /^Column / })
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(columns).toEqual([
      'Column New',
      'Column Qualified',
      'Column Proposal',
      'Column Negotiation',
      'Column Demo',
      'Column Won',
      'Column Lost',
    ]);

    // A stage that a deal is in is not removed, and the page says why.
    const stages = (await s.call('GET', '/api/v1/stages?sort=position')).body.data as {
      id: string;
      name: string;
    }[];
    await s.call('POST', '/api/v1/deals', {
      name: 'Demo deal',
      stage_id: stages.find((x) => x.name === 'Demo')!.id,
    });
    await page.goto(`${base}/settings/pipelines`);
    await list.getByRole('listitem', { name: 'Demo' }).getByText('1 deal').waitFor();
    await page.getByRole('button', { name: 'Remove the stage Demo' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog
      .getByRole('alert')
      .getByText('1 deal is in this stage, so it cannot be removed')
      .waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await order()).toContain('Demo');
  });

  test('creates a custom object and finds it in the sidebar at once', async () => {
    await page.goto(`${base}/settings/objects`);
    await page.getByRole('button', { name: 'New object' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Label (one)').fill('Engagement');
    await dialog.getByLabel('Label (many)').fill('Engagements');
    expect(await dialog.getByLabel('API name').inputValue()).toBe('engagements');
    await dialog.getByRole('button', { name: 'New object' }).click();
    const sidebar = page.getByRole('navigation', { name: 'Objects' });
    await sidebar.getByRole('link', { name: 'Engagements' }).waitFor();

    // Its fields are one click away.
    await page.getByRole('link', { name: 'Fields of Engagements' }).click();
    await page
      .getByRole('table', { name: 'Fields of Engagements' })
      .getByText('name', { exact: true })
      .waitFor();
    await sidebar.getByRole('link', { name: 'Engagements' }).click();
    await page.getByRole('heading', { name: 'Engagements' }).waitFor();
  });

  test('edits the choices of a select field: adds, renames and reorders them', async () => {
    await s.call('POST', '/api/v1/metadata/objects/companies/fields', {
      name: 'tier',
      label: 'Tier',
      type: 'select',
      options: [
        { value: 'gold', label: 'Gold' },
        { value: 'silver', label: 'Silver' },
      ],
    });
    await page.goto(`${base}/settings/fields?object=companies`);
    await page.getByRole('button', { name: 'Choices of Tier' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Label of the choice silver').fill('Silver plus');
    await dialog.getByLabel('New choice').fill('Bronze');
    await dialog.getByRole('button', { name: 'Add choice' }).click();
    await dialog.getByRole('button', { name: 'Move Gold down' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const tier = (await s.call('GET', '/api/v1/metadata/objects/companies')).body.fields.find(
      (f: { name: string }) => f.name === 'tier',
    );
    expect(tier.options).toEqual([
      { value: 'silver', label: 'Silver plus' },
      { value: 'gold', label: 'Gold' },
      { value: 'bronze', label: 'Bronze' },
    ]);
  });

  test('creates an API key, shown once, and revokes it; the revoked key is refused', async () => {
    await page.goto(`${base}/settings/api-keys`);
    await page.getByRole('button', { name: 'New API key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Website form');
    await dialog.getByRole('button', { name: 'New API key' }).click();
    const shown = page.getByRole('dialog', { name: 'API key Website form' });
    const key = await shown.getByLabel('Key').inputValue();
    expect(key).toMatch(/^kontor_/);
    await shown.getByRole('button', { name: 'Done' }).click();

    const withKey = async () =>
      (
        await s.app.inject({
          method: 'GET',
          url: '/api/v1/companies',
          headers: { authorization: `Bearer ${key}` },
        })
      ).statusCode;
    expect(await withKey()).toBe(200);
    // The list never shows the key again.
    const row = page.getByRole('row', { name: 'Website form' });
    await row.getByText('Active').waitFor();
    expect(await page.getByText(key).count()).toBe(0);

    await page.getByRole('button', { name: 'Revoke the key Website form' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/^Revoked/).waitFor();
    expect(await withKey()).toBe(401);
  });

  test('someone who is not an administrator is told so, and the server refuses them', async () => {
    const rep = await s.keyFor({
      email: 'rep@example.com',
      name: 'Rep',
      role: 'Sales representative',
    });
    const context = await session.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const other = await context.newPage();
    await other.goto(`${base}/`);
    await other.getByLabel('E-mail').fill('rep@example.com');
    await other.locator('input[type=password]').fill('user-password-1');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('navigation', { name: 'Objects' }).waitFor();
    await other.goto(`${base}/settings/users`);
    await other.getByRole('alert').getByText('You need to be an administrator').waitFor();
    expect(await other.getByRole('button', { name: 'New user' }).count()).toBe(0);
    await context.close();

    const refused = await s.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${rep.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x@example.com', name: 'X' }),
    });
    expect(refused.statusCode).toBe(403);
  });
});
