import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/**
 * axe-core's checks on the main screens, each with data in it. A screen passes when axe finds
 * nothing serious or critical; the failure message lists each violation's rule, help text and
 * the selectors of the elements concerned.
 */
async function seriousViolations(page: Page): Promise<string> {
  // A dialog fading in has blended colours: check once every CSS transition has ended.
  await page.waitForFunction(
    "document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState === 'finished')",
  );
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 10)
          .map((n) => {
            // The summary's second line says why, e.g. the contrast ratio and both colours.
            const why = n.failureSummary?.split('\n')[1]?.trim() ?? '';
            return `    ${n.target.join(' ')}${why ? `\n      ${why}` : ''}`;
          })
          .join('\n')}${v.nodes.length > 10 ? `\n    … and ${v.nodes.length - 10} more` : ''}`,
    )
    .join('\n');
}

describe.skipIf(!chromiumAvailable)('accessibility of the main screens', () => {
  const session = browserSession();
  let base: string;
  let page: Page;
  let acmeId: string;
  beforeAll(async () => {
    const { s } = session;
    const acme = (
      await s.call('POST', '/api/v1/companies', {
        name: 'Acme Berlin GmbH',
        city: 'Berlin',
        country: 'Germany',
        industry: 'Manufacturing',
      })
    ).body;
    acmeId = acme.id;
    for (const [name, city, country] of [
      ['Lyon Bistro', 'Lyon', 'France'],
      ['Atelier Nantes', 'Nantes', 'France'],
      ['Kyiv Soft', 'Kyiv', 'Ukraine'],
    ])
      await s.call('POST', '/api/v1/companies', { name, city, country });
    for (const [first_name, last_name] of [
      ['Greta', 'Klein'],
      ['Olena', 'Koval'],
    ])
      await s.call('POST', '/api/v1/contacts', { first_name, last_name, company_id: acme.id });
    const stages = (await s.call('GET', '/api/v1/stages?sort=position')).body.data as {
      id: string;
    }[];
    for (const [i, name] of ['Press line', 'Spare parts', 'Service contract'].entries())
      await s.call('POST', '/api/v1/deals', {
        name,
        stage_id: stages[i].id,
        company_id: acme.id,
        amount: { amount: `${(i + 1) * 1000}.00`, currency: 'EUR' },
      });
  });
  beforeEach(() => {
    ({ base, page } = session);
  });

  test('the sign-in page', async () => {
    await page.goto(`${base}/`);
    await page.getByLabel('E-mail').waitFor();
    const found = await seriousViolations(page);
    // Signed in whatever the check found: the other screens need it.
    await signIn(page, base);
    expect(found).toBe('');
  });

  test('the home page', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('main').getByRole('link').first().waitFor();
    expect(await seriousViolations(page)).toBe('');
  });

  test('the companies table with a filter applied', async () => {
    const filters = JSON.stringify([{ field: 'country', op: 'eq', value: 'France' }]);
    await page.goto(`${base}/o/companies?filters=${encodeURIComponent(filters)}`);
    await page.getByRole('link', { name: 'Lyon Bistro' }).waitFor();
    expect(await page.getByRole('link', { name: 'Acme Berlin GmbH' }).count()).toBe(0);
    expect(await seriousViolations(page)).toBe('');
  });

  test("a company's record page", async () => {
    await page.goto(`${base}/o/companies/${acmeId}`);
    await page.getByRole('heading', { name: 'Acme Berlin GmbH' }).waitFor();
    await page.getByRole('link', { name: 'Greta Klein' }).waitFor();
    expect(await seriousViolations(page)).toBe('');
  });

  test('the new record form', async () => {
    await page.goto(`${base}/o/companies`);
    await page.getByRole('button', { name: 'New company' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).waitFor();
    expect(await seriousViolations(page)).toBe('');
    await page.keyboard.press('Escape');
  });

  test('the deals board', async () => {
    await page.goto(`${base}/board/deals`);
    await page.getByRole('listitem', { name: 'Press line' }).waitFor();
    expect(await seriousViolations(page)).toBe('');
  });

  test('the import page with a file read', async () => {
    await page.goto(`${base}/import/companies`);
    await page.locator('input[type=file]').setInputFiles({
      name: 'companies.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Company name,Town\nNordwind AG,Hamburg\nSüdwind GmbH,München\n'),
    });
    await page.getByRole('combobox', { name: 'Field for Town' }).waitFor();
    expect(await seriousViolations(page)).toBe('');
  });

  test('the settings page for fields', async () => {
    await page.goto(`${base}/settings/fields`);
    await page.getByRole('table').first().getByRole('row').nth(1).waitFor();
    expect(await seriousViolations(page)).toBe('');
  });

  test('the global search, open with results', async () => {
    await page.goto(`${base}/o/deals`);
    await page.getByRole('link', { name: 'Press line' }).waitFor();
    await page.keyboard.press('Control+K');
    await page.getByRole('textbox', { name: 'Search everything' }).fill('acme');
    await page.getByRole('button', { name: /Acme Berlin GmbH/ }).waitFor();
    expect(await seriousViolations(page)).toBe('');
    await page.keyboard.press('Escape');
  });

  test('the processes list, the process editor and a run', async () => {
    const { s } = session;
    // Events of the records made before are handled first: the process is for companies to come.
    await s.drain();
    const created = await s.call('POST', '/api/v1/automation/processes', {
      name: 'Call new companies',
      enabled: true,
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        start: 's1',
        steps: [
          {
            id: 's1',
            type: 'create_tasks',
            tasks: [{ title: 'Call {{ record.name }}' }],
            next: 's2',
          },
          { id: 's2', type: 'if', condition: "record.country == 'Germany'", then: 's3' },
          { id: 's3', type: 'note', text: 'A German company' },
        ],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await s.call('POST', '/api/v1/companies', { name: 'Nordwind AG', country: 'Germany' });
    await s.drain();

    await page.goto(`${base}/automation`);
    await page.getByRole('switch', { name: 'Enabled: Call new companies' }).waitFor();
    expect(await seriousViolations(page)).toBe('');

    await page.goto(`${base}/automation/${created.body.id}`);
    await page.getByRole('button', { name: /^Edit: If \/ else: s2/ }).click();
    await page.getByRole('heading', { name: 'Step s2' }).waitFor();
    expect(await seriousViolations(page)).toBe('');

    const runs = await s.call('GET', `/api/v1/automation/runs?process_id=${created.body.id}`);
    await page.goto(`${base}/automation/runs/${runs.body.data[0].id}`);
    await page.getByRole('table', { name: 'Steps taken' }).waitFor();
    expect(await seriousViolations(page)).toBe('');
  });
});
