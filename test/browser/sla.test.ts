import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { browserSession, chromiumAvailable, signIn } from './session';

/** axe's serious and critical findings on the page, one line each ('' when there are none). */
async function seriousViolations(page: Page): Promise<string> {
  await page.mouse.move(1, 799);
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    .join('\n');
}

/** A lead's SLA timer on its page, counting down in working time, and the SLA report. */
describe.skipIf(!chromiumAvailable)('SLA timers in Chromium', () => {
  const session = browserSession();
  let s: typeof session.s;
  let base: string;
  let page: Page;
  let leadId: string;
  beforeAll(async () => {
    ({ s } = session);
    session.page.setDefaultTimeout(10_000);
    const calendars = await s.call('GET', '/api/v1/calendars?filter[name][eq]=Office%20hours');
    const policy = await s.call('POST', '/api/v1/sla_policies', {
      name: 'First response',
      object: 'leads',
      stop_kind: 'field_changes',
      stop_field: 'status',
      target_minutes: 90,
      calendar_id: calendars.body.data[0].id,
    });
    expect(policy.status).toBe(201);
    // Friday 16:00 UTC: one working hour today, the other half hour on Monday.
    s.clock.set(new Date('2026-03-06T16:00:00Z'));
    leadId = (await s.call('POST', '/api/v1/leads', { first_name: 'Timed', last_name: 'Lead' }))
      .body.id;
    await s.drain();
    await signIn(session.page, session.base);
  });
  beforeEach(() => {
    ({ s, base, page } = session);
  });

  test('shows the working time left on a lead, then the breach in red', async () => {
    await page.goto(`${base}/o/leads/${leadId}`);
    const section = page.getByRole('region', { name: 'SLA', exact: true });
    await section.getByText('First response').waitFor();
    await section.getByText('Running').waitFor();
    await section.getByText('1 h 30 min of working time left').waitFor();
    expect(await seriousViolations(page)).toBe('');

    // Over the weekend the clock moves on but no working time passes.
    s.clock.set(new Date('2026-03-08T12:00:00Z'));
    await page.reload();
    await section.getByText('30 min of working time left').waitFor();

    s.clock.set(new Date('2026-03-09T09:45:00Z'));
    await s.drain();
    await page.reload();
    await section.getByText('Breached').waitFor();
    const overdue = section.getByText('Overdue by 15 min of working time');
    await overdue.waitFor();
    const colour = await overdue.evaluate(
      (el) => el.ownerDocument.defaultView!.getComputedStyle(el).color,
    );
    const [r, g, b] = colour.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(80);
    expect(b).toBeLessThan(80);
    expect(await seriousViolations(page)).toBe('');
  });

  test('the SLA report lists each policy with its counts', async () => {
    await page.goto(`${base}/`);
    await page
      .getByRole('navigation', { name: 'Objects' })
      .getByRole('link', { name: 'SLA report' })
      .click();
    const table = page.getByRole('table', { name: 'SLA report' });
    const row = table.getByRole('row', { name: /First response/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      'Leads',
      '1',
      '0',
      '0',
      '1',
      '0',
      '0',
      '—',
      '—',
    ]);
    expect(await seriousViolations(page)).toBe('');
  });
});
