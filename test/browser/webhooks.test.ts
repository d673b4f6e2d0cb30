import { createHmac } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startReceiver } from '../support/webhook-receiver';
import { browserSession, chromiumAvailable, signIn } from './session';

/** axe-core's serious and critical findings on the page: rule and elements. */
async function seriousViolations(page: Page) {
  // A dialog fading out has blended colours: check once every CSS transition has ended.
  await page.waitForFunction(
    "document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState === 'finished')",
  );
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')}`,
    );
}

/** Settings → Webhooks in Chromium, against a real server and a receiver on 127.0.0.1. */
describe.skipIf(!chromiumAvailable)('webhooks in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: typeof session.page;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    rx = await startReceiver();
    await signIn(session.page, session.base);
  });
  afterAll(async () => rx?.close());
  beforeEach(() => {
    ({ s, base, page } = session);
    s.kontor.settings.allowPrivateTargets = true;
  });

  test('creates a webhook, sees a company change delivered in its log and replays it', async () => {
    const co = (await s.call('POST', '/api/v1/companies', { name: 'Hook Target AG' })).body;
    await s.drain();

    await page.goto(`${base}/settings`);
    const nav = page.getByRole('navigation', { name: 'Settings sections' });
    await nav.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await page.getByRole('button', { name: 'New webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByLabel('Name').fill('CRM sync');
    // A refused target is named by its field, and nothing is saved.
    await dialog.getByLabel('Target URL').fill('ftp://example.com/hooks');
    await dialog.getByLabel('Object').click();
    await page.getByRole('option', { name: 'Companies', exact: true }).click();
    await dialog.getByRole('button', { name: 'New webhook' }).click();
    await dialog.getByText('must use http or https, not ftp').waitFor();
    await dialog.getByLabel('Target URL').fill(`${rx.url}/kontor`);
    await dialog.getByRole('button', { name: 'New webhook' }).click();

    const shown = page.getByRole('dialog', { name: 'Signing secret of CRM sync' });
    const secret = await shown.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await shown.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: 'CRM sync' });
    await row.getByText('Enabled').waitFor();
    await row.getByText('Created, Updated, Deleted, Restored').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A change of the company, made in the app.
    await page.goto(`${base}/o/companies/${co.id}`);
    await page.getByRole('heading', { name: 'Hook Target AG' }).waitFor();
    await page.getByRole('button', { name: 'Change City' }).click();
    await page.getByRole('textbox', { name: 'City' }).fill('Lviv');
    await page.getByRole('textbox', { name: 'City' }).press('Enter');
    await expect
      .poll(async () => (await s.call('GET', `/api/v1/companies/${co.id}`)).body.city)
      .toBe('Lviv');
    await s.drain();
    expect(rx.received).toHaveLength(1);
    const hit = rx.received[0]!;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(String(hit.headers['kontor-signature']))!;
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${hit.body}`).digest('hex'));
    expect(JSON.parse(hit.body)).toMatchObject({
      type: 'companies.updated',
      record: { id: co.id, city: 'Lviv' },
      changes: { city: [null, 'Lviv'] },
    });

    // The log shows it delivered; a replay sends the same event again.
    await page.goto(`${base}/settings/webhooks`);
    await page.getByRole('link', { name: 'Deliveries of CRM sync' }).click();
    await page.getByRole('heading', { name: 'Deliveries of CRM sync' }).waitFor();
    const log = page.getByRole('table', { name: 'Deliveries' });
    const delivered = log.getByRole('row', { name: /^companies\.updated/ });
    await delivered.getByText('Delivered').waitFor();
    await delivered.getByRole('cell', { name: '200', exact: true }).waitFor();
    await delivered.getByRole('button', { name: /^Replay delivery/ }).click();
    await page.getByRole('status').getByText('Queued again as a new delivery.').waitFor();
    await log.getByText('Waiting').waitFor();
    await s.drain();
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.body).toBe(hit.body);
    expect(rx.received[1]!.headers['kontor-event-id']).toBe(hit.headers['kontor-event-id']);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => log.getByText('Delivered').count()).toBe(2);
    await log.getByText('replay', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Its details: each attempt with the answer, and the body sent.
    await log.getByRole('button', { name: 'Details' }).first().click();
    const details = page.getByRole('dialog', { name: /^Delivery/ });
    await details.getByRole('table', { name: 'Attempts' }).getByText('200').waitFor();
    await details.getByText('"city": "Lviv"').waitFor();
  });
});
