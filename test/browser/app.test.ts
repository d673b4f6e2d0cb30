import { beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable } from './session';

/** The web app in Debian's Chromium against a real server on 127.0.0.1 and a fresh database. */
describe.skipIf(!chromiumAvailable)('the web app in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: typeof session.page;
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  test('signs in, lists companies, filters them and opens one with its contacts and timeline', async () => {
    const acme = (
      await s.call('POST', '/api/v1/companies', {
        name: 'Acme Berlin GmbH',
        city: 'Berlin',
        country: 'Germany',
      })
    ).body;
    await s.call('POST', '/api/v1/companies', {
      name: 'Lyon Bistro',
      city: 'Lyon',
      country: 'France',
    });
    await s.call('POST', '/api/v1/contacts', {
      first_name: 'Greta',
      last_name: 'Klein',
      company_id: acme.id,
    });

    await page.goto(`${base}/`);
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.locator('input[type=password]').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Wrong e-mail or password');
    await page.locator('input[type=password]').fill('admin-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Companies' })
      .click();
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).waitFor();
    await page.getByText('2 records', { exact: true }).waitFor();

    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Country', exact: true }).click();
    await page.getByRole('combobox', { name: 'Condition' }).click();
    await page.getByRole('option', { name: 'is', exact: true }).click();
    await page.getByLabel('Value').fill('France');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByText('1 record', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Acme Berlin GmbH' }).count()).toBe(0);
    // The filter lives in the address: a reload keeps it.
    await page.reload();
    await page.getByText('1 record', { exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Acme Berlin GmbH' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Remove filter: Country is France' }).click();

    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).click();
    await page.getByRole('heading', { name: 'Acme Berlin GmbH' }).waitFor();
    await page.getByRole('link', { name: 'Greta Klein' }).waitFor();
    await page.getByText('Timeline').waitFor();
    expect(page.url()).toBe(`${base}/o/companies/${acme.id}`);

    await page.reload();
    await page.getByRole('heading', { name: 'Acme Berlin GmbH' }).waitFor();
  });

  test("creates a contact through the form, with the server's message next to a bad field, and edits it", async () => {
    await page.goto(`${base}/o/contacts`);
    await page.getByRole('button', { name: 'New contact' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('First name').fill('Olena');
    // Closing the dialog with something typed asks before dropping it.
    await dialog.getByLabel('Last name').focus();
    await page.keyboard.press('Escape');
    const ask = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await expect.poll(() => dialog.getByLabel('First name').inputValue()).toBe('Olena');
    await dialog.getByLabel('Last name').fill('Koval');
    await dialog.getByLabel('E-mail').fill('not-an-address');
    await dialog.getByLabel('Birthday').fill('1990-02-28');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('must be an e-mail address like name@example.com').first().waitFor();
    await dialog.getByLabel('E-mail').fill('olena@example.com');
    await dialog.getByRole('combobox', { name: 'Company' }).click();
    await dialog.getByRole('combobox', { name: 'Company' }).fill('Acme');
    await page.getByRole('option', { name: 'Acme Berlin GmbH' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Olena Koval' }).waitFor();
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).first().waitFor();
    const created = (await s.call('GET', '/api/v1/contacts?filter[email]=olena@example.com')).body
      .data[0];
    expect(created).toMatchObject({ birthday: '1990-02-28', full_name: 'Olena Koval' });

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Job title').fill('Buyer');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Buyer').first().waitFor();
    expect((await s.call('GET', `/api/v1/contacts/${created.id}`)).body).toMatchObject({
      job_title: 'Buyer',
      version: 2,
      birthday: '1990-02-28',
    });
  });

  test('moves a deal across the board, asking for a reason when it is lost', async () => {
    const stages = (await s.call('GET', '/api/v1/stages?sort=position')).body.data as {
      id: string;
      name: string;
    }[];
    const deal = (
      await s.call('POST', '/api/v1/deals', {
        name: 'Board deal',
        stage_id: stages[0].id,
        amount: { amount: '1200.00', currency: 'EUR' },
      })
    ).body;
    // Wide enough for every column: a drag does not scroll the board on its own.
    await page.setViewportSize({ width: 1800, height: 900 });
    await page.goto(`${base}/board/deals`);
    const card = page.getByRole('listitem', { name: 'Board deal' });
    await card.waitFor();
    await card.dragTo(page.getByRole('list', { name: 'Column Proposal' }));
    await page
      .getByRole('list', { name: 'Column Proposal' })
      .getByRole('listitem', { name: 'Board deal' })
      .waitFor();
    await expect
      .poll(async () => (await s.call('GET', `/api/v1/deals/${deal.id}`)).body.stage_id)
      .toBe(stages.find((x) => x.name === 'Proposal')!.id);

    await page
      .getByRole('list', { name: 'Column Proposal' })
      .getByRole('listitem', { name: 'Board deal' })
      .dragTo(page.getByRole('list', { name: 'Column Lost' }));
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Lost reason').fill('Budget cut');
    await dialog.getByRole('button', { name: 'Mark as lost' }).click();
    await page
      .getByRole('list', { name: 'Column Lost' })
      .getByRole('listitem', { name: 'Board deal' })
      .waitFor();
    expect((await s.call('GET', `/api/v1/deals/${deal.id}`)).body).toMatchObject({
      status: 'lost',
      lost_reason: 'Budget cut',
    });
    await page.getByRole('list', { name: 'Column Lost' }).getByText('€1,200.00').first().waitFor();

    // Without a mouse: the card's menu moves it, and the keyboard operates the menu.
    const open = stages.find((x) => !['Qualified', 'Proposal', 'Won', 'Lost'].includes(x.name))!;
    await page.getByRole('button', { name: 'Move “Board deal” to another column' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: open.name, exact: true }).focus();
    await page.keyboard.press('Enter');
    // A lost deal going back to an open stage is reopened only when the user says so.
    const reopen = page.getByRole('dialog', { name: 'Reopen the deal' });
    await reopen.getByText('loses its close date').waitFor();
    expect((await s.call('GET', `/api/v1/deals/${deal.id}`)).body.status).toBe('lost');
    await reopen.getByRole('button', { name: 'Reopen the deal' }).click();
    await page
      .getByRole('list', { name: `Column ${open.name}` })
      .getByRole('listitem', { name: 'Board deal' })
      .waitFor();
    expect((await s.call('GET', `/api/v1/deals/${deal.id}`)).body).toMatchObject({
      stage_id: open.id,
      status: 'open',
    });
    // The keyboard stays with the card it moved.
    await expect
      .poll(() => page.locator(':focus').getAttribute('aria-label'))
      .toBe('Move “Board deal” to another column');

    const qualified = stages.find((x) => x.name === 'Qualified')!;
    await s.call('POST', '/api/v1/deals/batch', {
      operations: Array.from({ length: 52 }, (_, i) => ({
        op: 'create',
        data: { name: `Bulk ${i}`, stage_id: qualified.id },
      })),
    });
    await page.reload();
    const column = page.getByRole('list', { name: 'Column Qualified' });
    await column.getByRole('button', { name: 'Show more' }).waitFor();
    expect(await column.getByRole('listitem').count()).toBe(50);
    await column.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => column.getByRole('listitem').count()).toBe(52);

    // The board filters as the table does; the column's count follows, and a reload keeps it.
    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Name', exact: true }).click();
    await page.getByLabel('Value').fill('Bulk 1');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await expect.poll(() => column.getByRole('listitem').count()).toBe(11);
    await page.reload();
    await expect.poll(() => column.getByRole('listitem').count()).toBe(11);
    await expect.poll(() => column.locator('.mantine-Badge-root').first().textContent()).toBe('11');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('adds a field "Region manager" to companies, fills it in and exports the filtered table', async () => {
    await page.goto(`${base}/settings/fields`);
    await page.getByRole('button', { name: 'Add field' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Label').fill('Region manager');
    await dialog.getByRole('button', { name: 'Add field' }).click();
    await page
      .getByRole('table', { name: 'Fields of Companies' })
      .getByText('region_manager')
      .waitFor();

    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Companies' })
      .click();
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Region manager').fill('Ingrid Olsen');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Ingrid Olsen').first().waitFor();

    const acme = (await s.call('GET', '/api/v1/companies?filter[region_manager]=Ingrid%20Olsen'))
      .body.data;
    expect(acme.map((c: { name: string }) => c.name)).toEqual(['Acme Berlin GmbH']);
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Companies' })
      .click();
    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: 'Region manager', exact: true }).click();
    await page.getByRole('combobox', { name: 'Condition' }).click();
    await page.getByRole('option', { name: 'is', exact: true }).click();
    await page.getByLabel('Value').fill('Ingrid Olsen');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByText('1 record', { exact: true }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export XLSX' }).click();
    const file = await (await download).path();
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('Acme Berlin GmbH');
    expect(rows[1]).toContain('Ingrid Olsen');
  });

  test('finds a record from anywhere with Ctrl+K and opens it with the keyboard', async () => {
    await page.goto(`${base}/o/deals`);
    await page.getByRole('heading', { name: 'Deals' }).waitFor();
    await page.keyboard.press('Control+K');
    await page.getByRole('textbox', { name: 'Search everything' }).fill('greta');
    await page.getByRole('button', { name: /Greta Klein/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Greta Klein' }).waitFor();
  });

  test('imports a CSV through the app: columns mapped, every row checked, then imported', async () => {
    await page.goto(`${base}/import/companies`);
    const csv =
      'Company name;Town;Country\nNordlicht AS;Tromsø;Norway\nSüdwind GmbH;München;Germany\n';
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'companies.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // "Company name" is read as the company's name without help; "Town" needs a hand.
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Field for Company name' }).inputValue())
      .toBe('Name');
    await page.getByRole('combobox', { name: 'Field for Town' }).click();
    await page.getByRole('option', { name: 'City', exact: true }).click();
    await page.getByText('All 2 rows are ready.').waitFor();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await page.getByText('2 created, 0 updated.').waitFor();
    const got = (await s.call('GET', '/api/v1/companies?filter[country]=Norway&fields=name,city'))
      .body.data;
    expect(got).toEqual([expect.objectContaining({ name: 'Nordlicht AS', city: 'Tromsø' })]);
  });

  test('merges two duplicate companies from the table, keeping a value of each', async () => {
    const a = (await s.call('POST', '/api/v1/companies', { name: 'Twin One', city: 'Ghent' })).body;
    const b = (
      await s.call('POST', '/api/v1/companies', {
        name: 'Twin One BV',
        city: 'Antwerp',
        phone: '+32 3 000 00 00',
      })
    ).body;
    await s.call('POST', '/api/v1/contacts', { last_name: 'Twinkle', company_id: b.id });
    await page.goto(`${base}/o/companies`);
    await page.getByLabel('Search', { exact: true }).fill('twin');
    await page.getByRole('checkbox', { name: 'Select Twin One BV' }).waitFor();
    await page.getByRole('checkbox', { name: 'Select Twin One', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Select Twin One BV' }).check();
    await page.getByRole('button', { name: 'Merge' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Twin One', exact: true }).check();
    await dialog.getByRole('radio', { name: 'Keep City of Twin One BV' }).check();
    await dialog.getByRole('button', { name: 'Merge 2 records' }).click();
    await page.getByRole('heading', { name: 'Twin One' }).waitFor();
    const kept = (await s.call('GET', `/api/v1/companies/${a.id}`)).body;
    expect(kept).toMatchObject({ city: 'Antwerp', phone: '+32 3 000 00 00', contacts_count: 1 });
    expect((await s.call('GET', `/api/v1/companies/${b.id}`)).status).toBe(404);
  });

  test('a second tab of the same session can save and sign out', async () => {
    const c = (await s.call('POST', '/api/v1/companies', { name: 'Two Tabs' })).body;
    const second = await page.context().newPage();
    await second.goto(`${base}/o/companies/${c.id}`);
    await second.getByRole('button', { name: 'Edit' }).click();
    await second.getByLabel('City').fill('Tartu');
    await second.getByRole('button', { name: 'Save' }).click();
    await second.getByText('Tartu').first().waitFor();
    expect((await s.call('GET', `/api/v1/companies/${c.id}`)).body.city).toBe('Tartu');
    await second.getByRole('button', { name: /^Account menu for/ }).click();
    await second.getByRole('menuitem', { name: 'Sign out' }).click();
    await second.getByRole('button', { name: 'Sign in' }).waitFor();
    await second.close();
    await page.goto(`${base}/o/companies`);
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.locator('input[type=password]').fill('admin-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Companies' }).waitFor();
  });

  test('on a phone the table folds its search and filters away, and rows start on the first screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      await page.goto(`${base}/o/companies`);
      const first = page.getByRole('table', { name: 'Companies' }).getByRole('row').nth(1);
      await first.waitFor();
      expect((await first.boundingBox())!.y).toBeLessThan(740 - 38);
      await expect.poll(() => page.getByLabel('Search', { exact: true }).isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Search and filters' }).click();
      await page.getByLabel('Search', { exact: true }).fill('Acme');
      await page.getByRole('link', { name: 'Acme Berlin GmbH' }).waitFor();
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('shows a name written as HTML as text', async () => {
    const c = (await s.call('POST', '/api/v1/companies', { name: '<img src=x onerror=alert(1)>' }))
      .body;
    let dialog = false;
    page.on('dialog', async (d) => {
      dialog = true;
      await d.dismiss();
    });
    await page.goto(`${base}/o/companies/${c.id}`);
    await page.getByRole('heading', { name: '<img src=x onerror=alert(1)>' }).waitFor();
    expect(dialog).toBe(false);
  });
});
