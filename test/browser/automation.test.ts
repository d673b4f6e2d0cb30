import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/**
 * The process editor and the run view in Chromium: a process built in the editor runs on a
 * company created through the API, and its run shows each step; a bad condition is shown on
 * its node and input, as the server found it.
 */
describe.skipIf(!chromiumAvailable)('the process editor in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: typeof session.page;
  let processId: string;
  beforeAll(async () => {
    await signIn(session.page, session.base);
  });
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  test('builds a process in the editor, enables it, and reads its run step by step', async () => {
    await page.goto(`${base}/automation`);
    await page.getByRole('heading', { name: 'Processes' }).waitFor();
    await page.getByRole('link', { name: 'New process' }).click();
    await page.getByRole('heading', { name: 'New process' }).waitFor();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Call new companies');

    // The trigger is chosen first: a company is created.
    const panel = page.getByRole('region', { name: 'Settings of the chosen step' });
    await panel.getByRole('combobox', { name: 'Object' }).click();
    await page.getByRole('option', { name: 'Companies', exact: true }).click();
    await page.getByRole('button', { name: /^Edit: Trigger: When a company is created/ }).waitFor();

    // The first step, chosen from the graph by keyboard: one task with a template title.
    const step = page.getByRole('button', { name: /^Edit: Create tasks: s1/ });
    await step.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('heading', { name: 'Step s1' }).isVisible()).toBe(true);
    await panel.getByLabel('Title').fill('Call {{ record.name }}');
    await page.getByRole('status').filter({ hasText: 'No problems found.' }).waitFor();

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Call new companies' }).waitFor();
    await page.getByText('This is version 1. Saving creates version 2').waitFor();
    processId = /\/automation\/([^/?]+)/.exec(page.url())![1];

    const enabled = page.getByRole('switch', { name: 'Enabled' });
    await enabled.click();
    await expect.poll(() => enabled.isChecked()).toBe(true);
    const saved = await s.call('GET', `/api/v1/automation/processes/${processId}`);
    expect(saved.body).toMatchObject({ enabled: true, version: 1 });

    const company = (await s.call('POST', '/api/v1/companies', { name: 'Nordwind AG' })).body;
    await s.drain();
    const tasks = await s.call('GET', `/api/v1/tasks?filter[related_id][eq]=${company.id}`);
    expect(tasks.body.data.map((x: { title: string }) => x.title)).toEqual(['Call Nordwind AG']);

    // The process's Runs tab lists the run, which opens on its graph and its steps.
    await page.getByRole('tab', { name: 'Runs' }).click();
    const runs = page.getByRole('table', { name: 'Runs' });
    const row = runs.getByRole('row').filter({ hasText: 'Nordwind AG' });
    await row.getByText('Done').waitFor();
    await row.getByRole('link', { name: /^Run of Call new companies/ }).click();
    await page.getByRole('heading', { name: 'Run of Call new companies' }).waitFor();
    const timeline = page.getByRole('table', { name: 'Steps taken' });
    const taken = timeline.getByRole('row').filter({ hasText: 's1' });
    await taken.getByText('Done').waitFor();
    const graph = page.getByRole('group', { name: 'Steps of the run' });
    await graph.getByText('Done').waitFor();
    // The step's output, folded until opened, names the task it created.
    await taken.getByLabel('Output: s1').click();
    await taken.getByText(tasks.body.data[0].id, { exact: false }).waitFor();

    // The list of all runs has it too, filtered by status.
    await page.goto(`${base}/automation/runs?status=done`);
    await page.getByRole('table', { name: 'Runs' }).getByText('Call new companies').waitFor();
    await page.goto(`${base}/automation`);
    await page
      .getByRole('row', { name: /Call new companies/ })
      .getByText('When a company is created')
      .waitFor();
  });

  test("shows the server's finding about a bad condition on its node and its input", async () => {
    await page.goto(`${base}/automation/${processId}`);
    await page.getByRole('heading', { name: 'Call new companies' }).waitFor();
    const panel = page.getByRole('region', { name: 'Settings of the chosen step' });
    await page.getByRole('button', { name: /^Edit: Create tasks: s1/ }).click();
    await panel.getByLabel('Kind of the new step').selectOption({ label: 'If / else' });
    await panel.getByRole('button', { name: 'Add after this step' }).click();
    await panel.getByRole('heading', { name: 'Step s2' }).waitFor();
    await panel.getByLabel('Condition').fill("record.nmae == 'Nordwind AG'");

    const node = page.getByRole('button', { name: /^Edit: If \/ else: s2.*problem/ });
    await node.waitFor();
    await panel.getByText(/nmae/).first().waitFor();
    expect(await panel.getByLabel('Condition').getAttribute('aria-invalid')).toBe('true');

    // Saving is refused with the same finding, and nothing changes on the server.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await node.waitFor();
    const still = await s.call('GET', `/api/v1/automation/processes/${processId}`);
    expect(still.body.version).toBe(1);
  });

  test('a webhook process shows its secret once, right after it is made', async () => {
    await page.goto(`${base}/automation/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Inbound orders');
    const panel = page.getByRole('region', { name: 'Settings of the chosen step' });
    await panel.getByRole('combobox', { name: 'When' }).click();
    await page.getByRole('option', { name: "The process's webhook is called" }).click();
    await page.getByRole('button', { name: /^Edit: Create tasks: s1/ }).click();
    await panel.getByLabel('Title').fill('Check the inbound order');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Inbound orders' }).waitFor();

    const token = await panel.getByLabel('Secret token').inputValue();
    expect(token.length).toBeGreaterThan(20);
    const url = await panel.getByLabel('Webhook address').inputValue();
    expect(url).toMatch(/\/api\/v1\/automation\/hooks\//);
    await page.reload();
    await panel.getByLabel('Webhook address').waitFor();
    expect(await panel.getByLabel('Secret token').count()).toBe(0);
  });

  test('speaks Ukrainian to a Ukrainian user', async () => {
    await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'uk' });
    try {
      await page.goto(`${base}/automation`);
      await page.getByRole('heading', { name: 'Процеси' }).waitFor();
      await page
        .getByRole('row', { name: /Call new companies/ })
        .getByText('Коли створено запис «Компанія»')
        .waitFor();
      await page.goto(`${base}/automation/runs?status=done`);
      await page.getByRole('heading', { name: 'Запуски процесів' }).waitFor();
      await page.getByRole('table', { name: 'Запуски' }).getByText('Виконано').first().waitFor();
    } finally {
      await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'en' });
    }
  });
});
