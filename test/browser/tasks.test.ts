import type { Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { callAs } from '../helpers';
import { browserSession, chromiumAvailable, signIn } from './session';

/** My tasks, a task's checklist and comments, and the notifications bell. */
describe.skipIf(!chromiumAvailable)('tasks in Chromium', () => {
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

  test('My tasks lists mine and my queue’s, overdue apart; the task page ticks its checklist and takes a comment', async () => {
    const me = s.adminId;
    const queues = (await s.call('GET', '/api/v1/queues?sort=name')).body.data;
    const production = queues.find((q: { name: string }) => q.name === 'Production');
    await s.call('POST', '/api/v1/queue_members', { queue_id: production.id, user_id: me });
    const other = await s.keyFor({ email: 'o@example.com', name: 'Olena', role: 'Sales manager' });
    const task = async (body: Record<string, unknown>) =>
      (await s.call('POST', '/api/v1/tasks', body)).body as { id: string };
    const late = await task({
      title: 'Send the drawings',
      assignee_id: me,
      due_date: '2020-01-10',
    });
    const mine = await task({ title: 'Mount the gate', assignee_id: me });
    await task({ title: 'Weld the frame', queue_id: production.id });
    await task({ title: 'Someone else’s call', assignee_id: other.id });
    // Olena comments on the admin's task: the bell counts it.
    await callAs(s, other.key)('POST', '/api/v1/task_comments', {
      task_id: mine.id,
      body: 'The posts are ready',
    });

    await page.goto(`${base}/tasks`);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    const overdue = page.getByRole('region', { name: 'Overdue' });
    await overdue.getByRole('link', { name: 'Send the drawings' }).waitFor();
    const open = page.getByRole('region', { name: 'Open' });
    await open.getByRole('link', { name: 'Weld the frame' }).waitFor();
    await open.getByRole('link', { name: 'Mount the gate' }).waitFor();
    expect(await open.getByRole('link', { name: 'Send the drawings' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Someone else’s call' }).count()).toBe(0);
    // The department's board: its tasks by status.
    await page.getByRole('link', { name: 'Board of Production' }).click();
    await page.getByRole('heading', { name: 'Tasks board' }).waitFor();
    await page.getByText('Weld the frame').waitFor();
    expect(await page.getByText('Mount the gate').count()).toBe(0);
    await page.goto(`${base}/tasks`);
    await overdue.getByRole('link', { name: 'Send the drawings' }).waitFor();
    void late;

    await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await page.getByText('New comment on Mount the gate').click();
    await page.waitForURL(`${base}/o/tasks/${mine.id}`);
    await page.getByRole('heading', { name: 'Mount the gate' }).waitFor();
    await page.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();

    const checklist = page.getByRole('region', { name: 'Checklist' });
    for (const text of ['Dig the holes', 'Set the posts']) {
      await checklist.getByRole('textbox', { name: 'New checklist item' }).fill(text);
      await checklist.getByRole('button', { name: 'Add an item' }).click();
      await checklist.getByRole('checkbox', { name: text }).waitFor();
    }
    await checklist.getByRole('checkbox', { name: 'Dig the holes' }).click();
    await checklist.getByText('1 of 2 done').waitFor();
    const items = (
      await s.call('GET', `/api/v1/task_checklist_items?filter[task_id]=${mine.id}&sort=position`)
    ).body.data;
    expect(items.map((i: { text: string; done: boolean }) => [i.text, i.done])).toEqual([
      ['Dig the holes', true],
      ['Set the posts', false],
    ]);

    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByText('The posts are ready').waitFor();
    await comments.getByRole('textbox', { name: 'Write a comment' }).fill('Concrete on Monday');
    await comments.getByRole('button', { name: 'Comment' }).click();
    await comments.getByText('Concrete on Monday').waitFor();
    const saved = (
      await s.call('GET', `/api/v1/task_comments?filter[task_id]=${mine.id}&sort=created_at`)
    ).body.data;
    expect(saved.map((c: { body: string; author_id: string }) => [c.body, c.author_id])).toEqual([
      ['The posts are ready', other.id],
      ['Concrete on Monday', me],
    ]);
  });
});
