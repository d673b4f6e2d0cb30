import { afterEach, describe, expect, test } from 'vitest';
import { callAs, DIALECTS, serverFor } from '../helpers';

const MINUTE = 60_000;

describe.each(DIALECTS)('SLA timers on %s', (dialect) => {
  const s = serverFor(dialect);

  const officeHours = async (): Promise<string> => {
    const res = await s.call('GET', '/api/v1/calendars?filter[name][eq]=Office%20hours');
    expect(res.status).toBe(200);
    return res.body.data[0].id as string;
  };

  const policy = async (over: Record<string, unknown> = {}) => {
    const res = await s.call('POST', '/api/v1/sla_policies', {
      name: 'First response',
      object: 'leads',
      start_field: 'status',
      start_value: 'new',
      stop_kind: 'field_changes',
      stop_field: 'status',
      target_minutes: 15,
      calendar_id: await officeHours(),
      notify_owner: true,
      ...over,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  const lead = async (name: string) => {
    const res = await s.call('POST', '/api/v1/leads', { first_name: name, last_name: 'Lead' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const timers = async (id: string) => {
    const res = await s.call('GET', `/api/v1/sla/timers?object=leads&record_id=${id}`);
    expect(res.status).toBe(200);
    return res.body.data as Record<string, any>[];
  };

  const eventsFor = (id: string, type: string) =>
    s.kontor.database.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('record_id', '=', id)
      .where('type', '=', type)
      .execute();

  const mailsFor = (id: string) =>
    s.kontor.database.db
      .selectFrom('mail_log')
      .selectAll()
      .where('related_id', '=', id)
      .orderBy('created_at')
      .execute();

  // Each test times leads with its own policies; none may start timers in the next test.
  afterEach(async () => {
    const res = await s.call('GET', '/api/v1/sla_policies?filter[enabled][eq]=true&limit=100');
    for (const p of res.body?.data ?? [])
      await s.call('PATCH', `/api/v1/sla_policies/${p.id}`, { enabled: false });
  });

  test('a new lead created Friday 16:50 must get a first response by Monday 09:05', async () => {
    await policy();
    s.clock.set(new Date('2026-03-06T16:50:00Z')); // a Friday
    const id = await lead('Friday');
    await s.drain();

    let [t] = await timers(id);
    expect(t).toMatchObject({
      status: 'running',
      policy_name: 'First response',
      started_at: '2026-03-06T16:50:00.000Z',
      due_at: '2026-03-09T09:05:00.000Z',
      working_minutes_left: 15,
    });

    // The weekend does not count: on Monday at 09:00 five minutes are left.
    s.clock.set(new Date('2026-03-09T09:00:00Z'));
    await s.drain();
    [t] = await timers(id);
    expect(t).toMatchObject({ status: 'running', working_minutes_left: 5 });

    expect((await s.call('PATCH', `/api/v1/leads/${id}`, { status: 'contacted' })).status).toBe(
      200,
    );
    await s.drain();
    [t] = await timers(id);
    expect(t).toMatchObject({
      status: 'fulfilled',
      stopped_at: '2026-03-09T09:00:00.000Z',
      working_minutes: 10,
      late: false,
    });
    const fulfilled = await eventsFor(id, 'sla_timers.fulfilled');
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]!.object).toBe('leads');

    // Past the due time the breach job finds the timer stopped and does nothing.
    s.clock.set(new Date('2026-03-09T10:00:00Z'));
    await s.drain();
    expect((await timers(id))[0]!.status).toBe('fulfilled');
    expect(await eventsFor(id, 'sla_timers.breached')).toHaveLength(0);
    expect(await mailsFor(id)).toHaveLength(0);
  });

  test('a breach marks the timer, e-mails the owner, reassigns the lead and emits an event', async () => {
    const agent = await s.keyFor({
      email: 'escalation@example.com',
      name: 'Escalation Desk',
      role: 'Sales manager',
    });
    const policyId = await policy({ name: 'Escalating response', reassign_to: agent.id });
    s.clock.set(new Date('2026-03-10T10:00:00Z')); // a Tuesday
    const id = await lead('Breach');
    await s.drain();
    expect((await timers(id))[0]!.due_at).toBe('2026-03-10T10:15:00.000Z');

    s.clock.advance(14 * MINUTE);
    await s.drain();
    expect((await timers(id))[0]!.status).toBe('running');

    s.clock.advance(2 * MINUTE);
    await s.drain();
    const [t] = await timers(id);
    expect(t).toMatchObject({
      status: 'breached',
      breached_at: '2026-03-10T10:16:00.000Z',
      working_minutes_left: -1,
    });

    const [breached] = await eventsFor(id, 'sla_timers.breached');
    expect(breached).toBeDefined();
    expect(breached!.object).toBe('leads');
    const payload =
      typeof breached!.payload === 'string' ? JSON.parse(breached!.payload) : breached!.payload;
    expect(payload).toEqual({
      changes: {},
      data: { policy_id: policyId, timer_id: t!.id, due_at: '2026-03-10T10:15:00.000Z' },
    });

    const mails = await mailsFor(id);
    expect(mails.map((m) => m.to_address).sort()).toEqual([
      'admin@example.com',
      'escalation@example.com',
    ]);
    const ownerMail = mails.find((m) => m.to_address === 'admin@example.com')!;
    expect(ownerMail.subject).toBe('SLA breached: Escalating response: Breach Lead');
    expect(ownerMail.text_body).toContain('reassigned to Escalation Desk');
    expect(ownerMail.text_body).toContain(`/o/leads/${id}`);

    const after = await s.call('GET', `/api/v1/leads/${id}`);
    expect(after.body.owner_id).toBe(agent.id);

    // A response after the breach fulfils the timer, late.
    s.clock.advance(30 * MINUTE);
    await s.call('PATCH', `/api/v1/leads/${id}`, { status: 'contacted' });
    await s.drain();
    expect((await timers(id))[0]).toMatchObject({
      status: 'fulfilled',
      late: true,
      working_minutes: 46,
      breached_at: '2026-03-10T10:16:00.000Z',
    });

    const report = await s.call('GET', `/api/v1/sla/report?policy_id=${policyId}`);
    expect(report.status).toBe(200);
    expect(report.body.data[0]).toMatchObject({
      started: 1,
      fulfilled: 0,
      fulfilled_late: 1,
      breached: 0,
      running: 0,
      median_minutes: 46,
      p95_minutes: 46,
    });
  });

  test('a disabled policy starts nothing', async () => {
    await policy({ name: 'Switched off', enabled: false });
    s.clock.set(new Date('2026-03-11T10:00:00Z'));
    const id = await lead('Disabled');
    await s.drain();
    expect(await timers(id)).toEqual([]);
  });

  test('a holiday in the calendar is skipped', async () => {
    const cal = await s.call('POST', '/api/v1/calendars', {
      name: 'Berlin office',
      time_zone: 'Europe/Berlin',
      working_hours: 'mon-fri 09:00-17:00',
    });
    expect(cal.status).toBe(201);
    const holiday = await s.call('POST', '/api/v1/calendar_holidays', {
      calendar_id: cal.body.id,
      date: '2026-04-06',
      name: 'Easter Monday',
    });
    expect(holiday.status).toBe(201);
    await policy({ name: 'Berlin response', calendar_id: cal.body.id });

    s.clock.set(new Date('2026-04-03T14:50:00Z')); // Friday 16:50 CEST
    const id = await lead('Easter');
    await s.drain();
    // Ten minutes on Friday, none on Easter Monday, five on Tuesday from 09:00 CEST (07:00Z).
    expect((await timers(id))[0]!.due_at).toBe('2026-04-07T07:05:00.000Z');
  });

  test('a holiday added while a timer runs moves its due time; the old breach job does nothing', async () => {
    const cal = await s.call('POST', '/api/v1/calendars', {
      name: 'Rescheduled office',
      time_zone: 'UTC',
      working_hours: 'mon-fri 09:00-17:00',
    });
    await policy({ name: 'Moving response', calendar_id: cal.body.id });
    s.clock.set(new Date('2026-04-17T16:50:00Z')); // a Friday
    const id = await lead('Moved');
    await s.drain();
    expect((await timers(id))[0]!.due_at).toBe('2026-04-20T09:05:00.000Z');

    const holiday = await s.call('POST', '/api/v1/calendar_holidays', {
      calendar_id: cal.body.id,
      date: '2026-04-20',
      name: 'Office closed',
    });
    expect(holiday.status).toBe(201);
    await s.drain();
    expect((await timers(id))[0]!.due_at).toBe('2026-04-21T09:05:00.000Z');

    s.clock.set(new Date('2026-04-20T12:00:00Z'));
    await s.drain();
    expect((await timers(id))[0]).toMatchObject({ status: 'running', working_minutes_left: 5 });

    // A later opening moves it again.
    await s.call('PATCH', `/api/v1/calendars/${cal.body.id}`, {
      working_hours: 'mon-fri 10:00-17:00',
    });
    await s.drain();
    expect((await timers(id))[0]!.due_at).toBe('2026-04-21T10:05:00.000Z');

    s.clock.set(new Date('2026-04-21T10:06:00Z'));
    await s.drain();
    expect((await timers(id))[0]!.status).toBe('breached');
    expect(await eventsFor(id, 'sla_timers.breached')).toHaveLength(1);
  });

  test('the timer stops when an activity is recorded on the lead', async () => {
    await policy({ name: 'Any reply', stop_kind: 'activity_created', stop_field: null });
    s.clock.set(new Date('2026-04-08T11:00:00Z'));
    const id = await lead('Activity');
    await s.drain();
    s.clock.advance(5 * MINUTE);
    const act = await s.call('POST', '/api/v1/activities', {
      kind: 'call',
      subject: 'Called back',
      related_object: 'leads',
      related_id: id,
    });
    expect(act.status).toBe(201);
    await s.drain();
    expect((await timers(id))[0]).toMatchObject({ status: 'fulfilled', working_minutes: 5 });
  });

  test('a timer starts when a record changes to the start value, not only on creation', async () => {
    await policy({
      name: 'Qualified follow-up',
      start_value: 'qualified',
      stop_kind: 'field_becomes',
      stop_value: 'converted',
      target_minutes: 480,
    });
    s.clock.set(new Date('2026-04-09T09:00:00Z'));
    const id = await lead('Later');
    await s.drain();
    expect(await timers(id)).toEqual([]);
    await s.call('PATCH', `/api/v1/leads/${id}`, { status: 'qualified' });
    await s.drain();
    expect((await timers(id))[0]).toMatchObject({
      status: 'running',
      due_at: '2026-04-09T17:00:00.000Z', // a whole working day: 09:00 to 17:00
    });
    // Another change that is not to the stop value leaves it running.
    await s.call('PATCH', `/api/v1/leads/${id}`, { status: 'contacted' });
    await s.drain();
    expect((await timers(id))[0]!.status).toBe('running');
  });

  test('deleting the timed record cancels its timer, and the breach job leaves it so', async () => {
    await policy({ name: 'Cancelled response' });
    s.clock.set(new Date('2026-04-13T10:00:00Z'));
    const id = await lead('Deleted');
    await s.drain();
    expect((await s.call('DELETE', `/api/v1/leads/${id}`)).status).toBeLessThan(300);
    await s.drain();
    s.clock.advance(60 * MINUTE);
    await s.drain();
    expect((await timers(id))[0]!.status).toBe('cancelled');
    expect(await eventsFor(id, 'sla_timers.breached')).toHaveLength(0);
  });

  test('bad calendar input is refused with the path of the problem, nothing written', async () => {
    const zone = await s.call('POST', '/api/v1/calendars', {
      name: 'Nowhere',
      time_zone: 'Mars/Olympus_Mons',
      working_hours: 'mon-fri 9-17',
    });
    expect(zone.status).toBe(400);
    expect(zone.headers['content-type']).toContain('application/problem+json');
    const paths = (zone.body.errors as { path: string; message: string }[]).map((e) => e.path);
    expect(paths).toEqual(['time_zone', 'working_hours']);
    expect(zone.body.errors[1].message).toContain('"9-17"');

    const overlap = await s.call('PATCH', `/api/v1/calendars/${await officeHours()}`, {
      working_hours: 'mon-fri 09:00-17:00; mon 12:00-13:00',
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.errors[0]).toMatchObject({ path: 'working_hours' });
    expect(overlap.body.errors[0].message).toContain('overlap');
    const still = await s.call('GET', `/api/v1/calendars/${await officeHours()}`);
    expect(still.body.working_hours).toBe('mon-fri 09:00-17:00');
  });

  test('a Ukrainian reader gets the calendar problems in Ukrainian', async () => {
    await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'uk' });
    try {
      const res = await s.call('POST', '/api/v1/calendars', {
        name: 'Kyiv office',
        time_zone: 'Europe/Kiev-on-Mars',
        working_hours: 'пн-пт 09:00-18:00',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toContain('не часовий пояс IANA');
      expect(res.body.errors[1].message).toMatch(
        /^запис 1 \("пн-пт 09:00-18:00"\): має починатися/,
      );
    } finally {
      await s.call('PATCH', `/api/v1/users/${s.adminId}`, { locale: 'en' });
    }
  });

  test('bad policy input is refused with the path of the problem', async () => {
    const calendar_id = await officeHours();
    const base = { name: 'Bad', target_minutes: 15, calendar_id, stop_kind: 'field_changes' };
    const noObject = await s.call('POST', '/api/v1/sla_policies', {
      ...base,
      object: 'spaceships',
      stop_field: 'status',
    });
    expect(noObject.status).toBe(400);
    expect(noObject.body.errors[0].path).toBe('object');

    const noField = await s.call('POST', '/api/v1/sla_policies', {
      ...base,
      object: 'leads',
      stop_field: 'colour',
    });
    expect(noField.status).toBe(400);
    expect(noField.body.errors).toEqual([
      { path: 'stop_field', message: 'leads have no field "colour"' },
    ]);

    const missing = await s.call('POST', '/api/v1/sla_policies', {
      ...base,
      object: 'leads',
      stop_kind: 'field_becomes',
      stop_field: 'status',
      target_minutes: 0,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'stop_value',
      'target_minutes',
    ]);

    const badDates = await s.call('GET', '/api/v1/sla/report?from=yesterday');
    expect(badDates.status).toBe(400);
    expect(badDates.body.errors[0].path).toBe('from');
  });

  test('the OpenAPI document lists the SLA endpoints', async () => {
    const doc = await s.call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/api/v1/sla/report'].get.operationId).toBe('slaReport');
    expect(doc.body.paths['/api/v1/sla/timers'].get.operationId).toBe('recordSlaTimers');
    expect(doc.body.paths['/api/v1/sla_policies']).toBeDefined();
  });

  test('report and timers count only records the reader may read', async () => {
    const policyId = await policy({ name: 'Scoped response' });
    s.clock.set(new Date('2026-04-14T10:00:00Z'));
    const rep = await s.keyFor({
      email: 'sla-rep@example.com',
      name: 'Sla Rep',
      role: 'Sales representative',
    });
    const asRep = callAs(s, rep.key);
    const adminLead = await lead('Admins');
    const repLead = await asRep('POST', '/api/v1/leads', { first_name: 'Reps', last_name: 'Lead' });
    expect(repLead.status).toBe(201);
    await s.drain();

    const all = await s.call('GET', `/api/v1/sla/report?policy_id=${policyId}&from=2026-04-14`);
    expect(all.body.data[0]).toMatchObject({ started: 2, running: 2 });
    const mine = await asRep('GET', `/api/v1/sla/report?policy_id=${policyId}`);
    expect(mine.status).toBe(200);
    expect(mine.body.data[0]).toMatchObject({ started: 1, running: 1 });

    expect(
      (await asRep('GET', `/api/v1/sla/timers?object=leads&record_id=${adminLead}`)).status,
    ).toBe(404);
    const own = await asRep('GET', `/api/v1/sla/timers?object=leads&record_id=${repLead.body.id}`);
    expect(own.body.data).toHaveLength(1);

    const none = await s.call(
      'GET',
      `/api/v1/sla/report?policy_id=${policyId}&from=2026-04-15&to=2026-04-16`,
    );
    expect(none.body.data[0]).toMatchObject({ started: 0, median_minutes: null });
  });
});
