import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PNG } from '../support/forms';
import { browserSession, chromiumAvailable, signIn } from './session';

/**
 * An installation team without a login: a link sent from the task's page, opened on a phone,
 * filled in with a photo; the deal then holds the result and the task is done.
 */
describe.skipIf(!chromiumAvailable)('forms for people without a login in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: Page;
  beforeAll(async () => {
    session.page.setDefaultTimeout(10_000);
    await signIn(session.page, session.base);
  });
  beforeEach(() => {
    ({ s, base, page } = session);
    // Links point at the server under test.
    s.kontor.settings.publicUrl = base;
  });

  test('a link sent from a task is filled in on a phone with a photo and writes the deal', async () => {
    await s.call('POST', '/api/v1/forms', {
      name: 'Installation report',
      kind: 'task',
      fields: [
        {
          name: 'installed_on',
          label: 'Installed on',
          type: 'date',
          required: true,
          target_field: 'deals.expected_close_date',
        },
        { name: 'notes', label: 'Notes', type: 'long_text', target_field: 'deals.description' },
        { name: 'photos', label: 'Photos', type: 'photo', required: true },
        {
          name: 'confirmed',
          label: 'The customer confirmed the work',
          type: 'boolean',
          required: true,
        },
      ],
    });
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Windows for Alfreds' })).body;
    const task = (
      await s.call('POST', '/api/v1/tasks', {
        title: 'Install the windows',
        related_object: 'deals',
        related_id: deal.id,
      })
    ).body;

    // The office sends the link from the task's page and copies it.
    await page.goto(`${base}/o/tasks/${task.id}`);
    await page.getByRole('heading', { name: 'Install the windows' }).waitFor();
    await page.getByRole('button', { name: 'Send form link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send form link' });
    await dialog.getByRole('combobox', { name: 'Form' }).click();
    await page.getByRole('option', { name: 'Installation report' }).click();
    await dialog.getByRole('textbox', { name: 'Recipient', exact: true }).fill('Installation team');
    // The server's clock is the test's, not the browser's: the expiry is typed relative to it.
    await dialog.getByLabel('Valid until').fill('2026-03-09T18:00');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const linkBox = page.getByRole('dialog', { name: 'The link is ready' }).getByRole('textbox', {
      name: 'Link',
    });
    await linkBox.waitFor();
    const url = await linkBox.inputValue();
    expect(url).toMatch(new RegExp(`^${base}/f/[A-Za-z0-9_-]{43}$`));
    await page
      .getByRole('dialog', { name: 'The link is ready' })
      .getByRole('button', { name: 'Done' })
      .click();
    const links = page.getByRole('region', { name: 'Form links' });
    await links.getByText('Not sent').waitFor();

    // The team opens it on a phone: no session, no script, a form that fits the screen.
    const phone = await session.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: true,
    });
    const mobile = await phone.newPage();
    const violations: string[] = [];
    mobile.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) violations.push(m.text());
    });
    try {
      await mobile.goto(url);
      await mobile.getByRole('heading', { name: 'Installation report' }).waitFor();
      await mobile.getByText('Task: Install the windows').waitFor();
      expect(await mobile.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      // The inline style is allowed by its hash: the button is styled, not the browser default.
      expect(
        await mobile
          .getByRole('button', { name: 'Send' })
          .evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor),
      ).toBe('rgb(28, 100, 242)');

      if (process.env.KONTOR_SCREENSHOTS)
        await mobile.screenshot({
          path: `${process.env.KONTOR_SCREENSHOTS}/form-link.png`,
          fullPage: true,
        });
      await mobile.getByLabel('Installed on').fill('2026-03-05');
      await mobile.getByLabel('Notes').fill('Mounted on the north wall; the customer is happy.');
      await mobile
        .getByLabel('Photos')
        .setInputFiles({ name: 'wall.png', mimeType: 'image/png', buffer: PNG });
      await mobile.getByLabel('The customer confirmed the work').check();
      await mobile.getByRole('button', { name: 'Send' }).tap();
      await mobile.getByRole('heading', { name: 'Thank you' }).waitFor();

      // The same link a second time: a clear page, nothing else.
      await mobile.goto(url);
      await mobile.getByRole('heading', { name: 'This form has already been sent' }).waitFor();
      expect(violations).toEqual([]);
    } finally {
      await phone.close();
    }

    const after = (await s.call('GET', `/api/v1/deals/${deal.id}`)).body;
    expect(after).toMatchObject({
      expected_close_date: '2026-03-05',
      description: 'Mounted on the north wall; the customer is happy.',
    });
    expect((await s.call('GET', `/api/v1/tasks/${task.id}`)).body.status).toBe('done');
    const files = (await s.call('GET', `/api/v1/deals/${deal.id}/files`)).body.data;
    expect(files).toEqual([expect.objectContaining({ name: 'wall.png', mime: 'image/png' })]);

    // The office sees the link used, and the deal shows the result.
    await page.reload();
    await page.getByRole('region', { name: 'Form links' }).getByText('Used').waitFor();
    await page.goto(`${base}/o/deals/${deal.id}`);
    await expect
      .poll(() => page.getByRole('button', { name: 'Change Description' }).textContent())
      .toContain('Mounted on the north wall; the customer is happy.');
    // The timeline says the change came through the link, not from a user.
    await page
      .getByText(/through a form link/)
      .first()
      .waitFor();
  });

  test('an administrator builds a web form in Settings and copies its snippet', async () => {
    await page.goto(`${base}/settings/forms`);
    await page.getByRole('button', { name: 'New form' }).click();
    const dialog = page.getByRole('dialog', { name: 'New form' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Contact us');
    await dialog.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Web form' }).click();
    await dialog.getByRole('textbox', { name: 'Label' }).fill('E-mail');
    await dialog.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'E-mail' }).click();
    await dialog.getByRole('combobox', { name: 'Write into' }).click();
    await page.getByRole('option', { name: 'Lead: E-mail' }).click();
    await dialog
      .getByRole('textbox', { name: /Allowed websites/ })
      .fill('https://www.example.com/contact');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The server's message is shown at the input it concerns.
    await dialog.getByText(/must be an origin like/).waitFor();
    await dialog.getByRole('textbox', { name: /Allowed websites/ }).fill('https://www.example.com');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row', { name: 'Contact us' }).waitFor();
    const form = (await s.call('GET', '/api/v1/forms')).body.data.find(
      (f: { name: string }) => f.name === 'Contact us',
    );
    expect(form).toMatchObject({
      kind: 'web',
      allowed_origins: ['https://www.example.com'],
      fields: [
        expect.objectContaining({ name: 'e_mail', type: 'email', target_field: 'leads.email' }),
      ],
    });
    await page
      .getByRole('row', { name: 'Contact us' })
      .getByRole('button', { name: 'Edit' })
      .click();
    await page.getByText(`/public/forms/${form.id}/embed.js`).waitFor();
  });
});
