import { beforeEach, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSession, chromiumAvailable, signIn } from './session';

/** Saved views and columns of a table, in Chromium against a real server. */
describe.skipIf(!chromiumAvailable)('saved views and columns in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: Page;
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  const headers = () =>
    page
      .getByRole('columnheader')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const pickView = async (name: string) => {
    await page.getByRole('combobox', { name: 'View' }).click();
    await page.getByRole('option', { name, exact: true }).click();
  };
  const records = (n: number) =>
    page.getByText(n === 1 ? '1 record' : `${n} records`, { exact: true }).waitFor();
  const addFilter = async (field: string, value: string) => {
    await page.getByRole('combobox', { name: 'Field' }).click();
    await page.getByRole('option', { name: field, exact: true }).click();
    await page.getByRole('combobox', { name: 'Condition' }).click();
    await page.getByRole('option', { name: 'is', exact: true }).click();
    await page.getByLabel('Value').fill(value);
    await page.getByRole('button', { name: 'Add filter' }).click();
  };
  const saveViewAs = async (name: string) => {
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as a new view' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByRole('combobox', { name: 'View' }).inputValue()).toBe(name);
  };

  test('saves a filtered table as a view, keeps it across reloads, switches views, and opens with the default', async () => {
    for (const [name, city, country] of [
      ['Acme Berlin GmbH', 'Berlin', 'Germany'],
      ['Bonn Werke AG', 'Bonn', 'Germany'],
      ['Lyon Bistro', 'Lyon', 'France'],
      ['Paris Conseil SA', 'Paris', 'France'],
    ]) {
      await s.call('POST', '/api/v1/companies', { name, city, country, industry: 'Trade' });
    }
    await signIn(page, base);
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Companies' })
      .click();
    await records(4);
    expect(await page.getByRole('combobox', { name: 'View' }).inputValue()).toBe('All records');

    // Filter, then save the table as a view: the address names it.
    await addFilter('Country', 'Germany');
    await records(2);
    await saveViewAs('German companies');
    const german = (await s.call('GET', '/api/v1/views?object=companies')).body.data[0];
    expect(german).toMatchObject({
      name: 'German companies',
      shared: false,
      config: { filter: { and: [{ country: { eq: 'Germany' } }] } },
    });
    expect(new URL(page.url()).searchParams.get('view')).toBe(german.id);
    await page.reload();
    await records(2);
    expect(await page.getByRole('combobox', { name: 'View' }).inputValue()).toBe(
      'German companies',
    );
    expect(await page.getByText('Modified').count()).toBe(0);

    // A second view, from all records.
    await pickView('All records');
    await records(4);
    await addFilter('Country', 'France');
    await records(2);
    await saveViewAs('French companies');
    await page.getByRole('link', { name: 'Lyon Bistro' }).waitFor();

    // Switch to the other view and back, by the picker and by the browser's Back.
    await pickView('German companies');
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).waitFor();
    expect(await page.getByRole('link', { name: 'Lyon Bistro' }).count()).toBe(0);
    await page.goBack();
    await page.getByRole('link', { name: 'Lyon Bistro' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'View' }).inputValue()).toBe(
      'French companies',
    );
    await pickView('German companies');
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).waitFor();

    // Columns: hide one, move another up; the view shows it is changed until saved.
    const before = await headers();
    expect(before).toContain('City');
    expect(before).toContain('Country');
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Show City' }).click();
    await page.getByRole('button', { name: 'Move Country up' }).click();
    await page.keyboard.press('Escape');
    const after = await headers();
    expect(after).not.toContain('City');
    const shown = before.filter((h) => h !== 'City');
    const at = shown.indexOf('Country');
    [shown[at - 1], shown[at]] = [shown[at], shown[at - 1]];
    expect(after).toEqual(shown);
    await page.getByText('Modified').waitFor();
    // Resize a column from the keyboard.
    await page.getByRole('separator', { name: 'Resize Name' }).focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect
      .poll(() => new URL(page.url()).searchParams.get('cols'))
      .toMatch(/(^|,)name:\d+(,|$)/);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Modified').count()).toBe(0);
    const savedCols = (await s.call('GET', `/api/v1/views/${german.id}`)).body.config.columns;
    expect(savedCols.map((c: { field: string }) => c.field)).not.toContain('city');
    expect(savedCols.find((c: { field: string }) => c.field === 'name').width).toBeGreaterThan(100);

    await page.reload();
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).waitFor();
    expect(await headers()).toEqual(shown);

    // The default view applies when the table opens with nothing in the address.
    await page.getByRole('button', { name: 'View options' }).click();
    await page.getByRole('menuitem', { name: 'Open companies with this view' }).click();
    await expect
      .poll(async () => (await s.call('GET', '/api/v1/views/defaults/companies')).body)
      .toMatchObject({ default_view_id: german.id });
    await page.goto(`${base}/`);
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Companies' })
      .click();
    await records(2);
    await page.getByRole('link', { name: 'Acme Berlin GmbH' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'View' }).inputValue()).toBe(
      'German companies (default)',
    );
    expect(new URL(page.url()).searchParams.get('view')).toBe(german.id);
    expect(await headers()).toEqual(shown);

    // Rename, then delete with a confirmation.
    await page.getByRole('button', { name: 'View options' }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('dialog', { name: 'Rename view' }).getByLabel('Name').fill('Germany');
    await page
      .getByRole('dialog', { name: 'Rename view' })
      .getByRole('button', { name: 'Save' })
      .click();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'View' }).inputValue())
      .toBe('Germany (default)');
    await page.getByRole('button', { name: 'View options' }).click();
    await page.getByRole('menuitem', { name: 'Delete view' }).click();
    await page
      .getByRole('dialog', { name: 'Delete view' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect
      .poll(() => page.getByRole('combobox', { name: 'View' }).inputValue())
      .toBe('All records');
    expect((await s.call('GET', `/api/v1/views/${german.id}`)).status).toBe(404);
  });
});
