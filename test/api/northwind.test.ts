import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { actorForUser } from '../../server/src/core/auth/users';
import {
  DEFAULT_NORTHWIND_DIR,
  importNorthwind,
  orderAmountMinor,
  repairUnquotedCommas,
  type DemoReport,
} from '../../server/src/flows/northwind-demo';
import { DIALECTS, startServer, type TestServer } from '../helpers';

const dir = DEFAULT_NORTHWIND_DIR;
const csv = (f: string) =>
  parse(readFileSync(join(dir, f), 'utf8'), { columns: true, relax_column_count: true }) as Record<
    string,
    string
  >[];

/** Each order's total in cents, computed independently: per line in 1/10,000 cent, rounded once. */
function expectedTotals(): Map<string, number> {
  const sums = new Map<string, bigint>();
  for (const l of csv('order-details.csv')) {
    const cents = BigInt(l.unitPrice.replace('.', ''));
    const keep = 10_000n - BigInt(Math.round(Number(l.discount) * 10_000));
    sums.set(l.orderID, (sums.get(l.orderID) ?? 0n) + cents * BigInt(l.quantity) * keep);
  }
  const out = new Map<string, number>();
  for (const [id, e4] of sums) {
    const q = e4 / 10_000n;
    const r = e4 % 10_000n;
    const rounded = r > 5_000n || (r === 5_000n && q % 2n === 1n) ? q + 1n : q;
    out.set(id, Number(rounded));
  }
  return out;
}

describe('order amounts', () => {
  test('sum price x quantity x (1 - discount) exactly and round once, half to even', () => {
    expect(
      orderAmountMinor([
        { unitPrice: '14.00', quantity: '12', discount: '0' },
        { unitPrice: '9.80', quantity: '10', discount: '0' },
        { unitPrice: '34.80', quantity: '5', discount: '0' },
      ]),
    ).toBe(44000);
    expect(orderAmountMinor([{ unitPrice: '0.05', quantity: '1', discount: '0.5' }])).toBe(2);
    expect(orderAmountMinor([{ unitPrice: '0.07', quantity: '1', discount: '0.5' }])).toBe(4);
    expect(orderAmountMinor([{ unitPrice: '19.45', quantity: '7', discount: '0.15' }])).toBe(11573);
  });

  test('an unquoted comma is joined back only where the next piece starts with a space', () => {
    expect(repairUnquotedCommas(3, ['24', ' place Kléber', 'Strasbourg', 'France'])).toEqual({
      cells: ['24, place Kléber', 'Strasbourg', 'France'],
      joined: [0],
    });
    expect(repairUnquotedCommas(3, ['a', 'b', 'c', 'd'])).toBeNull();
  });
});

describe.each(DIALECTS)('the Northwind demo on %s', (dialect) => {
  let s: TestServer | null;
  let report: DemoReport;
  beforeAll(async () => {
    s = await startServer(dialect);
    if (!s) return;
    const actor = await actorForUser(s.kontor.database.db, s.adminId);
    report = await importNorthwind(s.kontor, actor!, dir);
  });
  afterAll(async () => s?.close());
  beforeEach((ctx) => {
    if (!s) ctx.skip();
  });

  test('imports every customer, supplier, employee, product and order', async () => {
    expect(report).toMatchObject({
      companies: 121,
      users: 9,
      categories: 8,
      products: 77,
      deals: 830,
    });
    const customers = await s!.call(
      'GET',
      '/api/v1/companies?filter[is_customer]=true&count=true&limit=1',
    );
    expect(customers.body.total).toBe(91);
    const suppliers = await s!.call(
      'GET',
      '/api/v1/companies?filter[is_supplier]=true&count=true&limit=1',
    );
    expect(suppliers.body.total).toBe(29);
    const users = await s!.call('GET', '/api/v1/users');
    expect(users.body.data).toHaveLength(10);
    const fuller = users.body.data.find((u: { name: string }) => u.name === 'Andrew Fuller');
    const davolio = users.body.data.find((u: { name: string }) => u.name === 'Nancy Davolio');
    expect(davolio.manager_id).toBe(fuller.id);
    expect(
      report.repaired.some(
        (r) => r.file === 'customers.csv' && r.line === 8 && r.column === 'address',
      ),
    ).toBe(true);
  });

  test('keeps accents, quoted commas and the NULLs of the files', async () => {
    const mexico = await s!.call(
      'GET',
      '/api/v1/companies?filter[city]=M%C3%A9xico%20D.F.&count=true&limit=1',
    );
    expect(mexico.body.total).toBe(5);
    const blondel = (
      await s!.call('GET', '/api/v1/companies?filter[external_ref]=northwind:customer:BLONP')
    ).body.data[0];
    expect(blondel).toMatchObject({
      street: '24, place Kléber',
      city: 'Strasbourg',
      region: null,
      postal_code: '67000',
    });
    const pavlova = (
      await s!.call('GET', '/api/v1/companies?filter[external_ref]=northwind:supplier:7')
    ).body.data[0];
    expect(pavlova.name).toBe('Pavlova, Ltd.');
    const alfki = (
      await s!.call('GET', '/api/v1/companies?filter[external_ref]=northwind:customer:ALFKI')
    ).body.data[0];
    expect(alfki).toMatchObject({
      name: 'Alfreds Futterkiste',
      phone: '030-0074321',
      fax: '030-0076545',
      country: 'Germany',
    });
    const byPhone = await s!.call('GET', '/api/v1/companies?filter[phone]=%2B49300074321');
    expect(byPhone.body.data.map((c: { id: string }) => c.id)).toEqual([alfki.id]);
    const nancy = (
      await s!.call('GET', '/api/v1/contacts?filter[external_ref]=northwind:employee:1')
    ).body.data[0];
    expect(nancy.description).toContain('"The Art of the Cold Call."');
    expect(nancy.birthday).toBe('1948-12-08');
  });

  test('turns each order into a won deal worth the sum of its lines', async () => {
    const expected = expectedTotals();
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    do {
      const page: {
        body: {
          data: {
            external_ref: string;
            amount: { amount_minor: number; currency: string };
            status: string;
          }[];
          next_cursor: string | null;
        };
      } = await s!.call(
        'GET',
        `/api/v1/deals?limit=500&fields=external_ref,amount,status${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const d of page.body.data) {
        expect(d.status).toBe('won');
        expect(d.amount.currency).toBe('USD');
        seen.set(d.external_ref.replace('northwind:order:', ''), d.amount.amount_minor);
      }
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.size).toBe(830);
    expect(seen).toEqual(expected);
    expect(seen.get('10248')).toBe(44000);
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe([...expected.values()].reduce((a, b) => a + b, 0));

    const alfki = (
      await s!.call('GET', '/api/v1/companies?filter[external_ref]=northwind:customer:ALFKI')
    ).body.data[0];
    expect(alfki.won_deals_count).toBe(6);
    const deal = (await s!.call('GET', '/api/v1/deals?filter[external_ref]=northwind:order:10248'))
      .body.data[0];
    expect(deal.closed_at).toBe('1996-07-04T00:00:00.000Z');
    const owner = (await s!.call('GET', '/api/v1/users')).body.data.find(
      (u: { id: string }) => u.id === deal.owner_id,
    );
    expect(owner.name).toBe('Steven Buchanan');
  });

  test('refuses to import the company twice', async () => {
    const actor = await actorForUser(s!.kontor.database.db, s!.adminId);
    await expect(importNorthwind(s!.kontor, actor!, dir)).rejects.toThrow(/already/);
  });
});
