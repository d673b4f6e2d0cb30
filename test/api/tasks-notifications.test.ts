import { describe, expect, test } from 'vitest';
import { callAs, DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  const s = serverFor(dialect);

  test('a user is told of a task assigned to them, a comment on it and a watched task done; only their own', async () => {
    const ann = await s.keyFor({ email: 'ann@example.com', name: 'Ann', role: 'Sales manager' });
    const bob = await s.keyFor({ email: 'bob@example.com', name: 'Bob', role: 'Sales manager' });
    await s.call('PATCH', `/api/v1/users/${bob.id}`, { locale: 'uk' });
    const asAnn = callAs(s, ann.key);
    const asBob = callAs(s, bob.key);

    const t = (await s.call('POST', '/api/v1/tasks', { title: 'Paint', assignee_id: ann.id })).body;
    await s.call('POST', '/api/v1/task_watchers', { task_id: t.id, user_id: bob.id });
    // Ann's own comment tells nobody; the admin's tells Ann.
    await asAnn('POST', '/api/v1/task_comments', { task_id: t.id, body: 'Starting' });
    await s.call('POST', '/api/v1/task_comments', { task_id: t.id, body: 'Use blue' });
    await asAnn('PATCH', `/api/v1/tasks/${t.id}`, { status: 'done' });

    const annList = (await asAnn('GET', '/api/v1/notifications')).body;
    expect(annList.data.map((x: { kind: string }) => x.kind)).toEqual(['comment', 'task_assigned']);
    expect(annList.data[1]).toMatchObject({
      title: 'Task assigned to you: Paint',
      object: 'tasks',
      record_id: t.id,
      read_at: null,
    });
    expect(annList.data[0].body).toBe('Use blue');
    expect(annList.unread_count).toBe(2);
    const bobList = (await asBob('GET', '/api/v1/notifications')).body;
    expect(bobList.data).toHaveLength(1);
    expect(bobList.data[0]).toMatchObject({
      kind: 'watched_task_done',
      title: 'Завдання виконано: Paint',
    });

    // Reading: one, then the rest; someone else's is not found and stays unread.
    const first = annList.data[0].id;
    expect((await asBob('POST', `/api/v1/notifications/${first}/read`)).status).toBe(404);
    const read = await asAnn('POST', `/api/v1/notifications/${first}/read`);
    expect(read.status).toBe(200);
    expect(read.body.read_at).toBe(s.clock.now().toISOString());
    expect((await asAnn('GET', '/api/v1/notifications/unread_count')).body.count).toBe(1);
    const unread = (await asAnn('GET', '/api/v1/notifications?unread=true')).body.data;
    expect(unread.map((x: { id: string }) => x.id)).toEqual([annList.data[1].id]);
    expect((await asAnn('POST', '/api/v1/notifications/read-all')).body.marked).toBe(1);
    expect((await asAnn('GET', '/api/v1/notifications/unread_count')).body.count).toBe(0);
    expect((await asBob('GET', '/api/v1/notifications/unread_count')).body.count).toBe(1);
  });

  test('bad notification requests are 400s, pages go back in time', async () => {
    const cat = await s.keyFor({ email: 'cat@example.com', name: 'Cat', role: 'Sales manager' });
    const asCat = callAs(s, cat.key);
    for (let i = 0; i < 3; i++)
      await s.call('POST', '/api/v1/tasks', { title: `T${i}`, assignee_id: cat.id });
    const p1 = (await asCat('GET', '/api/v1/notifications?limit=2')).body;
    expect(p1.data).toHaveLength(2);
    const p2 = (await asCat('GET', `/api/v1/notifications?limit=2&before=${p1.next_before}`)).body;
    expect(p2.data.map((x: { title: string }) => x.title)).toEqual(['Task assigned to you: T0']);
    expect(p2.next_before).toBeNull();
    const bad = [
      '/api/v1/notifications?limit=0',
      '/api/v1/notifications?unread=maybe',
      '/api/v1/notifications?before=xyz',
      '/api/v1/notifications?color=red',
    ];
    for (const url of bad) expect((await asCat('GET', url)).status, url).toBe(400);
    const badId = await asCat('POST', '/api/v1/notifications/xyz/read');
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].path).toBe('id');
  });
});
