import { describe, expect, test } from 'vitest';
import { boolToDb } from '../../server/src/db/column-types';
import { newId } from '../../server/src/core/ids';
import {
  filterParams,
  fromApiFilter,
  toApiFilter,
  type FilterCondition,
  type FilterTree,
} from '../../web/src/pages/table/filters';
import { DIALECTS, callAs, serverFor } from '../helpers';

const cond = (field: string, op: FilterCondition['op'], value: string | string[], extra = {}) =>
  ({ kind: 'cond', field, op, value, ...extra }) as FilterCondition;

/** The table's filters, as the web app sends them, against the real list endpoint. */
describe.each(DIALECTS)("the table's filter trees on %s", (dialect) => {
  const s = serverFor(dialect);

  test('toApiFilter sent as query parameters returns the rows the tree describes', async () => {
    for (const field of [
      {
        name: 'tier',
        label: 'Tier',
        type: 'select',
        options: [
          { value: 'gold', label: 'Gold' },
          { value: 'silver', label: 'Silver' },
        ],
      },
      { name: 'revenue', label: 'Revenue', type: 'currency' },
      { name: 'last_call', label: 'Last call', type: 'datetime' },
    ]) {
      expect(
        (await s.call('POST', '/api/v1/metadata/objects/companies/fields', field)).status,
      ).toBe(201);
    }
    const rows = [
      ['Berlin Gold', 'Germany', 'Berlin', 'gold', '1000.00', 'EUR', '2026-03-01T23:30:00Z'],
      ['Munich Silver', 'Germany', 'Munich', 'silver', '999.99', 'EUR', '2026-03-02T10:00:00Z'],
      ['Hamburg', 'Germany', 'Hamburg', null, '5000', 'USD', null],
      ['Paris Gold', 'France', 'Paris', 'gold', '200000', 'JPY', '2026-03-01T12:00:00Z'],
      ['Lyon', 'France', 'Lyon', null, null, null, null],
    ] as const;
    for (const [name, country, city, tier, amount, currency, lastCall] of rows) {
      const created = await s.call('POST', '/api/v1/companies', {
        name,
        country,
        city,
        tier,
        revenue: amount ? { amount, currency } : null,
        last_call: lastCall,
      });
      expect(created.status).toBe(201);
    }
    const meta = (await s.call('GET', '/api/v1/metadata/objects/companies')).body;

    const names = async (tree: FilterTree) => {
      const filter = toApiFilter(tree);
      // What the address keeps comes back as the same tree.
      expect(fromApiFilter(filter, meta, { timeZone: 'Europe/Berlin' })).toEqual({
        tree,
        errors: [],
      });
      const p = new URLSearchParams(filterParams(filter));
      p.set('sort', 'name');
      p.set('fields', 'name');
      p.set('count', 'true');
      const res = await s.call('GET', `/api/v1/companies?${p.toString()}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(res.body.data.length);
      // Exports follow the same parameters.
      const csv = await s.app.inject({
        method: 'GET',
        url: `/api/v1/companies/export?format=csv&${p.toString()}`,
        headers: { authorization: `Bearer ${s.adminKey}` },
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.body.trim().split('\n').length - 1).toBe(res.body.data.length);
      return res.body.data.map((r: { name: string }) => r.name);
    };

    expect(
      await names({
        kind: 'group',
        match: 'all',
        children: [
          cond('country', 'eq', 'Germany'),
          {
            kind: 'group',
            match: 'any',
            children: [cond('city', 'eq', 'Berlin'), cond('city', 'eq', 'Munich')],
          },
        ],
      }),
    ).toEqual(['Berlin Gold', 'Munich Silver']);

    expect(
      await names({
        kind: 'group',
        match: 'any',
        children: [
          cond('tier', 'in', ['gold']),
          {
            kind: 'group',
            match: 'all',
            children: [cond('country', 'eq', 'France'), cond('tier', 'is_empty', 'true')],
          },
        ],
      }),
    ).toEqual(['Berlin Gold', 'Lyon', 'Paris Gold']);

    // 1,000.00 EUR or more: not the 999.99 EUR, not 5,000 USD, not 200,000 JPY.
    expect(
      await names({
        kind: 'group',
        match: 'all',
        children: [cond('revenue', 'gte', '1000.00', { currency: 'EUR' })],
      }),
    ).toEqual(['Berlin Gold']);
    expect(
      await names({
        kind: 'group',
        match: 'all',
        children: [cond('revenue', 'gt', '100000', { currency: 'JPY' })],
      }),
    ).toEqual(['Paris Gold']);
    expect(
      await names({
        kind: 'group',
        match: 'all',
        children: [cond('revenue', 'in', ['USD', 'JPY'], { sub: 'currency' })],
      }),
    ).toEqual(['Hamburg', 'Paris Gold']);

    // A day in Berlin: 23:30 UTC on 1 March is already 2 March there.
    expect(
      await names({
        kind: 'group',
        match: 'all',
        children: [cond('last_call', 'on', '2026-03-02', { zone: 'Europe/Berlin' })],
      }),
    ).toEqual(['Berlin Gold', 'Munich Silver']);
    expect(
      await names({
        kind: 'group',
        match: 'any',
        children: [
          cond('last_call', 'lt', '2026-03-02', { zone: 'Europe/Berlin' }),
          cond('last_call', 'is_empty', 'true'),
        ],
      }),
    ).toEqual(['Hamburg', 'Lyon', 'Paris Gold']);
  });

  test('metadata says which fields the caller may write and what they may do with records', async () => {
    const admin = (await s.call('GET', '/api/v1/metadata/objects/companies')).body;
    const field = (name: string) =>
      admin.fields.find((f: { name: string }) => f.name === name) as { writable: boolean };
    expect(admin.access).toEqual({
      create: true,
      update: 'all',
      delete: 'all',
      import: true,
      export: true,
    });
    expect(field('name').writable).toBe(true);
    expect(field('created_at').writable).toBe(false);
    expect(field('contacts_count').writable).toBe(false);

    const roleId = newId();
    const now = new Date().toISOString();
    await s.kontor.database.db
      .insertInto('roles')
      .values({
        id: roleId,
        name: 'Own companies, no phone edits',
        is_admin: boolToDb(s.kontor.database.dialect, false),
        permissions: JSON.stringify({
          objects: {
            companies: {
              read: 'all',
              create: false,
              update: 'own',
              delete: 'none',
              fields: { phone: 'read', email: 'none' },
            },
          },
        }),
        created_at: now,
        updated_at: now,
      })
      .execute();
    const u = await s.keyFor({
      email: 'limited@example.com',
      name: 'Limited',
      role: 'Own companies, no phone edits',
    });
    const limited = (await callAs(s, u.key)('GET', '/api/v1/metadata/objects/companies')).body;
    const names = limited.fields.map((f: { name: string }) => f.name);
    expect(names).not.toContain('email');
    const writable = (name: string) =>
      limited.fields.find((f: { name: string }) => f.name === name).writable;
    expect(writable('phone')).toBe(false);
    expect(writable('city')).toBe(true);
    expect(limited.access).toMatchObject({ create: false, update: 'own', delete: 'none' });
  });
});
