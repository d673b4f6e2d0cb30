import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('task templates on %s', (dialect) => {
  const s = serverFor(dialect);

  const post = async (url: string, body: unknown) => {
    const res = await s.call('POST', url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; [k: string]: unknown };
  };

  test('applying a template creates its tasks on the record, due at their offsets, waiting for one another', async () => {
    const fitter = await s.keyFor({
      email: 'fit@example.com',
      name: 'Fitter',
      role: 'Sales manager',
    });
    await s.call('PATCH', `/api/v1/users/${fitter.id}`, { time_zone: 'Europe/Berlin' });
    const queues = (await s.call('GET', '/api/v1/queues?filter[name]=Production')).body.data;
    const deal = await post('/api/v1/deals', { name: 'Gate for the school' });
    const tpl = await post('/api/v1/task_templates', { name: 'Gate', applies_to: 'deals' });
    const measure = await post('/api/v1/task_template_items', {
      template_id: tpl.id,
      title: 'Measure',
      offset_days: 1,
      assignee_id: fitter.id,
      position: 0,
    });
    await post('/api/v1/task_template_items', {
      template_id: tpl.id,
      title: 'Build',
      offset_days: 2,
      offset_hours: 3,
      queue_id: queues[0].id,
      priority: 'high',
      position: 1,
      depends_on_item_id: measure.id,
    });
    await post('/api/v1/task_template_items', { template_id: tpl.id, title: 'Call', position: 2 });

    const applied = await s.call('POST', `/api/v1/task_templates/${tpl.id}/apply`, {
      object: 'deals',
      id: deal.id,
      start_at: '2026-03-28T09:00:00Z',
    });
    expect(applied.status).toBe(201);
    const [m, b, c] = applied.body.data;
    // 10:00 in Berlin on the 28th (winter time); a day later 10:00 summer time is 08:00 UTC.
    expect(m).toMatchObject({
      title: 'Measure',
      assignee_id: fitter.id,
      status: 'open',
      due_at: '2026-03-29T08:00:00.000Z',
      related_object: 'deals',
      related_id: deal.id,
    });
    expect(b).toMatchObject({
      title: 'Build',
      queue_id: queues[0].id,
      priority: 'high',
      status: 'waiting',
      due_at: '2026-03-30T12:00:00.000Z',
    });
    expect(c).toMatchObject({ title: 'Call', due_at: null, status: 'open' });
    const deps = await s.call('GET', `/api/v1/task_dependencies?filter[task_id]=${b.id}`);
    expect(deps.body.data.map((d: { depends_on_id: string }) => d.depends_on_id)).toEqual([m.id]);

    await s.call('PATCH', `/api/v1/tasks/${m.id}`, { status: 'done' });
    expect((await s.call('GET', `/api/v1/tasks/${b.id}`)).body.status).toBe('open');
    const onDeal = await s.call('GET', `/api/v1/tasks?filter[related_id]=${deal.id}`);
    expect(onDeal.body.data).toHaveLength(3);
  });

  test('applying refuses a wrong object, an unknown record, an empty template and bad times, creating nothing', async () => {
    const deal = await post('/api/v1/deals', { name: 'Fence' });
    const company = await post('/api/v1/companies', { name: `Acme ${Math.random()}` });
    const tpl = await post('/api/v1/task_templates', { name: 'Fence', applies_to: 'deals' });
    const empty = await post('/api/v1/task_templates', { name: 'Nothing' });
    await post('/api/v1/task_template_items', { template_id: tpl.id, title: 'Dig' });
    const before = (await s.call('GET', '/api/v1/tasks?limit=500')).body.data.length;
    const apply = (id: string, body: unknown) =>
      s.call('POST', `/api/v1/task_templates/${id}/apply`, body);

    const cases: [string, unknown, string][] = [
      [tpl.id, { object: 'companies', id: company.id }, 'object'],
      [tpl.id, { object: 'nothing', id: deal.id }, 'object'],
      [tpl.id, { object: 'deals', id: 'abc' }, 'id'],
      [tpl.id, { object: 'deals', id: '01a24354-8203-762b-8584-c804eba3dfa6' }, 'id'],
      [tpl.id, { object: 'deals', id: deal.id, start_at: 'tomorrow' }, 'start_at'],
      [tpl.id, { object: 'deals' }, 'id'],
      [tpl.id, { object: 'deals', id: deal.id, extra: 1 }, 'body'],
      [empty.id, { object: 'deals', id: deal.id }, 'id'],
    ];
    for (const [id, body, path] of cases) {
      const res = await apply(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors[0].path, JSON.stringify(body)).toBe(path);
    }
    const unknown = await apply('01a24354-8203-762b-8584-c804eba3dfa6', {
      object: 'deals',
      id: deal.id,
    });
    expect(unknown.status).toBe(404);
    expect((await s.call('GET', '/api/v1/tasks?limit=500')).body.data).toHaveLength(before);
  });

  test('a template task waits only for a task of its own template, never in a circle', async () => {
    const one = await post('/api/v1/task_templates', { name: 'One' });
    const two = await post('/api/v1/task_templates', { name: 'Two' });
    const bad = await s.call('POST', '/api/v1/task_templates', { name: 'X', applies_to: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('applies_to');
    const a = await post('/api/v1/task_template_items', { template_id: one.id, title: 'A' });
    const b = await post('/api/v1/task_template_items', {
      template_id: one.id,
      title: 'B',
      depends_on_item_id: a.id,
    });
    const other = await s.call('POST', '/api/v1/task_template_items', {
      template_id: two.id,
      title: 'C',
      depends_on_item_id: a.id,
    });
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ path: 'depends_on_item_id' });
    const circle = await s.call('PATCH', `/api/v1/task_template_items/${a.id}`, {
      depends_on_item_id: b.id,
    });
    expect(circle.status).toBe(400);
    expect(circle.body.errors[0].message).toContain('cycle');
    const self = await s.call('PATCH', `/api/v1/task_template_items/${a.id}`, {
      depends_on_item_id: a.id,
    });
    expect(self.status).toBe(400);
    const orphan = await s.call('POST', '/api/v1/task_template_items', { title: 'D' });
    expect(orphan.status).toBe(400);
    expect(orphan.body.errors[0].path).toBe('template_id');
  });
});
