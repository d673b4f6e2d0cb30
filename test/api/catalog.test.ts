import { describe, expect, test } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/src/core/actor';
import { inTransaction } from '../../server/src/core/kontor';
import { catalogModule } from '../../server/src/modules/catalog';
import { catalogLabelsUk } from '../../server/src/modules/catalog/labels';
import {
  kitComponents,
  resolveLine,
  type LineRequest,
} from '../../server/src/modules/catalog/pricing';
import { crmModule } from '../../server/src/modules/crm';
import { verifyStock } from '../../server/src/modules/inventory/verify';
import { crmLabelsUk } from '../../server/src/modules/crm/labels';
import { DIALECTS, callAs, serverFor, type Response } from '../helpers';

const CATALOG_TABLES = [
  'products',
  'units',
  'product_units',
  'taxes',
  'customer_groups',
  'price_lists',
  'price_list_items',
  'kit_components',
  'companies',
];

describe('catalog labels', () => {
  test('every catalog object, field and option has a Ukrainian label', () => {
    for (const o of catalogModule.objects) {
      const uk = catalogLabelsUk[o.name];
      expect(uk?.singular, o.name).toBeTruthy();
      expect(uk?.plural, o.name).toBeTruthy();
      for (const f of o.fields) {
        expect(uk?.fields?.[f.name], `${o.name}.${f.name}`).toBeTruthy();
        for (const opt of f.options ?? [])
          expect(
            uk?.options?.[f.name]?.[opt.value],
            `${o.name}.${f.name}=${opt.value}`,
          ).toBeTruthy();
        if (f.reverseName)
          expect(uk?.reverse?.[f.name], `${o.name}.${f.name} reverse`).toBeTruthy();
      }
    }
    const companies = crmModule.objects.find((o) => o.name === 'companies')!;
    expect(companies.fields.find((f) => f.name === 'customer_group_id')?.target).toBe(
      'customer_groups',
    );
    expect(crmLabelsUk.companies.fields?.customer_group_id).toBe('Група клієнтів');
  });
});

