import { describe, expect, test } from 'vitest';
import { callAs, DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('tasks for departments on %s', (dialect) => {
  const s = serverFor(dialect);

  const task = async (body: Record<string, unknown>) => {
    const res = await s.call('POST', '/api/v1/tasks', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; status: string; [k: string]: unknown };
  };
  const status = async (id: string) => (await s.call('GET', `/api/v1/tasks/${id}`)).body.status;

  test('the standard queues exist once; a queue has members, a task an assignee, a queue or both', async () => {
    const list = await s.call('GET', '/api/v1/queues?sort=name');
    expect(list.body.data.map((q: { name: string }) => q.name)).toEqual([
      'Installation',
      'Production',
      'Purchasing',
    ]);
    const production = list.body.data[1].id;
    const worker = await s.keyFor({
      email: 'w1@example.com',
      name: 'Worker',
      role: 'Sales manager',
    });
    const member = await s.call('POST', '/api/v1/queue_members', {
      queue_id: production,
      user_id: worker.id,
    });
    expect(member.status).toBe(201);
    const twice = await s.call('POST', '/api/v1/queue_members', {
      queue_id: production,
      user_id: worker.id,
    });
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0]).toMatchObject({ path: 'user_id' });
    const noQueue = await s.call('POST', '/api/v1/queue_members', { user_id: worker.id });
    expect(noQueue.status).toBe(400);
    expect(noQueue.body.errors[0]).toMatchObject({ path: 'queue_id', message: 'is required' });

    const both = await task({
      title: 'Weld the frame',
      queue_id: production,
      assignee_id: worker.id,
      time_spent_minutes: 90,
    });
    expect(both).toMatchObject({ queue_id: production, assignee_id: worker.id, status: 'open' });
    const queueOnly = await task({ title: 'Paint', queue_id: production });
    expect(queueOnly.assignee_id).toBeNull();
    const dup = await s.call('POST', '/api/v1/queues', { name: 'Production' });
    expect(dup.status).toBe(409);
    const negative = await s.call('PATCH', `/api/v1/tasks/${both.id}`, { time_spent_minutes: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors[0].path).toBe('time_spent_minutes');
    const badQueue = await s.call('POST', '/api/v1/tasks', {
      title: 'x',
      queue_id: '01a24354-8203-762b-8584-c804eba3dfa6',
    });
    expect(badQueue.status).toBe(400);
    expect(badQueue.body.errors[0].path).toBe('queue_id');
  });

  test('a user watches a task once; checklist items line up; a comment is signed by its writer', async () => {
    const t = await task({ title: 'Install the gate' });
    const u = await s.keyFor({ email: 'w2@example.com', name: 'Watcher', role: 'Sales manager' });
    expect(
      (await s.call('POST', '/api/v1/task_watchers', { task_id: t.id, user_id: u.id })).status,
    ).toBe(201);
    const again = await s.call('POST', '/api/v1/task_watchers', { task_id: t.id, user_id: u.id });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].message).toContain('already watches');

    const a = (await s.call('POST', '/api/v1/task_checklist_items', { task_id: t.id, text: 'Dig' }))
      .body;
    const b = (
      await s.call('POST', '/api/v1/task_checklist_items', { task_id: t.id, text: 'Pour' })
    ).body;
    expect([a.position, b.position, a.done]).toEqual([0, 1, false]);
    const ticked = await s.call('PATCH', `/api/v1/task_checklist_items/${a.id}`, { done: true });
    expect(ticked.body.done).toBe(true);
    const orphan = await s.call('POST', '/api/v1/task_checklist_items', { text: 'Nowhere' });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors[0].path).toBe('task_id');
    const unlink = await s.call('PATCH', `/api/v1/task_checklist_items/${a.id}`, { task_id: null });
    expect(unlink.status).toBe(400);

    const as = callAs(s, u.key);
    const c = await as('POST', '/api/v1/task_comments', { task_id: t.id, body: 'On my way' });
    expect(c.status).toBe(201);
    expect(c.body.author_id).toBe(u.id);
    const forged = await s.call('POST', '/api/v1/task_comments', {
      task_id: t.id,
      body: 'x',
      author_id: u.id,
    });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0]).toMatchObject({ path: 'author_id', message: 'is read-only' });

    // Deleting the task unlinks its parts; restoring it links them back.
    expect((await s.call('DELETE', `/api/v1/tasks/${t.id}`)).status).toBe(200);
    const gone = await s.call('GET', `/api/v1/task_checklist_items?filter[task_id]=${t.id}`);
    expect(gone.body.data).toHaveLength(0);
    expect((await s.call('POST', `/api/v1/tasks/${t.id}/restore`)).status).toBe(200);
    const back = await s.call('GET', `/api/v1/task_checklist_items?filter[task_id]=${t.id}`);
    expect(back.body.data).toHaveLength(2);
  });

  test('a task waits for its prerequisites and opens by itself when the last one is done or cancelled', async () => {
    const a = await task({ title: 'Order steel' });
    const b = await task({ title: 'Order paint' });
    const c = await task({ title: 'Build' });
    const dep = async (t: string, on: string) =>
      s.call('POST', '/api/v1/task_dependencies', { task_id: t, depends_on_id: on });
    expect((await dep(c.id, a.id)).status).toBe(201);
    expect(await status(c.id)).toBe('waiting');
    const second = await dep(c.id, b.id);
    expect(second.status).toBe(201);

    const early = await s.call('PATCH', `/api/v1/tasks/${c.id}`, { status: 'in_progress' });
    expect(early.status).toBe(400);
    expect(early.body.errors[0].path).toBe('status');
    expect(early.body.errors[0].message).toContain('Order steel');

    await s.call('PATCH', `/api/v1/tasks/${a.id}`, { status: 'done' });
    expect(await status(c.id)).toBe('waiting');
    await s.call('PATCH', `/api/v1/tasks/${b.id}`, { status: 'cancelled' });
    expect(await status(c.id)).toBe('open');

    // Reopening a prerequisite puts an unstarted task back to waiting, not a started one.
    await s.call('PATCH', `/api/v1/tasks/${a.id}`, { status: 'open' });
    expect(await status(c.id)).toBe('waiting');
    await s.call('PATCH', `/api/v1/tasks/${a.id}`, { status: 'done' });
    await s.call('PATCH', `/api/v1/tasks/${c.id}`, { status: 'in_progress' });
    await s.call('PATCH', `/api/v1/tasks/${a.id}`, { status: 'in_progress' });
    expect(await status(c.id)).toBe('in_progress');

    // Removing the last blocking dependency opens the task.
    const d = await task({ title: 'Deliver' });
    const link = (await dep(d.id, a.id)).body;
    expect(await status(d.id)).toBe('waiting');
    await s.call('DELETE', `/api/v1/task_dependencies/${link.id}`);
    expect(await status(d.id)).toBe('open');
  });

  test('dependencies refuse a task waiting for itself, a cycle, a repeat, a missing task and hand-set waiting', async () => {
    const a = await task({ title: 'A' });
    const b = await task({ title: 'B' });
    const c = await task({ title: 'C' });
    const dep = async (t: string, on: string | undefined) =>
      s.call('POST', '/api/v1/task_dependencies', { task_id: t, depends_on_id: on });
    const self = await dep(a.id, a.id);
    expect(self.status).toBe(400);
    expect(self.body.errors[0].message).toContain('itself');
    expect((await dep(b.id, a.id)).status).toBe(201);
    expect((await dep(c.id, b.id)).status).toBe(201);
    const cycle = await dep(a.id, c.id);
    expect(cycle.status).toBe(400);
    expect(cycle.body.errors[0]).toMatchObject({ path: 'depends_on_id' });
    expect(cycle.body.errors[0].message).toContain('cycle');
    expect((await dep(b.id, a.id)).status).toBe(400);
    const missing = await dep(a.id, '01a24354-8203-762b-8584-c804eba3dfa6');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('depends_on_id');
    const none = await s.call('POST', '/api/v1/task_dependencies', { task_id: a.id });
    expect(none.status).toBe(400);
    expect(none.body.errors[0]).toMatchObject({ path: 'depends_on_id', message: 'is required' });
    const handWaiting = await s.call('PATCH', `/api/v1/tasks/${a.id}`, { status: 'waiting' });
    expect(handWaiting.status).toBe(400);
    expect(handWaiting.body.errors[0].path).toBe('status');
    const created = await s.call('POST', '/api/v1/tasks', { title: 'W', status: 'waiting' });
    expect(created.status).toBe(400);
    // Nothing changed: a still open, the cycle not written.
    expect(await status(a.id)).toBe('open');
    const deps = await s.call('GET', `/api/v1/task_dependencies?filter[task_id]=${a.id}`);
    expect(deps.body.data).toHaveLength(0);
    // Deleting a prerequisite releases the task that waited for it.
    await s.call('DELETE', `/api/v1/tasks/${b.id}`);
    expect(await status(c.id)).toBe('open');
  });
});
