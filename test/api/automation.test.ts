import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor, callAs } from '../helpers';
import { stepJob } from '../../server/src/modules/automation/runs';
import { startReceiver } from '../support/webhook-receiver';

const HOUR = 3_600_000;

describe.each(DIALECTS)('automation engine on %s', (dialect) => {
  const s = serverFor(dialect);

  async function process(body: Record<string, unknown>) {
    const res = await s.call('POST', '/api/v1/automation/processes', { enabled: true, ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; version: number; webhook_token?: string };
  }
  async function runsOf(processId: string) {
    const res = await s.call('GET', `/api/v1/automation/runs?process_id=${processId}`);
    expect(res.status).toBe(200);
    return res.body.data as {
      id: string;
      status: string;
      error: string | null;
      record_id: string;
    }[];
  }
  async function run(id: string) {
    const res = await s.call('GET', `/api/v1/automation/runs/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }
  async function tasksOf(recordId: string) {
    const res = await s.call('GET', `/api/v1/tasks?filter[related_id][eq]=${recordId}&sort=title`);
    return res.body.data as {
      id: string;
      title: string;
      status: string;
      assignee_id: string | null;
    }[];
  }
  async function stageId(name: string) {
    const res = await s.call('GET', `/api/v1/stages?filter[name][eq]=${name}`);
    return res.body.data[0].id as string;
  }

  test('a new company starts a process that creates a task from a template, and the run shows each step', async () => {
    await s.drain();
    const p = await process({
      name: 'Welcome new companies',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Retail'",
        start: 'call',
        steps: [
          {
            id: 'call',
            type: 'create_tasks',
            tasks: [
              {
                title: 'Call {{ record.name }}',
                priority: 'high',
                due_in: { amount: 2, unit: 'days' },
              },
            ],
            next: 'note',
          },
          { id: 'note', type: 'note', text: 'Welcome task set for {{ record.name }}' },
        ],
      },
    });
    const retail = (
      await s.call('POST', '/api/v1/companies', { name: 'Corner Shop', industry: 'Retail' })
    ).body;
    const other = (
      await s.call('POST', '/api/v1/companies', { name: 'Steel Works', industry: 'Industry' })
    ).body;
    await s.drain();
    const runs = await runsOf(p.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'done', record_id: retail.id });
    const tasks = await tasksOf(retail.id);
    expect(tasks.map((t) => t.title)).toEqual(['Call Corner Shop']);
    expect(await tasksOf(other.id)).toEqual([]);
    const detail = await run(runs[0]!.id);
    expect(
      detail.steps.map((x: { step_id: string; status: string }) => [x.step_id, x.status]),
    ).toEqual([
      ['call', 'done'],
      ['note', 'done'],
    ]);
    expect(detail.steps[0].output.task_ids).toEqual([tasks[0]!.id]);
    // The note landed on the company's timeline.
    const notes = await s.call('GET', `/api/v1/activities?filter[related_id][eq]=${retail.id}`);
    expect(notes.body.data[0]).toMatchObject({
      kind: 'note',
      body: 'Welcome task set for Corner Shop',
    });
  });

  test('a definition with mistakes is refused when saved, each mistake with its path and position', async () => {
    const res = await s.call('POST', '/api/v1/automation/processes', {
      name: 'Broken',
      definition: {
        trigger: { type: 'record_updated', object: 'deals' },
        condition: 'record.amout > 10',
        start: 'a',
        steps: [
          { id: 'a', type: 'if', condition: 'record.amount > ', then: 'b' },
          { id: 'b', type: 'update_record', values: { nmae: 'x' }, next: 'a' },
          { id: 'c', type: 'note', text: 'never reached' },
        ],
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'definition.condition',
        'definition.steps[0].condition',
        'definition.steps[1].values.nmae',
        'definition.steps[2]',
        'definition.steps',
      ]),
    );
    const cond = res.body.errors.find((e: { path: string }) => e.path === 'definition.condition');
    expect(cond.message).toMatch(/amout/);
    const loop = res.body.errors.find((e: { path: string }) => e.path === 'definition.steps');
    expect(loop.message).toMatch(/loop without waiting/);
    const list = await s.call('GET', '/api/v1/automation/processes');
    expect(list.body.data.map((x: { name: string }) => x.name)).not.toContain('Broken');
  });

  test('editing a process never changes a run under way: it finishes on its own version', async () => {
    const p = await process({
      name: 'Follow up later',
      definition: {
        trigger: { type: 'record_created', object: 'contacts' },
        start: 'wait',
        steps: [
          { id: 'wait', type: 'wait', for: { amount: 1, unit: 'hours' }, next: 'task' },
          { id: 'task', type: 'create_tasks', tasks: [{ title: 'Version one task' }] },
        ],
      },
    });
    const contact = (
      await s.call('POST', '/api/v1/contacts', { first_name: 'Ann', last_name: 'Vers' })
    ).body;
    await s.drain();
    expect((await runsOf(p.id))[0]!.status).toBe('waiting');
    const edited = await s.call('PUT', `/api/v1/automation/processes/${p.id}`, {
      name: 'Follow up later',
      definition: {
        trigger: { type: 'record_created', object: 'contacts' },
        start: 'wait',
        steps: [
          { id: 'wait', type: 'wait', for: { amount: 1, unit: 'hours' }, next: 'task' },
          { id: 'task', type: 'create_tasks', tasks: [{ title: 'Version two task' }] },
        ],
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    s.clock.advance(HOUR + 1000);
    await s.drain();
    expect((await tasksOf(contact.id)).map((t) => t.title)).toEqual(['Version one task']);
    const runs = await runsOf(p.id);
    expect(runs[0]).toMatchObject({ status: 'done' });
    expect((await run(runs[0]!.id)).version).toBe(1);
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a step job that runs again after a crash finds its step done and doubles nothing', async () => {
    const p = await process({
      name: 'Once only',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Once'",
        start: 't',
        steps: [{ id: 't', type: 'create_tasks', tasks: [{ title: 'Exactly once' }] }],
      },
    });
    const c = (await s.call('POST', '/api/v1/companies', { name: 'Once Co', industry: 'Once' }))
      .body;
    await s.drain();
    const [r] = await runsOf(p.id);
    const job = { id: 'x', attempts: 1, max_attempts: 5 } as never;
    // What a second worker or a retry after a crash would do: the same step job again.
    await stepJob.outside(s.kontor, { runId: r!.id, stepId: 't', visit: 1 }, job);
    await stepJob.outside(s.kontor, { runId: r!.id, stepId: 't', visit: 1 }, job);
    expect((await tasksOf(c.id)).length).toBe(1);
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a process that retriggers itself is stopped with a clear error', async () => {
    const p = await process({
      name: 'Shouting',
      definition: {
        trigger: { type: 'field_changed', object: 'companies', field: 'description' },
        start: 'u',
        steps: [
          { id: 'u', type: 'update_record', values: { description: '{{ record.description }}!' } },
        ],
      },
    });
    const c = (await s.call('POST', '/api/v1/companies', { name: 'Echo Ltd' })).body;
    await s.call('PATCH', `/api/v1/companies/${c.id}`, { description: 'hi' });
    for (let i = 0; i < 6; i++) await s.drain();
    const runs = await runsOf(p.id);
    const stopped = runs.filter((r) => r.status === 'failed');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.error).toMatch(/started by changes its own runs made 2 times/);
    expect(runs.filter((r) => r.status === 'done')).toHaveLength(2);
    expect((await s.call('GET', `/api/v1/companies/${c.id}`)).body.description).toBe('hi!!');
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a deal entering a stage starts tasks; the run waits for them all and then goes on', async () => {
    const won = await stageId('Won');
    const p = await process({
      name: 'Won deal to production',
      definition: {
        trigger: { type: 'stage_entered', object: 'deals', stage_id: won },
        start: 'make',
        steps: [
          {
            id: 'make',
            type: 'create_tasks',
            tasks: [{ title: 'Cut {{ record.name }}' }, { title: 'Weld {{ record.name }}' }],
            next: 'wait',
          },
          { id: 'wait', type: 'wait_for_tasks', step: 'make', next: 'install' },
          { id: 'install', type: 'create_tasks', tasks: [{ title: 'Install {{ record.name }}' }] },
        ],
      },
    });
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Gate' })).body;
    await s.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: won });
    await s.drain();
    const [r] = await runsOf(p.id);
    expect(r!.status).toBe('waiting');
    const tasks = await tasksOf(deal.id);
    expect(tasks.map((t) => t.title)).toEqual(['Cut Gate', 'Weld Gate']);
    await s.call('PATCH', `/api/v1/tasks/${tasks[0]!.id}`, { status: 'done' });
    await s.drain();
    expect((await runsOf(p.id))[0]!.status).toBe('waiting');
    await s.call('PATCH', `/api/v1/tasks/${tasks[1]!.id}`, { status: 'done' });
    await s.drain();
    await s.drain();
    expect((await runsOf(p.id))[0]!.status).toBe('done');
    expect((await tasksOf(deal.id)).map((t) => t.title)).toContain('Install Gate');
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a wait for a condition goes on when the record changes, or by its time-out branch', async () => {
    const p = await process({
      name: 'Wait for a website',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Web'",
        start: 'w',
        steps: [
          {
            id: 'w',
            type: 'wait',
            condition: 'not is_empty(record.website)',
            timeout: { amount: 2, unit: 'days' },
            on_timeout: 'late',
            next: 'ok',
          },
          { id: 'ok', type: 'note', text: 'Website known: {{ record.website }}' },
          { id: 'late', type: 'note', text: 'No website after two days' },
        ],
      },
    });
    const a = (await s.call('POST', '/api/v1/companies', { name: 'A Web', industry: 'Web' })).body;
    const b = (await s.call('POST', '/api/v1/companies', { name: 'B Web', industry: 'Web' })).body;
    await s.drain();
    await s.call('PATCH', `/api/v1/companies/${a.id}`, { website: 'https://a.example' });
    await s.drain();
    await s.drain();
    s.clock.advance(2 * 24 * HOUR + 1000);
    await s.drain();
    const notes = async (id: string) =>
      (await s.call('GET', `/api/v1/activities?filter[related_id][eq]=${id}`)).body.data.map(
        (n: { body: string }) => n.body,
      );
    expect(await notes(a.id)).toEqual(['Website known: https://a.example']);
    expect(await notes(b.id)).toEqual(['No website after two days']);
    expect((await runsOf(p.id)).every((r) => r.status === 'done')).toBe(true);
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('if/else and round-robin assignment', async () => {
    const users = [
      await s.keyFor({
        email: `rr1-${dialect}@example.com`,
        name: 'RR One',
        role: 'Sales representative',
      }),
      await s.keyFor({
        email: `rr2-${dialect}@example.com`,
        name: 'RR Two',
        role: 'Sales representative',
      }),
    ];
    const p = await process({
      name: 'Share leads',
      definition: {
        trigger: { type: 'record_created', object: 'leads' },
        start: 'big',
        steps: [
          {
            id: 'big',
            type: 'if',
            condition: "contains(lower(record.company_name), 'big')",
            then: 'mark',
            else: 'share',
          },
          { id: 'mark', type: 'note', text: 'Big one', next: 'share' },
          { id: 'share', type: 'assign', strategy: 'round_robin', users: users.map((u) => u.id) },
        ],
      },
    });
    const owners: string[] = [];
    for (const title of ['Big order', 'small', 'another']) {
      const lead = (
        await s.call('POST', '/api/v1/leads', { company_name: title, last_name: 'Lead' })
      ).body;
      await s.drain();
      await s.drain();
      owners.push((await s.call('GET', `/api/v1/leads/${lead.id}`)).body.owner_id);
    }
    expect(owners).toEqual([users[0]!.id, users[1]!.id, users[0]!.id]);
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('an inbound webhook starts its process with the posted body; a wrong token changes nothing', async () => {
    const p = await process({
      name: 'From the shop',
      definition: {
        trigger: { type: 'webhook' },
        start: 'c',
        steps: [
          {
            id: 'c',
            type: 'create_record',
            object: 'companies',
            values: { name: '{{ trigger.data.body.shop }}' },
          },
        ],
      },
    });
    expect(p.webhook_token).toBeTruthy();
    const bad = await s.app.inject({
      method: 'POST',
      url: `/api/v1/automation/hooks/${p.id}?token=wrong`,
      payload: { shop: 'Nope' },
    });
    expect(bad.statusCode).toBe(401);
    const ok = await s.app.inject({
      method: 'POST',
      url: `/api/v1/automation/hooks/${p.id}`,
      headers: { 'x-kontor-token': p.webhook_token! },
      payload: { shop: 'Hook Shop' },
    });
    expect(ok.statusCode).toBe(202);
    await s.drain();
    await s.drain();
    const found = await s.call('GET', '/api/v1/companies?filter[name][eq]=Hook%20Shop');
    expect(found.body.data).toHaveLength(1);
    expect((await s.call('GET', '/api/v1/companies?filter[name][eq]=Nope')).body.data).toHaveLength(
      0,
    );
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a step that cannot succeed parks the run as failed with the reason, and a retry runs it again', async () => {
    const p = await process({
      name: 'Bad value',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Fail'",
        start: 'u',
        steps: [
          { id: 'u', type: 'update_record', values: { email: 'not an e-mail {{ record.name }}' } },
        ],
      },
    });
    await s.call('POST', '/api/v1/companies', { name: 'Failing', industry: 'Fail' });
    await s.drain();
    const [r] = await runsOf(p.id);
    expect(r!.status).toBe('failed');
    expect(r!.error).toMatch(/Step "u" failed/);
    const detail = await run(r!.id);
    expect(detail.steps[0]).toMatchObject({ step_id: 'u', status: 'failed' });
    const retried = await s.call('POST', `/api/v1/automation/runs/${r!.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('running');
    await s.drain();
    expect((await runsOf(p.id))[0]!.status).toBe('failed');
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a schedule runs its process on its rhythm; disabling ends it', async () => {
    const p = await process({
      name: 'Hourly',
      definition: {
        trigger: { type: 'schedule', every: { amount: 1, unit: 'hours' } },
        start: 'c',
        steps: [
          {
            id: 'c',
            type: 'create_record',
            object: 'companies',
            values: { name: 'Tick {{ now }}' },
          },
        ],
      },
    });
    await s.drain();
    s.clock.advance(HOUR);
    await s.drain();
    s.clock.advance(HOUR);
    await s.drain();
    expect((await runsOf(p.id)).length).toBe(3);
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
    s.clock.advance(HOUR);
    await s.drain();
    expect((await runsOf(p.id)).length).toBe(3);
  });

  test('a date trigger fires before the date and not for a date moved away', async () => {
    const p = await process({
      name: 'Before close',
      definition: {
        trigger: {
          type: 'date_reached',
          object: 'deals',
          field: 'expected_close_date',
          offset: { amount: 1, unit: 'days', direction: 'before' },
        },
        start: 'n',
        steps: [{ id: 'n', type: 'note', text: 'Closing tomorrow' }],
      },
    });
    const day = (offset: number) =>
      new Date(s.clock.now().getTime() + offset * 24 * HOUR).toISOString().slice(0, 10);
    const stays = (
      await s.call('POST', '/api/v1/deals', { name: 'Stays', expected_close_date: day(3) })
    ).body;
    const moved = (
      await s.call('POST', '/api/v1/deals', { name: 'Moved', expected_close_date: day(3) })
    ).body;
    await s.drain();
    await s.call('PATCH', `/api/v1/deals/${moved.id}`, { expected_close_date: day(30) });
    await s.drain();
    s.clock.advance(3 * 24 * HOUR);
    await s.drain();
    const runs = await runsOf(p.id);
    expect(runs.map((r) => r.record_id)).toEqual([stays.id]);
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('only administrators manage processes; others read the runs of records they can read', async () => {
    const sales = await s.keyFor({
      email: `auto-sales-${dialect}@example.com`,
      name: 'Auto Sales',
      role: 'Sales representative',
    });
    const as = callAs(s, sales.key);
    expect((await as('GET', '/api/v1/automation/processes')).status).toBe(403);
    expect((await as('POST', '/api/v1/automation/validate', { definition: {} })).status).toBe(403);
    expect((await as('GET', '/api/v1/automation/runs')).status).toBe(403);
    const p = await process({
      name: 'Seen by teams',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Seen'",
        start: 'n',
        steps: [{ id: 'n', type: 'note', text: 'noted' }],
      },
    });
    const own = (await as('POST', '/api/v1/companies', { name: 'Rep Co', industry: 'Seen' })).body;
    await s.drain();
    const mine = await as('GET', `/api/v1/automation/runs?object=companies&record_id=${own.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toHaveLength(1);
    const detail = await as('GET', `/api/v1/automation/runs/${mine.body.data[0].id}`);
    expect(detail.status).toBe(200);
    // The course of the run, not what it carried (fields the reader's role may hide).
    expect(detail.body.data).toBeUndefined();
    expect(detail.body.definition).toBeUndefined();
    expect(detail.body.steps[0]).toMatchObject({ step_id: 'n', status: 'done', output: null });
    expect((await as('POST', `/api/v1/automation/runs/${mine.body.data[0].id}/stop`)).status).toBe(
      403,
    );
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('a webhook step calls its target outside the transaction and goes on with the answer', async () => {
    const receiver = await startReceiver();
    try {
      s.kontor.settings.allowPrivateTargets = true;
      const p = await process({
        name: 'Tell the shop',
        definition: {
          trigger: { type: 'record_created', object: 'companies' },
          condition: "record.industry == 'Hooked'",
          start: 'call',
          steps: [
            {
              id: 'call',
              type: 'call_webhook',
              url: `${receiver.url}/new-company`,
              body: '{"name": "{{ record.name }}"}',
              next: 'n',
            },
            { id: 'n', type: 'note', text: 'The shop answered {{ steps.call.status_code }}' },
          ],
        },
      });
      const ok = (
        await s.call('POST', '/api/v1/companies', { name: 'Hook AG', industry: 'Hooked' })
      ).body;
      for (let i = 0; i < 4; i++) await s.drain();
      expect(receiver.received.map((r) => [r.path, r.body])).toEqual([
        ['/new-company', '{"name": "Hook AG"}'],
      ]);
      expect(receiver.received[0]!.headers['idempotency-key']).toMatch(/:call:1$/);
      const notes = await s.call('GET', `/api/v1/activities?filter[related_id][eq]=${ok.id}`);
      expect(notes.body.data.map((n: { body: string }) => n.body)).toEqual([
        'The shop answered 200',
      ]);

      // A target that refuses fails the step with its answer; a retry calls again.
      receiver.state.answers.push(500);
      await s.call('POST', '/api/v1/companies', { name: 'Refused AG', industry: 'Hooked' });
      for (let i = 0; i < 4; i++) await s.drain();
      const failed = (await runsOf(p.id)).find((r) => r.status === 'failed')!;
      expect(failed.error).toMatch(/answered 500/);
      await s.call('POST', `/api/v1/automation/runs/${failed.id}/retry`);
      for (let i = 0; i < 4; i++) await s.drain();
      expect((await runsOf(p.id)).every((r) => r.status === 'done')).toBe(true);

      // Private and loopback targets are refused unless the administrator allows them.
      s.kontor.settings.allowPrivateTargets = false;
      const before = receiver.received.length;
      await s.call('POST', '/api/v1/companies', { name: 'Inside AG', industry: 'Hooked' });
      for (let i = 0; i < 4; i++) await s.drain();
      expect(receiver.received.length).toBe(before);
      expect((await runsOf(p.id)).find((r) => r.status === 'failed')!.error).toMatch(
        /answered nothing \(.*(private|loopback)/,
      );
      await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
    } finally {
      s.kontor.settings.allowPrivateTargets = false;
      await receiver.close();
    }
  });

  test('a condition that cannot be worked out fails its run and holds up nothing else', async () => {
    const bad = await process({
      name: 'Numbers from names',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Numbers' and number(record.name) > 1",
        start: 'n',
        steps: [{ id: 'n', type: 'note', text: 'big' }],
      },
    });
    const good = await process({
      name: 'Still working',
      definition: {
        trigger: { type: 'record_created', object: 'companies' },
        condition: "record.industry == 'Numbers'",
        start: 'n',
        steps: [{ id: 'n', type: 'note', text: 'noted' }],
      },
    });
    await s.call('POST', '/api/v1/companies', { name: 'Not a number', industry: 'Numbers' });
    await s.drain();
    await s.drain();
    const [failed] = await runsOf(bad.id);
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.error).toMatch(/condition could not be evaluated: .*not a number/);
    expect((await runsOf(good.id))[0]).toMatchObject({ status: 'done' });
    const pending = await s.kontor.database.db
      .selectFrom('outbox_events')
      .select('id')
      .where('processed_at', 'is', null)
      .execute();
    expect(pending).toEqual([]);
    for (const p of [bad, good])
      await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });

  test('an inbound webhook with a repeated token is refused, not a server error', async () => {
    const p = await process({
      name: 'Twice the token',
      definition: {
        trigger: { type: 'webhook' },
        start: 'c',
        steps: [{ id: 'c', type: 'create_record', object: 'companies', values: { name: 'x' } }],
      },
    });
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/v1/automation/hooks/${p.id}?token=a&token=b`,
      payload: {},
    });
    expect(res.statusCode).toBe(401);
    const nul = await s.call('POST', '/api/v1/automation/processes', {
      name: 'nul\u0000name',
      definition: {
        trigger: { type: 'webhook' },
        start: 'c',
        steps: [{ id: 'c', type: 'create_record', object: 'companies', values: { name: 'x' } }],
      },
    });
    expect(nul.status).toBe(400);
    expect(nul.body.errors[0].path).toBe('name');
    await s.call('POST', `/api/v1/automation/processes/${p.id}/disable`);
  });
});
