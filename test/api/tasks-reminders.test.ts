import { describe, expect, test } from 'vitest';
import { callAs, DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('task due times and reminders on %s', (dialect) => {
  const s = serverFor(dialect);
  let n = 0;

  const userIn = async (zone: string) => {
    const email = `tz${n++}@example.com`;
    const u = await s.keyFor({
      email,
      name: `In ${zone}`,
      role: 'Sales manager',
    });
    const res = await s.call('PATCH', `/api/v1/users/${u.id}`, { time_zone: zone });
    expect(res.status).toBe(200);
    return { ...u, email };
  };
  const task = async (body: Record<string, unknown>) => {
    const res = await s.call('POST', '/api/v1/tasks', { title: 'Call back', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; [k: string]: unknown };
  };
  const mails = async (taskId: string) =>
    (await s.kontor.database.db
      .selectFrom('mail_log')
      .select(['to_address', 'subject', 'text_body'])
      .where('related_id', '=', taskId)
      .execute()) as { to_address: string; subject: string; text_body: string }[];
  const reminders = async (key: string, taskId: string) =>
    (await callAs(s, key)('GET', '/api/v1/notifications')).body.data.filter(
      (x: { kind: string; record_id: string }) => x.kind === 'reminder' && x.record_id === taskId,
    );

  test('a due date falls due at the end of the day, or its hour, on the assignee’s clock across DST', async () => {
    const berlin = await userIn('Europe/Berlin');
    const la = await userIn('America/Los_Angeles');
    // Spring forward in Berlin: 23:59 summer time on 29 March; a day before is 23:59 winter time.
    const spring = await task({
      assignee_id: berlin.id,
      due_date: '2026-03-29',
      remind_before: 1,
      remind_unit: 'days',
    });
    expect(spring).toMatchObject({
      due_effective_at: '2026-03-29T21:59:00.000Z',
      remind_at: '2026-03-28T22:59:00.000Z',
    });
    // 30 minutes before 03:15 summer time is 01:45 winter time: elapsed minutes, not wall clock.
    const minutes = await task({
      assignee_id: berlin.id,
      due_at: '2026-03-29T01:15:00Z',
      remind_before: 30,
    });
    expect(minutes.remind_at).toBe('2026-03-29T00:45:00.000Z');
    // Fall back: 09:00 winter time on 25 October, a day before is 09:00 summer time.
    const autumn = await task({
      assignee_id: berlin.id,
      due_at: '2026-10-25T08:00:00Z',
      remind_before: 1,
      remind_unit: 'days',
    });
    expect(autumn.remind_at).toBe('2026-10-24T07:00:00.000Z');
    // Los Angeles springs forward on 8 March: 09:00 PDT; a day before is 09:00 PST, 24 hours 08:00.
    const west = await task({
      assignee_id: la.id,
      due_date: '2026-03-08',
      due_hour: 9,
      remind_before: 1,
      remind_unit: 'days',
    });
    expect(west).toMatchObject({
      due_effective_at: '2026-03-08T16:00:00.000Z',
      remind_at: '2026-03-07T17:00:00.000Z',
    });
    const hours = await s.call('PATCH', `/api/v1/tasks/${west.id}`, {
      remind_before: 24,
      remind_unit: 'hours',
    });
    expect(hours.body.remind_at).toBe('2026-03-07T16:00:00.000Z');
    // Handing the task to someone in another zone moves the date's due instant with them.
    const moved = await s.call('PATCH', `/api/v1/tasks/${west.id}`, { assignee_id: berlin.id });
    expect(moved.body.due_effective_at).toBe('2026-03-08T08:00:00.000Z');
  });

  test('a reminder reaches the assignee in the app and by e-mail at its time, once', async () => {
    const u = await userIn('Europe/Kyiv');
    const t = await task({
      assignee_id: u.id,
      due_at: '2026-03-02T12:00:00Z',
      remind_before: 30,
      remind_unit: 'minutes',
    });
    await s.drain();
    expect(await reminders(u.key, t.id)).toHaveLength(0);
    s.clock.advance(90 * 60_000); // 11:30
    await s.drain();
    const got = await reminders(u.key, t.id);
    expect(got).toHaveLength(1);
    expect(got[0].title).toContain('Call back');
    const mail = await mails(t.id);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: u.email, subject: 'Reminder: Call back' });
    expect(mail[0].text_body).toContain(`/o/tasks/${t.id}`);
    s.clock.advance(60 * 60_000);
    await s.drain();
    expect(await reminders(u.key, t.id)).toHaveLength(1);
  });

  test('a changed due time moves the reminder; a done task and a reassigned one are handled', async () => {
    const a = await userIn('UTC');
    const b = await userIn('UTC');
    const now = s.clock.now().getTime();
    const at = (min: number) => new Date(now + min * 60_000).toISOString();
    const moved = await task({ assignee_id: a.id, due_at: at(60), remind_before: 10 });
    const done = await task({ assignee_id: a.id, due_at: at(60), remind_before: 10 });
    const handed = await task({ assignee_id: a.id, due_at: at(60), remind_before: 10 });
    await s.call('PATCH', `/api/v1/tasks/${moved.id}`, { due_at: at(180) });
    await s.call('PATCH', `/api/v1/tasks/${done.id}`, { status: 'done' });
    await s.call('PATCH', `/api/v1/tasks/${handed.id}`, { assignee_id: b.id });
    expect((await s.call('GET', `/api/v1/tasks/${done.id}`)).body.remind_at).toBeNull();

    s.clock.advance(55 * 60_000);
    await s.drain();
    expect(await reminders(a.key, moved.id)).toHaveLength(0);
    expect(await reminders(a.key, done.id)).toHaveLength(0);
    expect(await mails(done.id)).toHaveLength(0);
    expect(await reminders(a.key, handed.id)).toHaveLength(0);
    expect(await reminders(b.key, handed.id)).toHaveLength(1);

    s.clock.advance(120 * 60_000);
    await s.drain();
    expect(await reminders(a.key, moved.id)).toHaveLength(1);
    const queued = await s.kontor.database.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'tasks.remind')
      .where('status', '=', 'queued')
      .where('payload', 'like', `%${moved.id}%`)
      .execute();
    expect(queued).toHaveLength(0);
  });

  test('due hours, reminder offsets and units out of range are refused', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ due_hour: 24 }, 'due_hour'],
      [{ due_hour: -1 }, 'due_hour'],
      [{ remind_before: -5 }, 'remind_before'],
      [{ remind_unit: 'weeks' }, 'remind_unit'],
      [{ due_at: '2026-13-01T00:00:00Z' }, 'due_at'],
    ];
    for (const [body, path] of cases) {
      const res = await s.call('POST', '/api/v1/tasks', { title: 'Bad', ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors[0].path).toBe(path);
    }
  });
});
