import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';
import { dispatchEvents, type DomainEvent } from '../../server/src/core/events/outbox';

describe.each(DIALECTS)('domain events on %s', (dialect) => {
  const s = serverFor(dialect);

  test('hands each committed change to consumers once, oldest first, with its changes', async () => {
    await dispatchEvents(s.kontor, []); // what booting and seeding wrote
    const created = await s.call('POST', '/api/v1/companies', { name: 'Events GmbH' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await s.call('PATCH', `/api/v1/companies/${id}`, { name: 'Events AG' })).status).toBe(
      200,
    );

    const seen: DomainEvent[] = [];
    const n = await dispatchEvents(s.kontor, [async (_ctx, events) => void seen.push(...events)]);
    expect(n).toBe(2);
    expect(seen.map((e) => e.type)).toEqual(['companies.created', 'companies.updated']);
    expect(seen[1]).toMatchObject({ object: 'companies', recordId: id });
    expect(seen[1]!.changes.name).toEqual(['Events GmbH', 'Events AG']);
    expect(await dispatchEvents(s.kontor, [async (_c, e) => void seen.push(...e)])).toBe(0);
  });

  test('a consumer that fails leaves the events unhandled, to be handed over again', async () => {
    await dispatchEvents(s.kontor, []);
    await s.call('POST', '/api/v1/companies', { name: 'Retry Ltd' });
    await expect(
      dispatchEvents(s.kontor, [
        async () => {
          throw new Error('consumer down');
        },
      ]),
    ).rejects.toThrow('consumer down');
    const seen: string[] = [];
    await dispatchEvents(s.kontor, [async (_c, e) => void seen.push(...e.map((x) => x.type))]);
    expect(seen).toEqual(['companies.created']);
  });

  test('a change made by an automation step carries its cause', async () => {
    await dispatchEvents(s.kontor, []);
    const { createRecord } = await import('../../server/src/core/records/write');
    await s.asSystem(async (ctx) => {
      ctx.cause = { runId: 'run-1', processId: 'proc-1', chain: ['run-1'] };
      await createRecord(ctx, 'companies', { name: 'Caused Inc' });
    });
    const seen: DomainEvent[] = [];
    await dispatchEvents(s.kontor, [async (_c, e) => void seen.push(...e)]);
    expect(seen[0]!.cause).toEqual({ runId: 'run-1', processId: 'proc-1', chain: ['run-1'] });
  });
});
