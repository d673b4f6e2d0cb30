import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/** The record page: fields edited in place, actions, related lists, lead conversion, trash. */
describe.skipIf(!chromiumAvailable)('the record page in Chromium', () => {
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
  });

  test("edits a field in place, shows the server's message next to it, then saves the fix", async () => {
    const c = (await s.call('POST', '/api/v1/contacts', { first_name: 'Ivo', last_name: 'Marek' }))
      .body;
    await page.goto(`${base}/o/contacts/${c.id}`);
    await page.getByRole('heading', { name: 'Ivo Marek' }).waitFor();
    await page.getByRole('button', { name: 'Change E-mail' }).click();
    const email = page.getByRole('textbox', { name: 'E-mail' });
    await email.fill('ivo-at-example');
    await email.press('Enter');
    await page.getByText('must be an e-mail address like name@example.com').waitFor();
    expect((await s.call('GET', `/api/v1/contacts/${c.id}`)).body.email).toBeNull();
    await email.fill('ivo@example.com');
    await email.press('Enter');
    await page.getByRole('button', { name: 'Change E-mail' }).waitFor();
    expect(await page.getByRole('button', { name: 'Change E-mail' }).textContent()).toContain(
      'ivo@example.com',
    );
    expect((await s.call('GET', `/api/v1/contacts/${c.id}`)).body).toMatchObject({
      email: 'ivo@example.com',
      version: 2,
    });

    // Escape leaves the value as it was.
    await page.getByRole('button', { name: 'Change Job title' }).click();
    await page.getByRole('textbox', { name: 'Job title' }).fill('Nope');
    await page.getByRole('textbox', { name: 'Job title' }).press('Escape');
    await page.getByRole('button', { name: 'Change Job title' }).waitFor();
    expect((await s.call('GET', `/api/v1/contacts/${c.id}`)).body.job_title).toBeNull();

    // Someone else saves meanwhile: the edit is refused and the page offers to reload.
    await page.getByRole('button', { name: 'Change Job title' }).click();
    await s.call('PATCH', `/api/v1/contacts/${c.id}`, { job_title: 'Buyer' });
    await page.getByRole('textbox', { name: 'Job title' }).fill('Seller');
    await page.getByRole('textbox', { name: 'Job title' }).press('Enter');
    await page.getByText('Someone else changed this record').waitFor();
    expect((await s.call('GET', `/api/v1/contacts/${c.id}`)).body.job_title).toBe('Buyer');
    await page.getByRole('button', { name: 'Reload the record' }).click();
    await page.getByRole('textbox', { name: 'Job title' }).press('Enter');
    await expect
      .poll(async () => (await s.call('GET', `/api/v1/contacts/${c.id}`)).body.job_title)
      .toBe('Seller');
  });

  test('asks before unsaved changes are lost: leaving the page, closing a dialog, closing the tab', async () => {
    const co = (await s.call('POST', '/api/v1/companies', { name: 'Leave Me GmbH' })).body;
    await page.goto(`${base}/o/companies/${co.id}`);
    await page.getByRole('heading', { name: 'Leave Me GmbH' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Objects' });

    // An edit in place is saved by leaving it.
    await page.getByRole('button', { name: 'Change City' }).click();
    await page.getByRole('textbox', { name: 'City' }).fill('Graz');
    await nav.getByRole('link', { name: 'Contacts' }).click();
    await page.waitForURL(`${base}/o/contacts`);
    expect((await s.call('GET', `/api/v1/companies/${co.id}`)).body.city).toBe('Graz');

    // One the server refused is not: leaving asks.
    await page.goto(`${base}/o/companies/${co.id}`);
    await page.getByRole('button', { name: 'Change E-mail' }).click();
    const email = page.getByRole('textbox', { name: 'E-mail' });
    await email.fill('office-at-leave');
    await email.press('Enter');
    await page.getByText('must be an e-mail address like name@example.com').waitFor();
    await nav.getByRole('link', { name: 'Contacts' }).click();
    const ask = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(page.url()).toBe(`${base}/o/companies/${co.id}`);
    expect(await email.inputValue()).toBe('office-at-leave');
    await nav.getByRole('link', { name: 'Contacts' }).click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await page.waitForURL(`${base}/o/contacts`);
    expect((await s.call('GET', `/api/v1/companies/${co.id}`)).body.email).toBeNull();

    // The full form, and closing the tab (or reloading) with it.
    await page.goto(`${base}/o/companies/${co.id}`);
    await page.getByRole('button', { name: 'Edit all fields' }).click();
    await page.getByLabel('Industry').fill('Timber');
    const unload = new Promise<string>((resolve) =>
      page.once('dialog', (d) => {
        resolve(d.type());
        void d.dismiss();
      }),
    );
    // The browser asks; dismissed, the page stays as it is.
    void page.reload({ timeout: 3000 }).catch(() => undefined);
    expect(await unload).toBe('beforeunload');
    expect(await page.getByLabel('Industry').inputValue()).toBe('Timber');
    await nav.getByRole('link', { name: 'Companies' }).click();
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('button', { name: 'Edit all fields' }).waitFor();

    // A dialog: Escape asks before the typed note is thrown away.
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('dialog', { name: 'Add note' }).getByLabel('Body').fill('Half a thought');
    await page.keyboard.press('Escape');
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(
      await page.getByRole('dialog', { name: 'Add note' }).getByLabel('Body').inputValue(),
    ).toBe('Half a thought');
    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await page.getByRole('dialog', { name: 'Add note' }).waitFor({ state: 'hidden' });
    // Nothing unsaved: leaving does not ask.
    await nav.getByRole('link', { name: 'Companies' }).click();
    await page.waitForURL(`${base}/o/companies`);
  });

  test('adds a note and logs a call, each in the timeline at once', async () => {
    const co = (await s.call('POST', '/api/v1/companies', { name: 'Timeline AG' })).body;
    await page.goto(`${base}/o/companies/${co.id}`);
    await page.getByRole('heading', { name: 'Timeline AG' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });

    await page.getByRole('button', { name: 'Add note' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add note' });
    await dialog.getByRole('button', { name: 'Save note' }).click();
    await dialog.getByText('is required').waitFor();
    await dialog.getByLabel('Body').fill('Prefers e-mail before noon.');
    await dialog.getByRole('button', { name: 'Save note' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await timeline.getByText('Prefers e-mail before noon.').waitFor();

    await page.getByRole('button', { name: 'Log call' }).click();
    dialog = page.getByRole('dialog', { name: 'Log call' });
    await dialog.getByLabel('Subject').fill('Pricing question');
    await dialog.getByLabel('Duration (minutes)').fill('15');
    await dialog.getByLabel('Body').fill('Asked for the volume discount.');
    await dialog.getByRole('button', { name: 'Save call' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await timeline.getByText('Call: Pricing question').waitFor();
    await timeline.getByText('15 minutes').waitFor();

    const acts = (
      await s.call(
        'GET',
        `/api/v1/activities?filter[related_id]=${co.id}&sort=kind&fields=kind,subject,body,duration_minutes,direction,related_object,occurred_at`,
      )
    ).body.data;
    expect(acts).toEqual([
      expect.objectContaining({
        kind: 'call',
        subject: 'Pricing question',
        duration_minutes: 15,
        direction: 'outbound',
        related_object: 'companies',
      }),
      expect.objectContaining({ kind: 'note', body: 'Prefers e-mail before noon.' }),
    ]);
    expect(acts[0].occurred_at).toMatch(/Z$/);
  });

  test('creates a task from a deal; related lists count, add with the relation filled in, and say when empty', async () => {
    const co = (await s.call('POST', '/api/v1/companies', { name: 'Related Oy' })).body;
    await s.call('POST', '/api/v1/contacts', { last_name: 'Virtanen', company_id: co.id });
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Sauna order', company_id: co.id }))
      .body;

    await page.goto(`${base}/o/deals/${deal.id}`);
    await page.getByRole('heading', { name: 'Sauna order' }).waitFor();
    // A relation changes in place by searching as you type and picking.
    const other = (await s.call('POST', '/api/v1/companies', { name: 'Other Sauna Oy' })).body;
    await page.getByRole('button', { name: 'Change Company' }).click();
    await page.getByRole('combobox', { name: 'Company' }).fill('other sau');
    await page.getByRole('option', { name: 'Other Sauna Oy' }).click();
    await page.getByRole('link', { name: 'Other Sauna Oy' }).first().waitFor();
    expect((await s.call('GET', `/api/v1/deals/${deal.id}`)).body.company_id).toBe(other.id);
    await s.call('PATCH', `/api/v1/deals/${deal.id}`, { company_id: co.id });
    await page.reload();
    await page.getByRole('link', { name: 'Related Oy' }).first().waitFor();
    await page.getByRole('tab', { name: /Tasks/ }).click();
    await page.getByText('No Tasks yet.').waitFor();
    await page.getByRole('button', { name: 'New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Title').fill('Send the quote');
    await dialog.getByLabel('Due date').fill('2026-04-10');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('region', { name: 'Timeline' })
      .getByText('Task: Send the quote')
      .waitFor();
    await page.getByRole('tabpanel').getByRole('link', { name: 'Send the quote' }).waitFor();
    expect(await page.getByRole('tab', { name: /Tasks/ }).textContent()).toContain('1');
    const task = (await s.call('GET', `/api/v1/tasks?filter[related_id]=${deal.id}`)).body.data[0];
    expect(task).toMatchObject({
      title: 'Send the quote',
      due_date: '2026-04-10',
      status: 'open',
      related_object: 'deals',
    });

    await page.goto(`${base}/o/companies/${co.id}`);
    const contactsTab = page.getByRole('tab', { name: /Contacts/ });
    await expect.poll(() => contactsTab.textContent()).toBe('Contacts1');
    await page.getByRole('button', { name: 'Add Contact' }).click();
    const form = page.getByRole('dialog', { name: 'New Contact' });
    await expect
      .poll(() => form.getByRole('combobox', { name: 'Company' }).inputValue())
      .toBe('Related Oy');
    await form.getByLabel('Last name').fill('Korhonen');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.waitFor({ state: 'hidden' });
    await page.getByRole('tabpanel').getByRole('link', { name: 'Korhonen' }).waitFor();
    await expect.poll(() => contactsTab.textContent()).toBe('Contacts2');
    await page.getByRole('tab', { name: /Deals/ }).click();
    await page.getByRole('tabpanel').getByRole('link', { name: 'Sauna order' }).waitFor();
  });

  test('converts a lead into a contact, a company and a deal, and not a second time', async () => {
    const lead = (
      await s.call('POST', '/api/v1/leads', {
        first_name: 'Mira',
        last_name: 'Lund',
        company_name: 'Lund Fisk AS',
        email: 'mira@lundfisk.no',
      })
    ).body;
    await page.goto(`${base}/o/leads/${lead.id}`);
    await page.getByRole('heading', { name: 'Mira Lund' }).waitFor();
    await page.getByRole('button', { name: 'Convert' }).click();
    const dialog = page.getByRole('dialog', { name: 'Convert the lead' });
    await dialog.getByText('Find a company named "Lund Fisk AS"').waitFor();
    await dialog.getByRole('checkbox', { name: 'Also create a deal' }).check();
    expect(await dialog.getByLabel('Deal name').inputValue()).toBe('Lund Fisk AS');
    await dialog.getByLabel('Deal name').fill('Lund Fisk: first order');
    await dialog.getByRole('textbox', { name: 'Amount' }).fill('2500,50');
    await expect
      .poll(() => dialog.getByRole('combobox', { name: 'Stage' }).inputValue())
      .not.toBe('');
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await dialog.getByText('The lead is converted').waitFor();
    await dialog.getByRole('link', { name: 'Mira Lund' }).waitFor();
    await dialog.getByRole('link', { name: 'Lund Fisk AS' }).waitFor();
    await dialog.getByRole('link', { name: 'Lund Fisk: first order' }).click();
    await page.getByRole('heading', { name: 'Lund Fisk: first order' }).waitFor();
    const after = (await s.call('GET', `/api/v1/leads/${lead.id}`)).body;
    expect(after.status).toBe('converted');
    const deal = (await s.call('GET', `/api/v1/deals/${after.converted_deal_id}`)).body;
    expect(deal).toMatchObject({
      name: 'Lund Fisk: first order',
      amount: { amount: '2500.50', currency: 'EUR' },
      company_id: after.converted_company_id,
      contact_id: after.converted_contact_id,
    });
    expect(deal.stage_id).toBeTruthy();

    await page.goto(`${base}/o/leads/${lead.id}`);
    await page.getByText('This lead is converted').waitFor();
    expect(await page.getByRole('button', { name: 'Convert' }).count()).toBe(0);
    await page.getByRole('alert').getByRole('link', { name: 'Deal' }).waitFor();

    // A company picked by hand; a lead converted elsewhere meanwhile says so.
    const second = (
      await s.call('POST', '/api/v1/leads', { last_name: 'Berg', company_name: 'Berg Handel' })
    ).body;
    await page.goto(`${base}/o/leads/${second.id}`);
    await page.getByRole('button', { name: 'Convert' }).click();
    await dialog.getByRole('radio', { name: 'Choose a company' }).check();
    await dialog.getByRole('combobox', { name: 'Company' }).fill('lund');
    await page.getByRole('option', { name: 'Lund Fisk AS' }).click();
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await dialog.getByText('Existing company:').waitFor();
    expect((await s.call('GET', `/api/v1/leads/${second.id}`)).body.converted_company_id).toBe(
      after.converted_company_id,
    );
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    const third = (await s.call('POST', '/api/v1/leads', { last_name: 'Twice' })).body;
    await page.goto(`${base}/o/leads/${third.id}`);
    await page.getByRole('button', { name: 'Convert' }).click();
    await dialog.waitFor();
    expect((await s.call('POST', `/api/v1/leads/${third.id}/convert`, {})).status).toBe(200);
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await dialog
      .getByText('This lead has been converted already and cannot be converted again.')
      .waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('This lead is converted').waitFor();
  });

  test('deletes a record, shows it as deleted, and restores it from the trash', async () => {
    const co = (await s.call('POST', '/api/v1/companies', { name: 'Phoenix Ltd' })).body;
    await page.goto(`${base}/o/companies/${co.id}`);
    await page.getByRole('heading', { name: 'Phoenix Ltd' }).waitFor();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByText('This record is deleted').waitFor();
    expect((await s.call('GET', `/api/v1/companies/${co.id}`)).status).toBe(404);
    expect(await page.getByRole('button', { name: 'Change City' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Trash of Companies' }).click();
    await page.getByRole('heading', { name: 'Trash: Companies' }).waitFor();
    await page.getByRole('button', { name: 'Restore Phoenix Ltd' }).click();
    await page.getByRole('status').getByText('Restored:').waitFor();
    await page.getByText('The trash is empty.').waitFor();
    expect((await s.call('GET', `/api/v1/companies/${co.id}`)).body.deleted_at).toBeNull();
    await page.getByRole('status').getByRole('link', { name: 'Phoenix Ltd' }).click();
    await page.getByRole('heading', { name: 'Phoenix Ltd' }).waitFor();
    expect(await page.getByText('This record is deleted').count()).toBe(0);

    // The record page's own Restore, and the menu's way to the trash.
    await s.call('DELETE', `/api/v1/companies/${co.id}`);
    await page.reload();
    await page.getByText('This record is deleted').waitFor();
    await page.getByRole('status').getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Change City' }).waitFor();
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Trash of Companies' }).click();
    await page.getByText('The trash is empty.').waitFor();
  });

  for (const timezoneId of ['Pacific/Honolulu', 'Asia/Tokyo']) {
    test(`keeps a date-only value on its day in ${timezoneId}, and shows times in the user's zone`, async () => {
      const c = (
        await s.call('POST', '/api/v1/contacts', {
          last_name: `Zone ${timezoneId}`,
          birthday: '1990-02-28',
        })
      ).body;
      const task = (
        await s.call('POST', '/api/v1/tasks', {
          title: `Call back ${timezoneId}`,
          due_date: '2026-01-01',
          due_at: '2026-03-02T23:30:00.000Z',
        })
      ).body;
      const context = await session.browser.newContext({
        timezoneId,
        viewport: { width: 1280, height: 800 },
      });
      try {
        const p = await context.newPage();
        await signIn(p, base);
        await p.goto(`${base}/o/contacts/${c.id}`);
        const birthday = p.getByRole('button', { name: 'Change Birthday' });
        await birthday.waitFor();
        expect(await birthday.textContent()).toBe('Feb 28, 1990');
        await birthday.click();
        const input = p.getByLabel('Birthday');
        expect(await input.inputValue()).toBe('1990-02-28');
        await input.fill('1991-03-01');
        await input.press('Enter');
        await expect.poll(() => birthday.textContent()).toBe('Mar 1, 1991');
        expect((await s.call('GET', `/api/v1/contacts/${c.id}`)).body.birthday).toBe('1991-03-01');

        // The full form sends the date as typed too.
        await p.getByRole('button', { name: 'Edit all fields' }).click();
        expect(await p.getByLabel('Birthday').inputValue()).toBe('1991-03-01');
        await p.getByLabel('Birthday').fill('1992-12-31');
        await p.getByRole('button', { name: 'Save' }).click();
        await expect.poll(() => birthday.textContent()).toBe('Dec 31, 1992');
        expect((await s.call('GET', `/api/v1/contacts/${c.id}`)).body.birthday).toBe('1992-12-31');

        // A datetime is shown in the user's time zone (UTC here), whatever the browser's.
        await p.goto(`${base}/o/tasks/${task.id}`);
        const due = p.getByRole('button', { name: 'Change Due time' });
        await due.waitFor();
        expect(await due.textContent()).toBe('Mar 2, 2026, 11:30 PM');
        expect(await p.getByRole('button', { name: 'Change Due date' }).textContent()).toBe(
          'Jan 1, 2026',
        );
        await due.click();
        expect(await p.getByLabel('Due time').inputValue()).toBe('2026-03-02T23:30');
        await p.getByLabel('Due time').fill('2026-03-03T08:15');
        await p.getByLabel('Due time').press('Enter');
        await expect.poll(() => due.textContent()).toBe('Mar 3, 2026, 8:15 AM');
        expect((await s.call('GET', `/api/v1/tasks/${task.id}`)).body.due_at).toBe(
          '2026-03-03T08:15:00.000Z',
        );
      } finally {
        await context.close();
      }
    });
  }

  test('shows times in the time zone the user chose', async () => {
    await s.call('PATCH', `/api/v1/users/${s.adminId}`, { time_zone: 'Asia/Tokyo' });
    const task = (
      await s.call('POST', '/api/v1/tasks', {
        title: 'Tokyo call',
        due_at: '2026-03-02T23:30:00.000Z',
      })
    ).body;
    try {
      await page.goto(`${base}/o/tasks/${task.id}`);
      await page.reload();
      const due = page.getByRole('button', { name: 'Change Due time' });
      await expect.poll(() => due.textContent()).toBe('Mar 3, 2026, 8:30 AM');
      await due.click();
      expect(await page.getByLabel('Due time').inputValue()).toBe('2026-03-03T08:30');
      await page.getByText('Time zone: Asia/Tokyo').waitFor();
      await page.getByLabel('Due time').fill('2026-03-04T09:00');
      await page.getByLabel('Due time').press('Enter');
      await expect.poll(() => due.textContent()).toBe('Mar 4, 2026, 9:00 AM');
      expect((await s.call('GET', `/api/v1/tasks/${task.id}`)).body.due_at).toBe(
        '2026-03-04T00:00:00.000Z',
      );
    } finally {
      await s.call('PATCH', `/api/v1/users/${s.adminId}`, { time_zone: 'UTC' });
      await page.reload();
    }
  });

  test('works on a phone: 360x740, fields stacked, tabs scrolling, actions reachable', async () => {
    const co = (
      await s.call('POST', '/api/v1/companies', {
        name: 'Pocket Size Trading Company International',
        city: 'Lviv',
        country: 'Ukraine',
        email: 'hello@pocket.example',
        phone: '+380 32 000 0000',
        description: 'A long description that wraps over several lines on a narrow screen.',
      })
    ).body;
    await s.call('POST', '/api/v1/contacts', { last_name: 'Small', company_id: co.id });
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await page.goto(`${base}/o/companies/${co.id}`);
      await page
        .getByRole('heading', { name: 'Pocket Size Trading Company International' })
        .waitFor();
      await page.getByRole('tab', { name: /Contacts/ }).waitFor();
      // Nothing is wider than the screen.
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth'),
      ).toBeLessThanOrEqual(360);
      for (const name of ['Add note', 'Log call', 'New task', 'Edit all fields', 'More actions']) {
        const box = await page.getByRole('button', { name, exact: true }).boundingBox();
        expect(box, name).not.toBeNull();
        expect(box!.x + box!.width, name).toBeLessThanOrEqual(360);
      }
      const city = await page.getByRole('button', { name: 'Change City' }).boundingBox();
      const country = await page.getByRole('button', { name: 'Change Country' }).boundingBox();
      expect(country!.y).toBeGreaterThan(city!.y);
      const tabs = page.getByRole('tablist', { name: 'Related lists' });
      const tabsBox = await tabs.boundingBox();
      expect(tabsBox!.width).toBeLessThanOrEqual(360);
      await page.getByRole('tab', { name: /Supplied products/ }).click();
      await page.getByText('No Supplied products yet.').waitFor();
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/record-page-360.png', fullPage: true });
      await page.getByRole('button', { name: 'Change City' }).click();
      await page.getByRole('textbox', { name: 'City' }).fill('Odesa');
      await page.getByRole('textbox', { name: 'City' }).press('Enter');
      await expect
        .poll(async () => (await s.call('GET', `/api/v1/companies/${co.id}`)).body.city)
        .toBe('Odesa');
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
