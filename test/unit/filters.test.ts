import qs from 'qs';
import { describe, expect, test } from 'vitest';
import {
  filterFromSearch,
  filterParams,
  fromApiFilter,
  majorToMinor,
  minorToMajor,
  startOfDay,
  toApiFilter,
  type ApiFilter,
  type FilterCondition,
  type FilterObject,
  type FilterTree,
} from '../../web/src/pages/table/filters';

const companies: FilterObject = {
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'country', label: 'Country', type: 'text' },
    { name: 'city', label: 'City', type: 'text' },
    { name: 'phone', label: 'Phone', type: 'phone' },
    { name: 'is_customer', label: 'Customer', type: 'boolean' },
    { name: 'employees', label: 'Employees', type: 'integer' },
    { name: 'margin', label: 'Margin', type: 'decimal' },
    { name: 'founded', label: 'Founded', type: 'date' },
    { name: 'created_at', label: 'Created', type: 'datetime' },
    {
      name: 'tier',
      label: 'Tier',
      type: 'select',
      options: [
        { value: 'gold', label: 'Gold' },
        { value: 'silver', label: 'Silver' },
      ],
    },
    {
      name: 'tags',
      label: 'Tags',
      type: 'multi_select',
      options: [{ value: 'vip', label: 'VIP' }],
    },
    { name: 'revenue', label: 'Revenue', type: 'currency' },
    { name: 'won_amount', label: 'Won', type: 'computed', result_type: 'currency' },
    { name: 'parent_id', label: 'Parent', type: 'relation', target: 'companies' },
  ],
};

/** The server's query-string parser, with the options of server/src/http/app.ts. */
function serverParse(filter: ApiFilter | undefined): unknown {
  const query = new URLSearchParams(filterParams(filter)).toString();
  return qs.parse(query, {
    depth: 8,
    arrayLimit: 500,
    parameterLimit: 2000,
    plainObjects: true,
    allowPrototypes: true,
  }).filter;
}

const cond = (field: string, op: FilterCondition['op'], value: string | string[], extra = {}) =>
  ({ kind: 'cond', field, op, value, ...extra }) as FilterCondition;

const germanCities: FilterTree = {
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
};

describe('toApiFilter', () => {
  test('an "any of" group inside "all of" becomes the nested and/or the endpoint takes', () => {
    const filter = toApiFilter(germanCities);
    expect(filter).toEqual({
      and: [
        { country: { eq: 'Germany' } },
        { or: [{ city: { eq: 'Berlin' } }, { city: { eq: 'Munich' } }] },
      ],
    });
    expect(filterParams(filter)).toEqual([
      ['filter[and][0][country][eq]', 'Germany'],
      ['filter[and][1][or][0][city][eq]', 'Berlin'],
      ['filter[and][1][or][1][city][eq]', 'Munich'],
    ]);
    // Sent as query parameters, the server reads back exactly this object.
    expect(serverParse(filter)).toEqual(filter);
  });

  test('an empty tree, empty groups and conditions without a value send nothing', () => {
    expect(toApiFilter({ kind: 'group', match: 'all', children: [] })).toBeUndefined();
    expect(
      toApiFilter({
        kind: 'group',
        match: 'any',
        children: [cond('city', 'eq', ''), { kind: 'group', match: 'all', children: [] }],
      }),
    ).toBeUndefined();
    // A group of one condition is that condition.
    expect(
      toApiFilter({
        kind: 'group',
        match: 'any',
        children: [{ kind: 'group', match: 'all', children: [cond('city', 'contains', 'ber')] }],
      }),
    ).toEqual({ or: [{ city: { contains: 'ber' } }] });
  });

  test('money is sent in minor units of its currency, with the currency beside it', () => {
    const tree: FilterTree = {
      kind: 'group',
      match: 'all',
      children: [
        cond('revenue', 'gte', '1000.5', { currency: 'EUR' }),
        cond('revenue', 'lt', '1 000 000', { currency: 'JPY' }),
        cond('won_amount', 'gt', '12,34', { currency: '' }),
      ],
    };
    const filter = toApiFilter(tree);
    expect(filter).toEqual({
      and: [
        { revenue: { gte: '100050' }, 'revenue.currency': { eq: 'EUR' } },
        { revenue: { lt: '1000000' }, 'revenue.currency': { eq: 'JPY' } },
        { won_amount: { gt: '1234' } },
      ],
    });
    expect(serverParse(filter)).toEqual(filter);
  });

  test('a date never shifts; a date-time day is its bounds in the time zone', () => {
    const tree: FilterTree = {
      kind: 'group',
      match: 'all',
      children: [
        cond('founded', 'lt', '2001-01-01'),
        cond('created_at', 'on', '2026-03-29', { zone: 'Europe/Berlin' }),
        cond('created_at', 'gte', '2026-07-01', { zone: 'America/New_York' }),
      ],
    };
    expect(toApiFilter(tree)).toEqual({
      and: [
        { founded: { lt: '2001-01-01' } },
        // The day summer time starts in Berlin: 23 hours long.
        { created_at: { gte: '2026-03-28T23:00:00.000Z', lt: '2026-03-29T22:00:00.000Z' } },
        { created_at: { gte: '2026-07-01T04:00:00.000Z' } },
      ],
    });
  });

  test('lists travel as a,b when they can and as numbered values when a value has a comma', () => {
    const tree: FilterTree = {
      kind: 'group',
      match: 'any',
      children: [
        cond('tier', 'in', ['gold', 'silver']),
        cond('name', 'in', ['Smith, Jones & Co', 'Acme']),
        cond('phone', 'is_empty', 'false'),
      ],
    };
    const filter = toApiFilter(tree);
    expect(filter).toEqual({
      or: [
        { tier: { in: 'gold,silver' } },
        { name: { in: ['Smith, Jones & Co', 'Acme'] } },
        { phone: { is_empty: 'false' } },
      ],
    });
    expect(serverParse(filter)).toEqual(filter);
  });

  test('two groups deep still fits the server parser', () => {
    const tree: FilterTree = {
      kind: 'group',
      match: 'any',
      children: [
        {
          kind: 'group',
          match: 'all',
          children: [
            cond('country', 'eq', 'Germany'),
            {
              kind: 'group',
              match: 'any',
              children: [cond('tier', 'in', ['gold', 'silver']), cond('employees', 'gt', '100')],
            },
          ],
        },
        cond('country', 'eq', 'France'),
      ],
    };
    const filter = toApiFilter(tree);
    expect(serverParse(filter)).toEqual(filter);
  });
});