describe.each(DIALECTS)('the catalog on %s', (dialect) => {
  const s = serverFor(dialect);
  const uniq = () => Math.random().toString(36).slice(2, 10);

  const post = (object: string, body: unknown) => s.call('POST', `/api/v1/${object}`, body);
  const patch = (object: string, id: string, body: unknown) =>
    s.call('PATCH', `/api/v1/${object}/${id}`, body);
  const made = async (object: string, body: unknown) => {
    const r = await post(object, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as Record<string, any> & { id: string };
  };

  /** Live rows of every catalog table and the audit log: a refusal changes none of them. */
  const snapshot = async () => {
    const db = s.kontor.database.db;
    const counts: Record<string, number> = {};
    for (const t of [...CATALOG_TABLES, 'audit_log']) {
      const row = await db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      counts[t] = Number(row.n);
    }
    const versions = await db
      .selectFrom('products')
      .select((eb) => eb.fn.sum('version').as('v'))
      .executeTakeFirstOrThrow();
    counts.product_versions = Number(versions.v ?? 0);
    return counts;
  };
  /** The request is refused with the status, naming the path, and nothing is written. */
  const refused = async (
    send: () => Promise<Response>,
    status: number,
    path: string,
  ): Promise<Response> => {
    const before = await snapshot();
    const r = await send();
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await snapshot()).toEqual(before);
    return r;
  };
  const resolve = (line: Partial<LineRequest> & { productId: string }) =>
    inTransaction(s.kontor, SYSTEM_ACTOR, (ctx) =>
      resolveLine(ctx, { quantity: 1000n, currency: 'EUR', ...line }),
    );
  /** The 400 resolveLine throws, as { path, status }. */
  const resolveError = async (line: Partial<LineRequest> & { productId: string }) => {
    const err = await resolve(line).then(
      () => null,
      (e: unknown) => e as { code: string; errors: { path: string; message: string }[] },
    );
    expect(err, 'resolveLine should refuse').not.toBeNull();
    expect(err!.code).toBe('validation');
    return err!.errors[0];
  };

  /** Requests as an administrator who reads Kontor in Ukrainian. */
  const inUkrainian = async () => {
    const tag = uniq();
    const user = await s.keyFor({
      email: `uk-${tag}@example.com`,
      name: 'Оксана',
      role: 'Administrator',
    });
    await s.call('PATCH', `/api/v1/users/${user.id}`, { locale: 'uk' });
    return callAs(s, user.key);
  };

  /** Units pcs, box (12 pcs), half (0.5 pcs), third (0.333 pcs), and a product priced per pcs. */
  const setup = async (price = '2.50') => {
    const tag = uniq();
    const pcs = await made('units', { name: 'Piece', code: `pcs-${tag}` });
    const box = await made('units', { name: 'Box', code: `box-${tag}` });
    const half = await made('units', { name: 'Half', code: `half-${tag}` });
    const third = await made('units', { name: 'Third', code: `third-${tag}` });
    const kg = await made('units', { name: 'Kilogram', code: `kg-${tag}` });
    const vat = await made('taxes', { name: `VAT ${tag}`, rate: '20' });
    const product = await made('products', {
      name: `Chai ${tag}`,
      unit_id: pcs.id,
      price: { amount: price, currency: 'EUR' },
      tax_id: vat.id,
    });
    await made('product_units', { product_id: product.id, unit_id: box.id, factor: '12' });
    await made('product_units', { product_id: product.id, unit_id: half.id, factor: '0.5' });
    await made('product_units', { product_id: product.id, unit_id: third.id, factor: '0.333' });
    return { tag, pcs, box, half, third, kg, vat, product };
  };

  test('a product starts as active goods valued at moving average; a kit is a kind', async () => {
    const tag = uniq();
    const p = await made('products', { name: `Tea ${tag}`, unit: '10 boxes x 20 bags' });
    expect(p).toMatchObject({
      kind: 'goods',
      is_active: true,
      is_discontinued: false,
      valuation_method: 'average',
      unit: '10 boxes x 20 bags',
      unit_id: null,
    });
    const kit = await made('products', {
      name: `Gift box ${tag}`,
      kind: 'kit',
      valuation_method: 'fifo',
      is_discontinued: true,
      barcode: `400${tag}`,
      purchase_price: { amount: '4.10', currency: 'EUR' },
    });
    expect(kit).toMatchObject({
      kind: 'kit',
      valuation_method: 'fifo',
      is_discontinued: true,
      purchase_price: { amount_minor: 410, currency: 'EUR' },
    });
    await refused(() => post('products', { name: 'Twin', barcode: `400${tag}` }), 409, 'barcode');
    await refused(
      () => post('products', { name: 'X', valuation_method: 'lifo' }),
      400,
      'valuation_method',
    );
    await refused(
      () => patch('products', p.id, { valuation_method: null }),
      400,
      'valuation_method',
    );
    await refused(() => patch('products', p.id, { kind: null }), 400, 'kind');
    // The barcode is found by search.
    const found = await s.call('GET', `/api/v1/products?q=400${tag}`);
    expect(found.body.data.map((r: { id: string }) => r.id)).toEqual([kit.id]);
  });

  test('a product’s units convert to its base unit by their factor', async () => {
    const { pcs, box, half, kg, product, tag } = await setup();
    const units = await s.call('GET', `/api/v1/products/${product.id}/related/product_units`);
    expect(units.body.data.map((u: { name: string }) => u.name).sort()).toEqual([
      `box-${tag} = 12 pcs-${tag}`,
      `half-${tag} = 0.5 pcs-${tag}`,
      `third-${tag} = 0.333 pcs-${tag}`,
    ]);

    const body = { product_id: product.id, unit_id: kg.id, factor: '1' };
    await refused(() => post('product_units', { ...body, factor: '0' }), 400, 'factor');
    await refused(() => post('product_units', { ...body, factor: '-2' }), 400, 'factor');
    await refused(() => post('product_units', { ...body, factor: '1.0005' }), 400, 'factor');
    await refused(() => post('product_units', { ...body, unit_id: pcs.id }), 400, 'unit_id');
    await refused(() => post('product_units', { ...body, unit_id: box.id }), 409, 'unit_id');
    const bare = await made('products', { name: `No unit ${tag}` });
    await refused(() => post('product_units', { ...body, product_id: bare.id }), 400, 'product_id');
    const halfRow = (await s.call('GET', `/api/v1/product_units?filter[unit_id][eq]=${half.id}`))
      .body.data[0];
    await refused(() => patch('product_units', halfRow.id, { factor: '0' }), 400, 'factor');
    await refused(() => patch('product_units', halfRow.id, { unit_id: box.id }), 409, 'unit_id');

    // A service may be sold by the hour or the day: units convert for services too.
    const hour = await made('units', { name: 'Hour', code: `h-${tag}` });
    const day = await made('units', { name: 'Day', code: `d-${tag}` });
    const service = await made('products', {
      name: `Setup ${tag}`,
      kind: 'service',
      unit_id: hour.id,
    });
    await made('product_units', { product_id: service.id, unit_id: day.id, factor: '8' });

    // The base unit does not change under the units that convert to it.
    await refused(() => patch('products', product.id, { unit_id: kg.id }), 400, 'unit_id');
    await refused(() => patch('products', product.id, { unit_id: null }), 400, 'unit_id');
  });

  test('quantities convert to exact base thousandths or are refused', async () => {
    const { pcs, box, half, third, kg, product } = await setup();
    const base = async (unitId: string | null, quantity: bigint) =>
      (await resolve({ productId: product.id, unitId, quantity })).baseQuantity;
    expect(await resolve({ productId: product.id, unitId: box.id, quantity: 2000n })).toMatchObject(
      { baseQuantity: 24000n, unitId: box.id },
    );
    expect(await base(box.id, 500n)).toBe(6000n);
    expect(await base(box.id, 1n)).toBe(12n);
    expect(await base(half.id, 2n)).toBe(1n);
    expect(await base(third.id, 3000n)).toBe(999n);
    expect(await base(pcs.id, 1234n)).toBe(1234n);
    // A return is a negative quantity and converts the same way.
    expect(await base(box.id, -2000n)).toBe(-24000n);
    // No unit: the base unit.
    expect(await resolve({ productId: product.id, unitId: null, quantity: 7n })).toMatchObject({
      baseQuantity: 7n,
      unitId: pcs.id,
    });

    // 0.003 half = 0.0015 pcs and 0.001 third = 0.000333 pcs: not whole thousandths.
    expect(await resolveError({ productId: product.id, unitId: half.id, quantity: 3n })).toEqual({
      path: 'quantity',
      message: 'does not convert exactly: it is 0.0015 base units, and stock counts thousandths',
    });
    expect(
      (await resolveError({ productId: product.id, unitId: third.id, quantity: 1n })).path,
    ).toBe('quantity');
    // A unit the product is not counted in.
    expect((await resolveError({ productId: product.id, unitId: kg.id })).path).toBe('unit_id');
    const bare = await made('products', { name: `Bare ${uniq()}` });
    expect((await resolveError({ productId: bare.id, unitId: kg.id })).path).toBe('unit_id');
    expect((await resolveError({ productId: bare.id, currency: 'EURO' })).path).toBe('currency');
    expect((await resolveError({ productId: kg.id })).path).toBe('product_id');
  });

  test('a price per another unit is the product’s price times the factor, rounded half to even', async () => {
    const { box, half, third, product, vat } = await setup('0.05');
    const price = async (unitId: string | null, currency = 'EUR') =>
      (await resolve({ productId: product.id, unitId, currency })).unitPriceMinor;
    expect(await price(null)).toBe(5n);
    expect(await price(box.id)).toBe(60n);
    // 5 × 0.5 = 2.5 → 2 (even); 5 × 0.333 = 1.665 → 2.
    expect(await price(half.id)).toBe(2n);
    expect(await price(third.id)).toBe(2n);
    // No price in another currency.
    expect(await price(null, 'USD')).toBeNull();
    const other = (await setup('0.07')).product;
    const otherHalf = (
      await s.call('GET', `/api/v1/products/${other.id}/related/product_units`)
    ).body.data.find((u: { name: string }) => u.name.startsWith('half'));
    // 7 × 0.5 = 3.5 → 4 (even).
    expect((await resolve({ productId: other.id, unitId: otherHalf.unit_id })).unitPriceMinor).toBe(
      4n,
    );
    // The tax is the product's.
    expect(await resolve({ productId: product.id })).toMatchObject({
      taxId: vat.id,
      taxRateBasisPoints: 2000n,
      taxIncluded: false,
    });
  });

  test('the best price list item wins: the customer’s group, the unit, the highest quantity break', async () => {
    const { product, box, tag } = await setup('2.50');
    const wholesale = await made('customer_groups', { name: `Wholesale ${tag}` });
    const buyer = await made('companies', {
      name: `Buyer ${tag}`,
      customer_group_id: wholesale.id,
    });
    const walkIn = await made('companies', { name: `Walk-in ${tag}` });
    const everyone = await made('price_lists', { name: `Retail ${tag}`, currency: 'eur' });
    expect(everyone).toMatchObject({ currency: 'EUR', is_active: true });
    const group = await made('price_lists', {
      name: `Wholesale ${tag}`,
      currency: 'EUR',
      customer_group_id: wholesale.id,
    });
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    const item = (list: string, amount: string, more: Record<string, unknown> = {}) =>
      made('price_list_items', {
        price_list_id: list,
        product_id: product.id,
        price: eur(amount),
        ...more,
      });
    await item(everyone.id, '2.40');
    await item(everyone.id, '27.00', { unit_id: box.id });
    await item(group.id, '2.20');
    const tenOrMore = await item(group.id, '2.00', { min_quantity: '10' });
    expect(tenOrMore.name).toBe(`Chai ${tag}, from 10`);

    const price = async (line: Partial<LineRequest>) =>
      (await resolve({ productId: product.id, ...line })).unitPriceMinor;
    // No customer, or one without a group: the list for everyone.
    expect(await price({})).toBe(240n);
    expect(await price({ companyId: walkIn.id })).toBe(240n);
    expect(await price({ unitId: box.id })).toBe(2700n);
    // The group's list comes first; the highest quantity break the line reaches.
    expect(await price({ companyId: buyer.id, quantity: 9999n })).toBe(220n);
    expect(await price({ companyId: buyer.id, quantity: 10000n })).toBe(200n);
    // A return of ten takes the same price as a sale of ten.
    expect(await price({ companyId: buyer.id, quantity: -10000n })).toBe(200n);
    // A box is 12 pieces: the group's price per piece from 10, times 12.
    expect(await price({ companyId: buyer.id, unitId: box.id, quantity: 1000n })).toBe(2400n);
    // A list chosen on the document is the only one searched.
    expect(await price({ companyId: buyer.id, priceListId: everyone.id })).toBe(240n);
    // No list in the currency and no product price in it: no price.
    expect(await price({ companyId: buyer.id, currency: 'USD' })).toBeNull();

    // An inactive list is not used; chosen explicitly it is refused.
    await patch('price_lists', everyone.id, { is_active: false });
    expect(await price({})).toBe(250n);
    expect((await resolveError({ productId: product.id, priceListId: everyone.id })).path).toBe(
      'price_list_id',
    );
    expect(
      (await resolveError({ productId: product.id, priceListId: group.id, currency: 'USD' })).path,
    ).toBe('price_list_id');
    // A list applies only between its dates (the test clock says 2026-03-02).
    await patch('price_lists', everyone.id, { is_active: true, valid_from: '2026-04-01' });
    expect(await price({})).toBe(250n);
    expect(await price({ at: '2026-04-01T08:00:00Z' })).toBe(240n);
    expect((await resolveError({ productId: product.id, priceListId: everyone.id })).message).toBe(
      'is not valid on 2026-03-02',
    );
    expect(await price({ priceListId: everyone.id, at: '2026-04-02' })).toBe(240n);
    expect((await resolveError({ productId: product.id, at: 'soon' })).path).toBe('at');
    expect((await resolveError({ productId: product.id, companyId: box.id })).path).toBe(
      'company_id',
    );
  });

  test('GET /api/v1/catalog/price answers what a line would get, for products the caller may read', async () => {
    const { product, box, kg, vat, tag } = await setup('2.50');
    const url = (q: string) => `/api/v1/catalog/price?product_id=${product.id}&${q}`;
    const r = await s.call('GET', url(`unit_id=${box.id}&quantity=2.5&currency=EUR`));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({
      product_id: product.id,
      unit_id: box.id,
      quantity: '2.500',
      base_quantity: '30.000',
      unit_price: { amount_minor: 3000, amount: '30.00', currency: 'EUR' },
      tax_id: vat.id,
      tax_rate: '20.00',
      tax_included: false,
    });
    const bad = async (q: string, path: string) => {
      const res = await s.call('GET', url(q));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.errors[0].path).toBe(path);
    };
    await bad('quantity=1.0001&currency=EUR', 'quantity');
    await bad('quantity=abc&currency=EUR', 'quantity');
    await bad('quantity=99999999999999999&currency=EUR', 'quantity');
    await bad(`unit_id=${kg.id}&currency=EUR`, 'unit_id');
    await bad('unit_id=nope&currency=EUR', 'unit_id');
    await bad('currency=EURO', 'currency');
    const unknown = await s.call('GET', url('currency=EUR&colour=red'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].message).toContain('colour');
    await bad(`company_id=${kg.id}&currency=EUR`, 'company_id');
    const none = await s.call('GET', `/api/v1/catalog/price?product_id=${kg.id}`);
    expect(none.status).toBe(400);
    expect(none.body.errors[0].path).toBe('product_id');

    // A reader of their own products gets no price of another's.
    const role = `Own products ${tag}`;
    await s.call('POST', '/api/v1/roles', {
      name: role,
      permissions: { objects: { products: { read: 'own' } } },
    });
    const user = await s.keyFor({ email: `price-${tag}@example.com`, name: 'Reader', role });
    const asUser = callAs(s, user.key);
    const hidden = await asUser('GET', url('currency=EUR'));
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors[0].path).toBe('product_id');
    await patch('products', product.id, { owner_id: user.id });
    expect((await asUser('GET', url('currency=EUR'))).body.unit_price.amount).toBe('2.50');
  });

  test('a price list item is in its list’s currency and for a unit of its product', async () => {
    const { product, box, pcs, kg, tag } = await setup();
    const list = await made('price_lists', { name: `List ${tag}`, currency: 'EUR' });
    const body = {
      price_list_id: list.id,
      product_id: product.id,
      price: { amount: '1.00', currency: 'EUR' },
    };
    await refused(
      () => post('price_list_items', { ...body, price: { amount: '1.00', currency: 'USD' } }),
      400,
      'price.currency',
    );
    await refused(
      () => post('price_list_items', { ...body, price: { amount: '1.001', currency: 'EUR' } }),
      400,
      'price.amount',
    );
    await refused(
      () => post('price_list_items', { ...body, price: { amount: '-1', currency: 'EUR' } }),
      400,
      'price',
    );
    await refused(
      () => post('price_list_items', { ...body, min_quantity: '-1' }),
      400,
      'min_quantity',
    );
    await refused(() => post('price_list_items', { ...body, unit_id: kg.id }), 400, 'unit_id');
    // A price per the base unit is kept without a unit; the same price twice is a conflict.
    const perPiece = await made('price_list_items', { ...body, unit_id: pcs.id });
    expect(perPiece.unit_id).toBeNull();
    await refused(() => post('price_list_items', body), 409, 'min_quantity');
    const perBox = await made('price_list_items', { ...body, unit_id: box.id, min_quantity: '2' });
    expect(perBox.name).toBe(`Chai ${tag}, box-${tag}, from 2`);
    await refused(
      () => patch('price_list_items', perBox.id, { price: { amount: '9', currency: 'GBP' } }),
      400,
      'price.currency',
    );

    // The list's currency is an ISO code, and it stays while the list has prices.
    await refused(() => post('price_lists', { name: 'Bad', currency: 'XYZ' }), 400, 'currency');
    await refused(() => post('price_lists', { name: 'Bad', currency: 'EURO' }), 400, 'currency');
    await refused(
      () =>
        post('price_lists', {
          name: 'Bad',
          currency: 'EUR',
          valid_from: '2026-05-01',
          valid_to: '2026-04-01',
        }),
      400,
      'valid_to',
    );
    await refused(() => patch('price_lists', list.id, { currency: 'USD' }), 400, 'currency');
    // A unit a price is given in stays on the product; the product's base unit stays too.
    const boxRow = (await s.call('GET', `/api/v1/product_units?filter[unit_id][eq]=${box.id}`)).body
      .data[0];
    await refused(() => s.call('DELETE', `/api/v1/product_units/${boxRow.id}`), 409, 'unit_id');
    await refused(() => patch('products', product.id, { unit_id: kg.id }), 400, 'unit_id');
  });

  test('tax rates are from 0 to 100 percent', async () => {
    const tag = uniq();
    expect((await made('taxes', { name: `Zero ${tag}`, rate: 0 })).rate).toBe('0.00');
    const full = await made('taxes', { name: `Full ${tag}`, rate: '100', included: true });
    expect(full).toMatchObject({ rate: '100.00', included: true });
    expect((await made('taxes', { name: `Reduced ${tag}`, rate: '12.5' })).rate).toBe('12.50');
    await refused(() => post('taxes', { name: 'Too much', rate: '100.01' }), 400, 'rate');
    await refused(() => post('taxes', { name: 'Negative', rate: '-1' }), 400, 'rate');
    await refused(() => post('taxes', { name: 'Fine', rate: '7.125' }), 400, 'rate');
    await refused(() => post('taxes', { name: 'Missing' }), 400, 'rate');
    await refused(() => patch('taxes', full.id, { rate: '101' }), 400, 'rate');
    // A Ukrainian reader is told in Ukrainian.
    const uk = await (
      await inUkrainian()
    )('POST', '/api/v1/taxes', { name: 'Too much', rate: '101' });
    expect(uk.body.errors).toEqual([
      { path: 'rate', message: 'має бути від 0 до 100 (відсотків)' },
    ]);
    // A tax in use by a product is not deleted.
    const p = await made('products', { name: `Taxed ${tag}`, tax_id: full.id });
    await refused(() => s.call('DELETE', `/api/v1/taxes/${full.id}`), 409, 'products.tax_id');
    expect(p.tax_id).toBe(full.id);
  });

  test('a kit is made of goods and kits, never of itself', async () => {
    const tag = uniq();
    const goods = await made('products', { name: `Cup ${tag}` });
    const service = await made('products', { name: `Wrapping ${tag}`, kind: 'service' });
    const a = await made('products', { name: `Kit A ${tag}`, kind: 'kit' });
    const b = await made('products', { name: `Kit B ${tag}`, kind: 'kit' });
    const c = await made('products', { name: `Kit C ${tag}`, kind: 'kit' });
    const cup = await made('kit_components', {
      kit_id: a.id,
      component_id: goods.id,
      quantity: '2',
    });
    expect(cup.name).toBe(`Cup ${tag} × 2`);
    await made('kit_components', { kit_id: a.id, component_id: b.id, quantity: '1' });
    const bc = await made('kit_components', { kit_id: b.id, component_id: c.id, quantity: '0.5' });

    const body = { kit_id: c.id, component_id: a.id, quantity: '1' };
    // C is inside B, which is inside A: A inside C would make C part of itself.
    const cycle = await refused(() => post('kit_components', body), 400, 'component_id');
    expect(cycle.body.errors[0].message).toBe(
      `contains this kit (${a.id} → ${b.id} → ${c.id}); a kit cannot be part of itself`,
    );
    const uk = await (await inUkrainian())('POST', '/api/v1/kit_components', body);
    expect(uk.body.errors[0].message).toBe(
      `містить цей комплект (${a.id} → ${b.id} → ${c.id}); комплект не може бути частиною самого себе`,
    );
    await refused(
      () => post('kit_components', { ...body, component_id: c.id }),
      400,
      'component_id',
    );
    await refused(
      () => post('kit_components', { ...body, component_id: service.id }),
      400,
      'component_id',
    );
    await refused(
      () => post('kit_components', { ...body, kit_id: goods.id, component_id: c.id }),
      400,
      'kit_id',
    );
    await refused(
      () => post('kit_components', { ...body, component_id: goods.id, quantity: '0' }),
      400,
      'quantity',
    );
    await refused(
      () => post('kit_components', { ...body, component_id: goods.id, quantity: '-1' }),
      400,
      'quantity',
    );
    await refused(
      () => post('kit_components', { kit_id: a.id, component_id: goods.id, quantity: '1' }),
      409,
      'component_id',
    );
    // Moving a row can close a cycle too.
    await refused(
      () => patch('kit_components', bc.id, { component_id: a.id }),
      400,
      'component_id',
    );
    // The kinds stay what the components need.
    await refused(() => patch('products', a.id, { kind: 'goods' }), 400, 'kind');
    await refused(() => patch('products', goods.id, { kind: 'service' }), 400, 'kind');
    await refused(
      () => s.call('DELETE', `/api/v1/products/${goods.id}`),
      409,
      'kit_components.component_id',
    );

    const parts = await inTransaction(s.kontor, SYSTEM_ACTOR, (ctx) => kitComponents(ctx, a.id));
    expect(parts).toEqual([
      { componentId: goods.id, quantity: 2000n },
      { componentId: b.id, quantity: 1000n },
    ]);

    // A component taken out and a cycle closed meanwhile: it cannot come back.
    expect((await s.call('DELETE', `/api/v1/kit_components/${bc.id}`)).status).toBe(200);
    await made('kit_components', { kit_id: c.id, component_id: a.id, quantity: '1' });
    await refused(
      () => s.call('POST', `/api/v1/kit_components/${bc.id}/restore`),
      409,
      'component_id',
    );
  });

  test('two kits made parts of each other at the same instant: one of the two is refused', async () => {
    for (let round = 0; round < 5; round++) {
      const tag = uniq();
      const a = await made('products', { name: `Kit A ${tag}`, kind: 'kit' });
      const b = await made('products', { name: `Kit B ${tag}`, kind: 'kit' });
      const results = await Promise.all([
        post('kit_components', { kit_id: a.id, component_id: b.id, quantity: '1' }),
        post('kit_components', { kit_id: b.id, component_id: a.id, quantity: '1' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    }
  });

  test('titles written from a product or unit follow its renaming', async () => {
    const { product, box, pcs, tag } = await setup();
    const list = await made('price_lists', { name: `List ${tag}`, currency: 'EUR' });
    const item = await made('price_list_items', {
      price_list_id: list.id,
      product_id: product.id,
      unit_id: box.id,
      price: { amount: '20', currency: 'EUR' },
    });
    const kit = await made('products', { name: `Set ${tag}`, kind: 'kit' });
    const part = await made('kit_components', {
      kit_id: kit.id,
      component_id: product.id,
      quantity: '3',
    });
    await patch('products', product.id, { name: `Green tea ${tag}` });
    await patch('units', box.id, { code: `crate-${tag}` });
    await patch('units', pcs.id, { code: `pc-${tag}` });
    const title = async (object: string, id: string) =>
      (await s.call('GET', `/api/v1/${object}/${id}`)).body.name;
    expect(await title('price_list_items', item.id)).toBe(`Green tea ${tag}, crate-${tag}`);
    expect(await title('kit_components', part.id)).toBe(`Green tea ${tag} × 3`);
    const units = await s.call('GET', `/api/v1/products/${product.id}/related/product_units`);
    expect(units.body.data.map((u: { name: string }) => u.name)).toContain(
      `crate-${tag} = 12 pc-${tag}`,
    );
  });

  test('products from before the catalog’s new fields take their defaults at start', async () => {
    const p = await made('products', { name: `Old ${uniq()}` });
    await s.kontor.database.db
      .updateTable('products')
      .set({ valuation_method: null, is_discontinued: null })
      .where('id', '=', p.id)
      .execute();
    await s.asSystem((ctx) => catalogModule.seed!(ctx));
    const after = (await s.call('GET', `/api/v1/products/${p.id}`)).body;
    expect(after).toMatchObject({ valuation_method: 'average', is_discontinued: false });
    expect(after.version).toBe(p.version + 1);
  });

  test('the valuation method a product chooses is the one the stock ledger values it by', async () => {
    const tag = uniq();
    const warehouse = await made('warehouses', { name: `Main ${tag}` });
    const valueAfter = async (valuation_method: string) => {
      const p = await made('products', {
        name: `Valued ${tag} ${valuation_method}`,
        valuation_method,
      });
      for (const amount of ['1.00', '3.00'])
        await post('stock/moves', {
          kind: 'receipt',
          product_id: p.id,
          warehouse_id: warehouse.id,
          quantity: '1',
          unit_cost: { amount, currency: 'EUR' },
        });
      await post('stock/moves', {
        kind: 'adjustment',
        product_id: p.id,
        warehouse_id: warehouse.id,
        quantity: '-1',
      });
      // The method stays while the product holds stock.
      await refused(
        () =>
          patch('products', p.id, {
            valuation_method: valuation_method === 'fifo' ? 'average' : 'fifo',
          }),
        400,
        'valuation_method',
      );
      const v = await s.call('GET', `/api/v1/stock/value?product_id=${p.id}`);
      return v.body.products[0].value.amount;
    };
    // FIFO took the first unit (1.00) out; the average took 2.00.
    expect(await valueAfter('fifo')).toBe('3.00');
    expect(await valueAfter('average')).toBe('2.00');
    expect(await verifyStock(s.kontor.database.db)).toMatchObject({ differences: [] });
  });

  test('units in use are not deleted; customer groups choose price lists and companies keep them', async () => {
    const { pcs, box, product, tag } = await setup();
    await refused(() => post('units', { name: 'Again', code: pcs.code }), 409, 'code');
    await refused(() => post('units', { name: 'No code' }), 400, 'code');
    await refused(() => s.call('DELETE', `/api/v1/units/${pcs.id}`), 409, 'products.unit_id');
    await refused(() => s.call('DELETE', `/api/v1/units/${box.id}`), 409, 'product_units.unit_id');
    const spare = await made('units', { name: 'Spare', code: `spare-${tag}` });
    expect((await s.call('DELETE', `/api/v1/units/${spare.id}`)).status).toBe(200);

    // A company points at a customer group of the catalog (a module synced after crm).
    const group = await made('customer_groups', { name: `Retail ${tag}` });
    const company = await made('companies', { name: `Shop ${tag}`, customer_group_id: group.id });
    expect(company.customer_group_id).toBe(group.id);
    await refused(
      () => patch('companies', company.id, { customer_group_id: product.id }),
      400,
      'customer_group_id',
    );
    const list = await made('price_lists', {
      name: `Retail ${tag}`,
      currency: 'EUR',
      customer_group_id: group.id,
    });
    // A group's price list would become everyone's: the group stays while it has lists.
    await refused(
      () => s.call('DELETE', `/api/v1/customer_groups/${group.id}`),
      409,
      'price_lists.customer_group_id',
    );
    expect((await s.call('DELETE', `/api/v1/price_lists/${list.id}`)).status).toBe(200);
    expect((await s.call('DELETE', `/api/v1/customer_groups/${group.id}`)).status).toBe(200);
    expect(
      (await s.call('GET', `/api/v1/companies/${company.id}`)).body.customer_group_id,
    ).toBeNull();
  });
});
