import { describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

describe.skipIf(!chromiumAvailable)('the web app in Ukrainian', () => {
  const session = browserSession();

  test('a user switches to Ukrainian: menus, object and field labels, numbers and dates follow', async () => {
    const { s, base, page } = session;
    const acme = (
      await s.call('POST', '/api/v1/companies', { name: 'Acme Kyiv', country: 'Ukraine' })
    ).body;
    await s.call('POST', '/api/v1/deals', {
      name: 'Велика угода',
      company_id: acme.id,
      amount: { amount: '1234567.50', currency: 'UAH' },
    });
    await signIn(page, base);
    await page.getByRole('button', { name: /^Account menu for/ }).click();
    await page.getByRole('menuitem', { name: 'Profile and language' }).click();
    await page.getByRole('combobox', { name: 'Language' }).click();
    await page.getByRole('option', { name: 'Українська' }).click();
    await page.getByRole('combobox', { name: 'Time zone' }).fill('Europe/Kyiv');
    await page.getByRole('option', { name: 'Europe/Kyiv' }).click();
    await page.getByRole('button', { name: 'Save' }).click();

    // The whole app switches at once, labels from the server included.
    await page.getByRole('heading', { name: 'Профіль і мова' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Об’єкти' });
    await nav.getByRole('link', { name: 'Компанії' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    const me = (await s.call('GET', '/api/v1/users')).body.data.find(
      (u: { email: string }) => u.email === 'admin@example.com',
    );
    expect(me).toMatchObject({ locale: 'uk', time_zone: 'Europe/Kyiv' });

    // The board speaks Ukrainian, with money in the Ukrainian format.
    await page.goto(`${base}/board/deals`);
    await page.getByRole('heading', { name: 'Угоди: дошка' }).waitFor();
    await page.getByText('Воронка').first().waitFor();
    const card = page.getByRole('listitem', { name: 'Велика угода' });
    await expect.poll(() => card.textContent()).toMatch(/1\s234\s567,50\s*(грн|₴|UAH)/);

    // A reload keeps the language: it is the user's, not the tab's.
    await page.reload();
    await page.getByRole('heading', { name: 'Угоди: дошка' }).waitFor();
    await page.getByRole('button', { name: /^Меню облікового запису/ }).click();
    await page.getByRole('menuitem', { name: 'Профіль і мова' }).click();
    await page.getByRole('combobox', { name: 'Мова' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Зберегти' }).click();
    await page.getByRole('heading', { name: 'Profile and language' }).waitFor();
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'Companies' })
      .waitFor();
  });
});
