import { describe, expect, test } from 'vitest';
import {
  changedConfig,
  configFromState,
  formatCols,
  isModified,
  parseCols,
  stateFromView,
  tableFilterFromView,
  viewFilterFromTable,
  type SavedView,
} from '../../web/src/pages/table/viewState';

/** The table's address state and a saved view's config, converted both ways. */
describe('view state in the web app', () => {
  const view = (config: Partial<SavedView['config']>): SavedView => ({
    id: '0190b3c4-0000-7000-8000-000000000001',
    object: 'deals',
    name: 'Big',
    owner_id: 'u',
    shared: false,
    version: 1,
    can_edit: true,
    warnings: [],
    config: { columns: [], sort: '', filter: {}, q: '', ...config },
  });

  test('columns read and write as name:width lists, ignoring what is malformed', () => {
    expect(parseCols('name:240,amount,stage_id:160')).toEqual([
      { field: 'name', width: 240 },
      { field: 'amount' },
      { field: 'stage_id', width: 160 },
    ]);
    expect(parseCols('*')).toBeNull();
    expect(parseCols(undefined)).toBeNull();
    expect(parseCols('name,name,Bad,x:5,y:99999')).toEqual([
      { field: 'name' },
      { field: 'x', width: 60 },
      { field: 'y', width: 1000 },
    ]);
    expect(formatCols(null)).toBe('*');
    expect(formatCols([{ field: 'name', width: 240 }, { field: 'amount' }])).toBe(
      'name:240,amount',
    );
  });

  test("the table's filters become the list endpoint's filter object, as listQuery sends them", () => {
    const filters = [
      { field: 'country', op: 'eq', value: 'Germany' },
      { field: 'email', op: 'is_empty', value: '' },
    ];
    const filter = viewFilterFromTable(filters);
    expect(filter).toEqual({
      and: [{ country: { eq: 'Germany' } }, { email: { is_empty: 'true' } }],
    });
    expect(tableFilterFromView(filter)).toEqual({ filters, lossy: false });
    expect(viewFilterFromTable(undefined)).toEqual({});
  });

  test('a view filter written through the API shows as far as the flat list can', () => {
    expect(
      tableFilterFromView({
        status: 'open',
        amount: { gte: '100', lt: '900' },
        id: { in: ['a', 'b'] },
      }),
    ).toEqual({
      filters: [
        { field: 'status', op: 'eq', value: 'open' },
        { field: 'amount', op: 'gte', value: '100' },
        { field: 'amount', op: 'lt', value: '900' },
        { field: 'id', op: 'in', value: 'a,b' },
      ],
      lossy: false,
    });
    const withOr = tableFilterFromView({ status: 'open', or: [{ a: 'x' }, { b: 'y' }] });
    expect(withOr).toEqual({
      filters: [{ field: 'status', op: 'eq', value: 'open' }],
      lossy: true,
    });
  });

  test('a view applied is not modified; a change is, and only the change is saved', () => {
    const v = view({
      columns: [{ field: 'name', width: 200 }],
      sort: '-amount',
      filter: { status: 'open', or: [{ a: 'x' }] },
      q: 'acme',
    });
    const state = stateFromView(v);
    expect(state).toEqual({
      view: v.id,
      sort: '-amount',
      q: 'acme',
      filters: [{ field: 'status', op: 'eq', value: 'open' }],
      cols: 'name:200',
    });
    expect(isModified(state, v)).toBe(false);
    expect(isModified({ ...state, q: 'acme ' }, v)).toBe(false);
    const sorted = { ...state, sort: 'name' };
    expect(isModified(sorted, v)).toBe(true);
    // The or group the table cannot show stays in the view: the filter is not sent.
    expect(changedConfig(sorted, v)).toEqual({ sort: 'name' });
    expect(changedConfig({ ...state, sort: undefined, cols: '*' }, v)).toEqual({
      sort: '',
      columns: [],
    });
    expect(
      configFromState({ view: v.id, filters: [{ field: 'a', op: 'eq', value: 'x' }] }),
    ).toEqual({
      columns: [],
      sort: '',
      filter: { and: [{ a: { eq: 'x' } }] },
      q: '',
    });
  });
});
