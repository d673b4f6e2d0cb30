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
import { verifyStock } from '../../server/src/modules/inventory/verify';
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
    // The whole company, 830 orders shipped or reserved one by one through the same rules as
    // the API: some twenty seconds on SQLite, a minute or more on PostgreSQL on a busy machine.
  }, 600_000);
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

  test('puts the stock, the orders and what is on order in a main warehouse, exactly', async () => {
    expect(report.operations).toMatchObject({
      warehouses: 1,
      sales_orders: 830,
      shipped_orders: 809,
      purchase_orders: 14,
      reorder_points: 53,
    });
    const db = s!.kontor.database.db;
    const totals = await db
      .selectFrom('stock_balances')
      .select((eb) => [eb.fn.sum('on_hand').as('on_hand'), eb.fn.sum('incoming').as('incoming')])
      .executeTakeFirstOrThrow();
    // Each product ends at its unitsInStock: 3,119 units in all; unitsOnOrder is incoming.
    expect(Number(totals.on_hand)).toBe(3_119_000);
    const products = csv('products.csv');
    expect(Number(totals.incoming)).toBe(
      products.reduce((sum, p) => sum + Number(p.unitsOnOrder), 0) * 1000,
    );
    const warehouse = (await s!.call('GET', '/api/v1/warehouses?filter[code]=MAIN')).body.data[0];
    for (const ref of ['1', '2', '38', '43']) {
      const product = (
        await s!.call('GET', `/api/v1/products?filter[external_ref]=northwind:product:${ref}`)
      ).body.data[0];
      const balance = (
        await s!.call(
          'GET',
          `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
        )
      ).body.data[0];
      const row = products.find((p) => p.productID === ref)!;
      expect(balance.on_hand).toBe(`${row.unitsInStock}.000`);
      expect(balance.incoming).toBe(`${row.unitsOnOrder}.000`);
    }
    const statuses = await s!.call(
      'GET',
      '/api/v1/sales_orders?filter[status]=confirmed&count=true&limit=1',
    );
    expect(statuses.body.total).toBe(21);
    const discontinued = await s!.call(
      'GET',
      '/api/v1/products?filter[is_discontinued]=true&count=true&limit=1',
    );
    expect(discontinued.body.total).toBe(products.filter((p) => p.discontinued === '1').length);
    // Order 10248 is a shipped sales order linked to its won deal, with its three lines.
    const deal = (await s!.call('GET', '/api/v1/deals?filter[external_ref]=northwind:order:10248'))
      .body.data[0];
    const order = (await s!.call('GET', `/api/v1/sales_orders?filter[deal_id]=${deal.id}`)).body
      .data[0];
    expect(order).toMatchObject({ status: 'shipped', shipped_at: '1996-07-16T00:00:00.000Z' });
    expect(order.total.amount_minor).toBe(44000);
    expect(order.freight).toMatchObject({ amount: '32.38', currency: 'USD' });
    expect(await verifyStock(db, s!.kontor.meta)).toMatchObject({ differences: [] });
  });

  test('a user quotes 20 of a product with 17 in stock, backorders 3, buys them in and ships the rest', async () => {
    const find = async (object: string, filter: string) =>
      (await s!.call('GET', `/api/v1/${object}?${filter}`)).body.data[0];
    const product = await find('products', 'filter[external_ref]=northwind:product:38');
    const warehouse = await find('warehouses', 'filter[code]=MAIN');
    const customer = await find('companies', 'filter[external_ref]=northwind:customer:ALFKI');
    const ok = (r: { status: number; body: unknown }, status = 200) => {
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const quote = ok(
      await s!.call('POST', '/api/v1/quotes', {
        company_id: customer.id,
        warehouse_id: warehouse.id,
        currency: 'USD',
      }),
      201,
    );
    const line = ok(
      await s!.call('POST', '/api/v1/quote_lines', {
        quote_id: quote.id,
        product_id: product.id,
        quantity: '20',
      }),
      201,
    );
    // The price comes from the catalog: Côte de Blaye at 263.50.
    expect(line.unit_price).toMatchObject({ amount: '263.50', currency: 'USD' });
    const availability = ok(await s!.call('GET', `/api/v1/quotes/${quote.id}/availability`));
    expect(availability.data[0]).toMatchObject({
      ordered: '20.000',
      available: '17.000',
      shortage: '3.000',
    });
    const converted = ok(await s!.call('POST', `/api/v1/quotes/${quote.id}/convert`), 201);
    const orderId = converted.sales_order.id;
    const strict = await s!.call('POST', `/api/v1/sales_orders/${orderId}/confirm`, {});
    expect(strict.status).toBe(409);
    expect(strict.body.errors[0].path).toBe('lines[0].quantity');
    ok(await s!.call('POST', `/api/v1/sales_orders/${orderId}/confirm`, { backorder: true }));
    const shipped17 = ok(await s!.call('POST', `/api/v1/sales_orders/${orderId}/ship`, {}), 201);
    expect(shipped17.sales_order.status).toBe('partly_shipped');

    // What to reorder: the product, from its supplier; one click drafts the purchase order.
    const reorder = ok(await s!.call('GET', '/api/v1/stock/reorder'));
    const item = reorder.data.find((r: { product_id: string }) => r.product_id === product.id);
    expect(item).toBeTruthy();
    const drafted = ok(
      await s!.call('POST', '/api/v1/stock/reorder/purchase-orders', {
        items: [
          { product_id: product.id, warehouse_id: warehouse.id, quantity: item.suggested_quantity },
        ],
      }),
      201,
    );
    const po = drafted.data[0];
    ok(await s!.call('POST', `/api/v1/purchase_orders/${po.id}/confirm`));
    const received = ok(await s!.call('POST', `/api/v1/purchase_orders/${po.id}/receive`, {}), 201);
    expect(received.order.status).toBe('received');
    ok(await s!.call('POST', `/api/v1/sales_orders/${orderId}/reserve`));
    const rest = ok(await s!.call('POST', `/api/v1/sales_orders/${orderId}/ship`, {}), 201);
    expect(rest.sales_order.status).toBe('shipped');

    const balance = (
      await s!.call(
        'GET',
        `/api/v1/stock/balances?product_id=${product.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    const bought = Number(item.suggested_quantity);
    expect(balance).toMatchObject({
      on_hand: `${17 + bought - 20}.000`,
      reserved: '0.000',
      incoming: '0.000',
    });
    // Valued at list price throughout (the demo's assumption): what is left is worth 263.50 each.
    const value = ok(await s!.call('GET', `/api/v1/stock/value?product_id=${product.id}`));
    expect(value.products[0]).toMatchObject({
      quantity: `${17 + bought - 20}.000`,
      value: { amount: (263.5 * (17 + bought - 20)).toFixed(2), currency: 'USD' },
    });

    // A production order assembles the demo kit from its components, at exactly their value.
    const kit = await find('products', 'filter[sku]=NW-KIT-0001');
    const mo = ok(
      await s!.call('POST', '/api/v1/production_orders', {
        product_id: kit.id,
        quantity: '2',
        warehouse_id: warehouse.id,
      }),
      201,
    );
    const shortages = ok(await s!.call('GET', `/api/v1/production_orders/${mo.id}/shortages`));
    expect(shortages.short).toBe(false);
    const before = ok(await s!.call('GET', '/api/v1/stock/value')).totals[0].amount;
    ok(await s!.call('POST', `/api/v1/production_orders/${mo.id}/confirm`));
    const done = ok(await s!.call('POST', `/api/v1/production_orders/${mo.id}/complete`, {}));
    expect((done.production_order ?? done).status).toBe('done');
    const kitStock = (
      await s!.call(
        'GET',
        `/api/v1/stock/balances?product_id=${kit.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    expect(kitStock.on_hand).toBe('2.000');
    const biscuits = await find('products', 'filter[external_ref]=northwind:product:19');
    const biscuitStock = (
      await s!.call(
        'GET',
        `/api/v1/stock/balances?product_id=${biscuits.id}&warehouse_id=${warehouse.id}`,
      )
    ).body.data[0];
    expect(biscuitStock.on_hand).toBe('21.000'); // 25 in stock, 4 into two baskets
    // Assembly moves value from components to the kit: the total stays to the cent.
    expect(ok(await s!.call('GET', '/api/v1/stock/value')).totals[0].amount).toBe(before);
    expect(await verifyStock(s!.kontor.database.db, s!.kontor.meta)).toMatchObject({
      differences: [],
    });
  });

  test('refuses to import the company twice', async () => {
    const actor = await actorForUser(s!.kontor.database.db, s!.adminId);
    await expect(importNorthwind(s!.kontor, actor!, dir)).rejects.toThrow(/already/);
  });
});
