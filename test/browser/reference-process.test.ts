import { describe, expect, test } from 'vitest';
import { actorForUser } from '../../server/src/core/auth/users';
import { DEFAULT_NORTHWIND_DIR, importNorthwind } from '../../server/src/flows/northwind-demo';
import { PNG } from '../support/forms';
import { browserSession, chromiumAvailable, signIn } from './session';

const DAY = 86_400_000;

/**
 * The reference process on the Northwind demo, in Chromium, with a clock the test moves: a deal
 * for Alfreds Futterkiste (gift baskets, a kit the company makes) goes from Qualified to Won on
 * the board; production and purchasing get their tasks; the deal page shows them live; production
 * done starts installation; the installation team, without a login, reports through the form
 * link on a phone; the report lands on the deal and the run history shows every step.
 */
describe.skipIf(!chromiumAvailable)('the reference process in the browser', () => {
  const session = browserSession();

  test(
    'from the first stage to the installation form, on Northwind',
    { timeout: 600_000 },
    async () => {
      const { s, base, page } = session;
      const actor = await actorForUser(s.kontor.database.db, s.adminId);
      const report = await importNorthwind(s.kontor, actor!, DEFAULT_NORTHWIND_DIR);
      expect(report.processes).toHaveLength(2);
      await s.drain();

      const one = async (object: string, filter: string) =>
        (await s.call('GET', `/api/v1/${object}?${filter}`)).body.data[0] as Record<string, any>;
      const alfreds = await one('companies', 'filter[external_ref][eq]=northwind:customer:ALFKI');
      const basket = await one('products', 'filter[sku][eq]=NW-KIT-0001');
      const main = await one('warehouses', 'filter[code][eq]=MAIN');
      const qualified = await one('stages', 'filter[name][eq]=Qualified');
      const deal = (
        await s.call('POST', '/api/v1/deals', {
          name: 'Gift baskets for Alfreds',
          company_id: alfreds.id,
          amount: { amount: '450.00', currency: 'EUR' },
        })
      ).body;
      const order = (
        await s.call('POST', '/api/v1/sales_orders', {
          currency: 'EUR',
          company_id: alfreds.id,
          deal_id: deal.id,
          warehouse_id: main.id,
        })
      ).body;
      const line = await s.call('POST', '/api/v1/sales_order_lines', {
        order_id: order.id,
        product_id: basket.id,
        quantity: '30',
        unit_price: { amount: '15.00', currency: 'EUR' },
      });
      expect(line.status, JSON.stringify(line.body)).toBe(201);

      await signIn(page, base);
      // 1. The deal moves on the board; stage tasks appear on its page.
      await page.setViewportSize({ width: 1800, height: 900 });
      await page.goto(`${base}/board/deals`);
      const card = page.getByRole('listitem', { name: 'Gift baskets for Alfreds' });
      await card.waitFor();
      await card.dragTo(page.getByRole('list', { name: 'Column Qualified' }));
      await expect
        .poll(async () => (await s.call('GET', `/api/v1/deals/${deal.id}`)).body.stage_id)
        .toBe(qualified.id);
      await s.drain();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${base}/o/deals/${deal.id}`);
      const work = page.getByRole('region', { name: 'Work under way' });
      await work
        .getByRole('link', { name: 'Estimate the work for Gift baskets for Alfreds' })
        .waitFor();
      await work.getByText('Production', { exact: true }).waitFor();

      // 2. A week later the deal is won: production and purchasing get their tasks.
      s.clock.advance(7 * DAY);
      // The Won column holds the 830 Northwind orders: the stage is changed on the deal's page.
      await page.goto(`${base}/o/deals/${deal.id}`);
      await page.getByRole('button', { name: 'Change Stage' }).click();
      await page.getByRole('combobox', { name: 'Stage' }).fill('Won');
      await page.getByRole('option', { name: 'Won' }).click();
      await expect
        .poll(async () => (await s.call('GET', `/api/v1/deals/${deal.id}`)).body.status)
        .toBe('won');
      await s.drain();
      await s.drain();
      await page.goto(`${base}/o/deals/${deal.id}`);
      const produce = work.getByRole('link', {
        name: 'Produce the order of Gift baskets for Alfreds',
      });
      await produce.waitFor();
      await work
        .getByRole('link', { name: 'Order the materials for Gift baskets for Alfreds' })
        .waitFor();
      const production = (
        await s.call('GET', `/api/v1/production_orders?filter[deal_id][eq]=${deal.id}`)
      ).body.data;
      expect(production).toEqual([
        expect.objectContaining({ product_id: basket.id, quantity: '30.000' }),
      ]);
      if (process.env.KONTOR_SCREENSHOTS)
        await page.screenshot({
          path: `${process.env.KONTOR_SCREENSHOTS}/deal-won.png`,
          fullPage: true,
        });

      // 3. Production marks its tasks done; the deal page follows without a reload.
      const finish = async (title: string) => {
        const task = (await one('tasks', `filter[title][eq]=${encodeURIComponent(title)}`)) as {
          id: string;
        };
        await page.goto(`${base}/o/tasks/${task.id}`);
        await page.getByRole('button', { name: 'Change Status' }).click();
        await page.getByRole('combobox', { name: 'Status' }).click();
        await page.getByRole('option', { name: 'Done' }).click();
        await expect
          .poll(async () => (await s.call('GET', `/api/v1/tasks/${task.id}`)).body.status)
          .toBe('done');
        await s.drain();
        await s.drain();
      };
      s.clock.advance(3 * DAY);
      await finish('Produce the order of Gift baskets for Alfreds');
      await page.goto(`${base}/o/deals/${deal.id}`);
      // Production: the estimate from the Qualified stage, the order, its quality check.
      await work.getByText('1 of 3 done').waitFor();
      await finish('Check the quality of Gift baskets for Alfreds');
      await page.goto(`${base}/o/deals/${deal.id}`);
      await work
        .getByRole('link', { name: 'Install Gift baskets for Alfreds at the customer' })
        .waitFor();

      // 4. The installation team has no login: it gets a link by e-mail and reports on a phone.
      const install = await one(
        'tasks',
        `filter[title][eq]=${encodeURIComponent('Install Gift baskets for Alfreds at the customer')}`,
      );
      const mail = await s.kontor.database.db
        .selectFrom('mail_log')
        .select(['to_address', 'text_body'])
        .where('related_id', '=', install.id)
        .executeTakeFirstOrThrow();
      expect(mail.to_address).toBe('installation@northwind.example');
      const url = /https?:\/\/\S+(\/f\/[A-Za-z0-9_-]+)/.exec(String(mail.text_body))![1]!;
      s.clock.advance(2 * DAY);
      const phone = await session.browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      try {
        const mobile = await phone.newPage();
        await mobile.goto(`${base}${url}`);
        await mobile.getByRole('heading', { name: 'Installation report' }).waitFor();
        await mobile.getByLabel('Installation date').fill('1998-05-20');
        await mobile.getByLabel('Notes').fill('Thirty baskets delivered and set up in the shop.');
        await mobile
          .getByLabel('Photos')
          .setInputFiles({ name: 'shop.png', mimeType: 'image/png', buffer: PNG });
        await mobile.getByLabel('The customer confirms the installation').check();
        if (process.env.KONTOR_SCREENSHOTS)
          await mobile.screenshot({
            path: `${process.env.KONTOR_SCREENSHOTS}/installation-form.png`,
            fullPage: true,
          });
        await mobile.getByRole('button', { name: 'Send' }).tap();
        await mobile.getByRole('heading', { name: 'Thank you' }).waitFor();
      } finally {
        await phone.close();
      }
      await s.drain();
      await s.drain();

      // 5. The result is on the deal, the run history shows every step.
      expect((await s.call('GET', `/api/v1/deals/${deal.id}`)).body).toMatchObject({
        installed_on: '1998-05-20',
        installation_notes: 'Thirty baskets delivered and set up in the shop.',
        installation_confirmed: true,
      });
      await page.goto(`${base}/o/deals/${deal.id}`);
      await work.getByText('Installation', { exact: true }).waitFor();
      const runLink = work.getByRole('link', {
        name: 'Run of Won deal: production, purchasing and installation',
      });
      await runLink.click();
      for (const step of [
        'plan',
        'make',
        'buy',
        'production_done',
        'install',
        'send_form',
        'installed',
        'report',
      ])
        await page.getByRole('cell', { name: `(${step})` }).waitFor();
      const runs = (
        await s.call('GET', `/api/v1/automation/runs?object=deals&record_id=${deal.id}`)
      ).body.data;
      const won = runs.find((r: { process_name: string }) => r.process_name.startsWith('Won deal'));
      expect(won.status).toBe('done');
      if (process.env.KONTOR_SCREENSHOTS)
        await page.screenshot({
          path: `${process.env.KONTOR_SCREENSHOTS}/reference-run.png`,
          fullPage: true,
        });
    },
  );
});