describe('fromApiFilter', () => {
  const roundTrip = (tree: FilterTree, timeZone?: string) => {
    const { tree: back, errors } = fromApiFilter(toApiFilter(tree), companies, { timeZone });
    expect(errors).toEqual([]);
    expect(back).toEqual(tree);
  };

  test('gives back the tree that toApiFilter sent', () => {
    roundTrip(germanCities);
    roundTrip({
      kind: 'group',
      match: 'any',
      children: [
        cond('revenue', 'gte', '1000.50', { currency: 'EUR' }),
        cond('revenue', 'lt', '1000000', { currency: 'JPY' }),
        cond('won_amount', 'gt', '-0.05', { currency: '' }),
        cond('revenue', 'is_empty', 'true'),
        cond('revenue', 'eq', 'USD', { sub: 'currency' }),
        cond('tier', 'in', ['gold', 'silver']),
        cond('name', 'in', ['Smith, Jones & Co', 'Acme']),
        cond('is_customer', 'eq', 'true'),
        cond('founded', 'gte', '1999-12-31'),
        cond('parent_id', 'eq', '0190c0de-0000-7000-8000-000000000001'),
        cond('tags', 'contains', 'vip'),
        cond('phone', 'is_empty', 'false'),
        {
          kind: 'group',
          match: 'all',
          children: [cond('country', 'ne', 'Germany'), cond('employees', 'lte', '50')],
        },
      ],
    });
    roundTrip(
      {
        kind: 'group',
        match: 'all',
        children: [
          cond('created_at', 'on', '2026-03-29', { zone: 'Europe/Berlin' }),
          cond('created_at', 'lt', '2026-01-01', { zone: 'Europe/Berlin' }),
        ],
      },
      'Europe/Berlin',
    );
  });

  test('reads what people and integrations write: side by side, numbered objects, bare values', () => {
    const { tree, errors } = fromApiFilter(
      {
        country: 'Germany',
        employees: { gte: '10', lt: '100' },
        or: { 0: { city: 'Berlin' }, 1: { city: { starts_with: 'Mün' }, tier: 'gold' } },
        revenue: { gt: '100000' },
        created_at: { gte: '2026-03-02' },
      },
      companies,
      { timeZone: 'Europe/Kyiv' },
    );
    expect(errors).toEqual([]);
    expect(tree).toEqual({
      kind: 'group',
      match: 'all',
      children: [
        cond('country', 'eq', 'Germany'),
        cond('employees', 'gte', '10'),
        cond('employees', 'lt', '100'),
        cond('revenue', 'gt', '1000.00', { currency: '' }),
        // The server reads a bare day as UTC midnight; so does the tree.
        cond('created_at', 'gte', '2026-03-02', { zone: 'UTC' }),
        {
          kind: 'group',
          match: 'any',
          children: [
            cond('city', 'eq', 'Berlin'),
            {
              kind: 'group',
              match: 'all',
              children: [cond('city', 'starts_with', 'Mün'), cond('tier', 'eq', 'gold')],
            },
          ],
        },
      ],
    });
    // And sends the same rows' filter again.
    expect(toApiFilter(tree)).toEqual({
      and: [
        { country: { eq: 'Germany' } },
        { employees: { gte: '10' } },
        { employees: { lt: '100' } },
        { revenue: { gt: '100000' } },
        { created_at: { gte: '2026-03-02T00:00:00.000Z' } },
        {
          or: [
            { city: { eq: 'Berlin' } },
            { and: [{ city: { starts_with: 'Mün' } }, { tier: { eq: 'gold' } }] },
          ],
        },
      ],
    });
  });

  test('a top-level "or" is a tree that matches any; "and" inside "and" flattens', () => {
    const { tree } = fromApiFilter(
      { or: [{ city: 'Berlin' }, { or: [{ city: 'Paris' }, { city: 'Rome' }] }] },
      companies,
    );
    expect(tree).toEqual({
      kind: 'group',
      match: 'any',
      children: [
        cond('city', 'eq', 'Berlin'),
        cond('city', 'eq', 'Paris'),
        cond('city', 'eq', 'Rome'),
      ],
    });
    expect(
      fromApiFilter({ and: [{ and: [{ city: 'Berlin' }, { country: 'Germany' }] }] }, companies)
        .tree,
    ).toEqual({
      kind: 'group',
      match: 'all',
      children: [cond('city', 'eq', 'Berlin'), cond('country', 'eq', 'Germany')],
    });
  });

  test('says what it cannot show instead of dropping it silently', () => {
    const { tree, errors } = fromApiFilter(
      {
        nope: 'x',
        country: { like: 'G%' },
        tags: { eq: 'vip' },
        city: ['Berlin', 'Paris'],
        'revenue.cents': '5',
        is_customer: { is_empty: 'maybe' },
        or: 'x',
        and: [{}, { name: { contains: 'a' } }],
        revenue: { gt: '12.5' },
      },
      companies,
    );
    expect(tree.children).toEqual([cond('name', 'contains', 'a')]);
    expect(errors.map((e) => e.path)).toEqual([
      'filter[nope]',
      'filter[country][like]',
      'filter[tags][eq]',
      'filter[city]',
      'filter[revenue.cents]',
      'filter[is_customer][is_empty]',
      'filter[or]',
      'filter[and][0]',
      'filter[revenue][gt]',
    ]);

    const deep = fromApiFilter(
      {
        or: [
          {
            and: [
              {
                or: [
                  { city: 'A' },
                  { and: [{ city: 'B' }, { or: [{ city: 'C' }, { city: 'D' }] }] },
                ],
              },
              { country: 'X' },
            ],
          },
          { city: 'E' },
        ],
      },
      companies,
    );
    expect(deep.errors).toEqual([{ path: 'filter', message: 'groups nest more than 2 deep' }]);
    expect(deep.tree.children).toEqual([cond('city', 'eq', 'E')]);
  });

  test('nothing is an empty tree', () => {
    expect(fromApiFilter(undefined, companies)).toEqual({
      tree: { kind: 'group', match: 'all', children: [] },
      errors: [],
    });
  });
});

