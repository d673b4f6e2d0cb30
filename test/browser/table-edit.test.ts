import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/** The table's filter builder, editing cells in place and changing many records at once. */
describe.skipIf(!chromiumAvailable)('the table: filters, cell edits and bulk edits', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: typeof session.page;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ({ s, base, page } = session);
    for (const [name, city, country] of [
      ['Berlin Alpha', 'Berlin', 'Germany'],
      ['Munich Beta', 'Munich', 'Germany'],
      ['Hamburg Gamma', 'Hamburg', 'Germany'],
      ['Paris Delta', 'Paris', 'France'],
      ['Vienna Epsilon', 'Berlin', 'Austria'],
    ]) {
      const slug = name.split(' ')[1].toLowerCase();
      const r = await s.call('POST', '/api/v1/companies', {
        name,
        city,
        country,
        email: `${slug}@example.com`,
      });
      ids[name] = r.body.id;
    }
    await signIn(page, base);
  });
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  const row = (name: string) => page.getByRole('row').filter({ hasText: name });
  const cell = (name: string, n: number) => row(name).getByRole('cell').nth(n);
  /** The column number of a heading, counting the selection column as 0. */
  const column = async (label: string) =>
    (await page.getByRole('columnheader').allTextContents()).findIndex(
      (t) => t.trim().replace(/[▲▼]/g, '').trim() === label,
    );

  test('builds "all of (Country is Germany, any of (City is Berlin, City is Munich))" and keeps it over a reload', async () => {
    await page.goto(`${base}/o/companies`);
    await page.getByRole('link', { name: 'Paris Delta' }).waitFor();
    await page.getByRole('button', { name: 'Edit filters' }).click();
    const dialog = page.getByRole('dialog', { name: 'Filter companies' });

    const choose = async (label: string, option: string) => {
      await dialog.getByRole('combobox', { name: label, exact: true }).click();
      await page.getByRole('option', { name: option, exact: true }).click();
    };
    await choose('Field 1', 'Country');
    await choose('Condition 1', 'is');
    await dialog.getByRole('textbox', { name: 'Value 1', exact: true }).fill('Germany');
    await dialog.getByRole('button', { name: 'Add a group' }).click();
    expect(
      await dialog.getByRole('combobox', { name: 'Group 2 matches', exact: true }).inputValue(),
    ).toBe('Any of these');
    await choose('Field 2.1', 'City');
    await choose('Condition 2.1', 'is');
    await dialog.getByRole('textbox', { name: 'Value 2.1', exact: true }).fill('Berlin');
    // The group's own "Add condition" comes first, before the top level's.
    await dialog.getByRole('button', { name: 'Add condition' }).first().click();
    await choose('Field 2.2', 'City');
    await choose('Condition 2.2', 'is');
    // An empty value is pointed out, not sent.
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.getByText('Enter a value, or remove this condition.').waitFor();
    await dialog.getByRole('textbox', { name: 'Value 2.2', exact: true }).fill('Munich');
    await dialog.getByRole('button', { name: 'Apply' }).click();

    const chips = page.getByRole('list', { name: 'Filters in force' });
    const expectKept = async () => {
      await page.getByText('2 records', { exact: true }).waitFor();
      await chips.getByText('Country is Germany', { exact: true }).waitFor();
      await chips.getByText('City is Berlin or City is Munich', { exact: true }).waitFor();
      expect(await page.getByRole('link', { name: 'Berlin Alpha' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Munich Beta' }).count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Vienna Epsilon' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Hamburg Gamma' }).count()).toBe(0);
    };
    await expectKept();
    await page.reload();
    await expectKept();
    // Opening a record and coming Back keeps it too.
    await page.getByRole('link', { name: 'Berlin Alpha' }).click();
    await page.getByRole('heading', { name: 'Berlin Alpha' }).waitFor();
    await page.goBack();
    await expectKept();

    // The export follows the tree.
    const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const csv = await s.app.inject({
      method: 'GET',
      url: href!,
      headers: { authorization: `Bearer ${s.adminKey}` },
    });
    expect(csv.body).toContain('Berlin Alpha');
    expect(csv.body).toContain('Munich Beta');
    expect(csv.body).not.toContain('Vienna Epsilon');

    // The builder opens on the filter in force; switching the group to "all" finds nothing.
    await page.getByRole('button', { name: 'Edit filters (3)' }).click();
    await dialog.getByRole('combobox', { name: 'Group 2 matches', exact: true }).click();
    await page.getByRole('option', { name: 'All of these', exact: true }).click();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No companies match.').waitFor();
    // "All of" inside "all of" is the same as side by side.
    await chips.getByText('City is Munich', { exact: true }).waitFor();
    expect(await chips.getByRole('listitem').count()).toBe(3);

    // An old link's flat list of conditions still opens.
    await page.goto(
      `${base}/o/companies?filters=${encodeURIComponent(JSON.stringify([{ field: 'country', op: 'eq', value: 'France' }]))}`,
    );
    await page.getByText('1 record', { exact: true }).waitFor();
    await chips.getByText('Country is France', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Remove filter: Country is France' }).click();
    await page.getByText('5 records', { exact: true }).waitFor();
  });

  test("edits a cell in place, shows the server's message at the cell and never overwrites a newer change", async () => {
    await page.goto(`${base}/o/companies`);
    await page.getByRole('link', { name: 'Hamburg Gamma' }).waitFor();
    const cityCol = await column('City');
    const emailCol = await column('E-mail');
    expect(cityCol).toBeGreaterThan(0);
    expect(emailCol).toBeGreaterThan(0);

    // Double-click, type, Enter: saved with the record's version.
    await cell('Hamburg Gamma', cityCol).dblclick();
    const editor = page.getByRole('group', { name: 'City' });
    await editor.getByRole('textbox', { name: 'City' }).fill('Altona');
    await page.keyboard.press('Enter');
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => cell('Hamburg Gamma', cityCol).textContent()).toBe('Altona');
    expect((await s.call('GET', `/api/v1/companies/${ids['Hamburg Gamma']}`)).body).toMatchObject({
      city: 'Altona',
      version: 2,
    });

    // The keyboard: Enter on a focused cell opens it; Escape drops the change.
    await cell('Hamburg Gamma', cityCol).focus();
    await page.keyboard.press('Enter');
    // The editor has the focus: typing goes into it.
    await page.keyboard.type(' Nord');
    expect(await editor.getByRole('textbox', { name: 'City' }).inputValue()).toBe('Altona Nord');
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    expect(await cell('Hamburg Gamma', cityCol).textContent()).toBe('Altona');

    // A value the server refuses: its message shows at the cell, nothing is saved.
    await cell('Paris Delta', emailCol).focus();
    await page.keyboard.press('F2');
    const emailEditor = page.getByRole('group', { name: 'E-mail' });
    await emailEditor.getByRole('textbox', { name: 'E-mail' }).fill('not-an-address');
    await page.keyboard.press('Enter');
    await emailEditor.getByText('must be an e-mail address like name@example.com').waitFor();
    await emailEditor.getByRole('textbox', { name: 'E-mail' }).fill('bonjour@example.com');
    await page.keyboard.press('Enter');
    await emailEditor.waitFor({ state: 'detached' });
    await expect
      .poll(() => cell('Paris Delta', emailCol).textContent())
      .toBe('bonjour@example.com');

    // Leaving the editor saves it too.
    await cell('Paris Delta', cityCol).dblclick();
    await editor.getByRole('textbox', { name: 'City' }).fill('Lyon');
    await page.getByRole('heading', { name: 'Companies' }).click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => cell('Paris Delta', cityCol).textContent()).toBe('Lyon');

    // Someone else changes the record after the table loaded it: the edit is refused, not lost.
    await s.call(
      'PATCH',
      `/api/v1/companies/${ids['Munich Beta']}`,
      { city: 'München' },
      { 'if-match': '"1"' },
    );
    await cell('Munich Beta', cityCol).dblclick();
    await editor.getByRole('textbox', { name: 'City' }).fill('Muenchen');
    await page.keyboard.press('Enter');
    await editor.getByText('Someone else changed this record').waitFor();
    expect((await s.call('GET', `/api/v1/companies/${ids['Munich Beta']}`)).body.city).toBe(
      'München',
    );
    await editor.getByRole('button', { name: 'Reload the record' }).click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => cell('Munich Beta', cityCol).textContent()).toBe('München');

    // Fields nobody types into are not editable.
    const createdCol = await column('Contacts');
    if (createdCol > 0) {
      await cell('Munich Beta', createdCol).dblclick({ force: true });
      expect(await page.getByRole('group', { name: 'Contacts' }).count()).toBe(0);
    }
  });

  test('picks a related record and ticks a box in place, each saved at once', async () => {
    const anna = (
      await s.call('POST', '/api/v1/contacts', {
        first_name: 'Anna',
        last_name: 'Berg',
        company_id: ids['Paris Delta'],
      })
    ).body;
    await page.goto(`${base}/o/contacts`);
    await page.getByRole('link', { name: 'Anna Berg' }).waitFor();
    const companyCell = cell('Anna Berg', await column('Company'));
    await companyCell.dblclick();
    const picker = page.getByRole('group', { name: 'Company' });
    await picker.getByRole('combobox', { name: 'Company' }).fill('vienna');
    await page.getByRole('option', { name: 'Vienna Epsilon' }).click();
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => companyCell.textContent()).toBe('Vienna Epsilon');
    expect((await s.call('GET', `/api/v1/contacts/${anna.id}`)).body).toMatchObject({
      company_id: ids['Vienna Epsilon'],
      version: 2,
    });

    await page.goto(`${base}/o/companies`);
    await page.getByRole('link', { name: 'Vienna Epsilon' }).waitFor();
    const customer = cell('Vienna Epsilon', await column('Customer'));
    await customer.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await expect.poll(() => customer.textContent()).toBe('✓');
    expect(
      (await s.call('GET', `/api/v1/companies/${ids['Vienna Epsilon']}`)).body.is_customer,
    ).toBe(true);
  });

  test('bulk-edits three records, and reports a record someone else changed meanwhile', async () => {
    await page.goto(`${base}/o/companies`);
    for (const name of ['Berlin Alpha', 'Munich Beta', 'Paris Delta'])
      await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('button', { name: 'Edit selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change selected companies (3)' });
    await dialog.getByRole('combobox', { name: 'Field to change' }).click();
    await page.getByRole('option', { name: 'Industry', exact: true }).click();
    await dialog.getByText('Enter the new value, or tick “Clear it”.').waitFor();
    await dialog.getByRole('textbox', { name: 'Industry' }).fill('Brewing');
    await dialog.getByText('3 records will change.').waitFor();
    await dialog.getByRole('button', { name: 'Change 3 records' }).click();
    await dialog.getByText('3 records changed.').waitFor();
    // Done: the dialog reports it and offers only to close.
    expect(await dialog.getByRole('button', { name: /^Change \d+ records?$/ }).count()).toBe(0);
    for (const name of ['Berlin Alpha', 'Munich Beta', 'Paris Delta'])
      expect((await s.call('GET', `/api/v1/companies/${ids[name]}`)).body.industry).toBe('Brewing');
    expect((await s.call('GET', `/api/v1/companies/${ids['Hamburg Gamma']}`)).body.industry).toBe(
      null,
    );
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    // Again with the same selection: one record changes behind the user's back.
    const munich = (await s.call('GET', `/api/v1/companies/${ids['Munich Beta']}`)).body;
    await s.call(
      'PATCH',
      `/api/v1/companies/${munich.id}`,
      { industry: 'Bakery' },
      { 'if-match': `"${munich.version}"` },
    );
    await page.getByRole('button', { name: 'Edit selected' }).click();
    await dialog.getByRole('combobox', { name: 'Field to change' }).click();
    await page.getByRole('option', { name: 'Industry', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Industry' }).fill('Coffee');
    await dialog.getByRole('button', { name: 'Change 3 records' }).click();
    await dialog.getByText('Nothing was changed. These records stopped it:').waitFor();
    await dialog.getByText('Munich Beta: someone else changed it after it was selected').waitFor();
    expect((await s.call('GET', `/api/v1/companies/${ids['Berlin Alpha']}`)).body.industry).toBe(
      'Brewing',
    );
    await dialog.getByRole('button', { name: 'Leave this record out and try again' }).click();
    await dialog.getByRole('button', { name: 'Change 2 records' }).click();
    await dialog.getByText('2 records changed.').waitFor();
    expect((await s.call('GET', `/api/v1/companies/${ids['Berlin Alpha']}`)).body.industry).toBe(
      'Coffee',
    );
    expect((await s.call('GET', `/api/v1/companies/${ids['Munich Beta']}`)).body.industry).toBe(
      'Bakery',
    );
  });
});
