import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('projects on %s', (dialect) => {
  const s = serverFor(dialect);

  test('a project counts its tasks and those done; deleting it leaves the tasks, unlinked', async () => {
    const deal = (await s!.call('POST', '/api/v1/deals', { name: `Install ${Math.random()}` }))
      .body;
    const project = await s!.call('POST', '/api/v1/projects', {
      name: 'Installation at the customer',
      deal_id: deal.id,
      due_date: '2026-04-30',
    });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({ status: 'active', tasks_count: 0, done_tasks_count: 0 });
    const task = async (title: string) =>
      (await s!.call('POST', '/api/v1/tasks', { title, project_id: project.body.id })).body;
    const [a, b] = [await task('Deliver'), await task('Mount')];
    expect(a.project_id).toBe(project.body.id);
    await s!.call('PATCH', `/api/v1/tasks/${a.id}`, { status: 'done' });
    const counted = (await s!.call('GET', `/api/v1/projects/${project.body.id}`)).body;
    expect(counted).toMatchObject({ tasks_count: 2, done_tasks_count: 1 });
    // The deal lists its projects; a project lists its tasks.
    const onDeal = await s!.call('GET', `/api/v1/projects?filter[deal_id]=${deal.id}`);
    expect(onDeal.body.data.map((p: { id: string }) => p.id)).toEqual([project.body.id]);
    const tasks = await s!.call('GET', `/api/v1/tasks?filter[project_id]=${project.body.id}`);
    expect(tasks.body.data).toHaveLength(2);

    expect((await s!.call('DELETE', `/api/v1/projects/${project.body.id}`)).status).toBe(200);
    expect((await s!.call('GET', `/api/v1/tasks/${b.id}`)).body.project_id).toBeNull();
  });

  test('a project needs a name and a known status; a task a real project', async () => {
    const noName = await s!.call('POST', '/api/v1/projects', { description: 'x' });
    expect(noName.status).toBe(400);
    expect(noName.body.errors[0].path).toBe('name');
    const badStatus = await s!.call('POST', '/api/v1/projects', { name: 'P', status: 'sleeping' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors[0].path).toBe('status');
    const badLink = await s!.call('POST', '/api/v1/tasks', {
      title: 'T',
      project_id: '01a24354-8203-762b-8584-c804eba3dfa6',
    });
    expect(badLink.status).toBe(400);
    expect(badLink.body.errors[0].path).toBe('project_id');
  });
});