describe('the address', () => {
  test("keeps the API form, and reads an old link's flat list of conditions", () => {
    const filter = toApiFilter(germanCities)!;
    expect(filterFromSearch({ filter })).toEqual(filter);
    expect(filterFromSearch({ filter: JSON.stringify(filter) })).toEqual(filter);
    expect(
      filterFromSearch({
        filters: [
          { field: 'country', op: 'eq', value: 'France' },
          { field: 'phone', op: 'is_empty', value: '' },
          { field: 'broken' },
        ],
      }),
    ).toEqual({ and: [{ country: { eq: 'France' } }, { phone: { is_empty: 'true' } }] });
    expect(filterFromSearch({ filter: { a: 1 } })).toBeUndefined();
    expect(filterFromSearch({ filter: '{not json' })).toBeUndefined();
    expect(filterFromSearch({})).toBeUndefined();
  });
});

describe('money and days', () => {
  test('major and minor units convert as text, never through a float', () => {
    expect(majorToMinor('0.1', 2)).toBe('10');
    expect(majorToMinor('1 234,56', 2)).toBe('123456');
    expect(majorToMinor('-12.3', 2)).toBe('-1230');
    expect(majorToMinor('12.345', 2)).toBeNull();
    expect(majorToMinor('1e3', 2)).toBeNull();
    expect(majorToMinor('500', 0)).toBe('500');
    expect(majorToMinor('90071992547409.93', 2)).toBe('9007199254740993');
    expect(minorToMajor('5', 2)).toBe('0.05');
    expect(minorToMajor('-5', 2)).toBe('-0.05');
    expect(minorToMajor('123456', 3)).toBe('123.456');
    expect(minorToMajor('500', 0)).toBe('500');
    expect(minorToMajor('1.5', 2)).toBeNull();
  });

  test("a day starts at the zone's midnight, summer time included", () => {
    expect(startOfDay('2026-01-15', 'Europe/Kyiv')).toBe('2026-01-14T22:00:00.000Z');
    expect(startOfDay('2026-07-15', 'Europe/Kyiv')).toBe('2026-07-14T21:00:00.000Z');
    expect(startOfDay('2026-03-02', 'UTC')).toBe('2026-03-02T00:00:00.000Z');
  });
});
