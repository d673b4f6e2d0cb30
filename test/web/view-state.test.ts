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

  test("a view's filter goes into the address whole, or groups included, and back", () => {
    const filter = {
      and: [{ country: { eq: 'Germany' } }, { or: [{ city: 'Berlin' }, { city: 'Munich' }] }],
    };
    expect(tableFilterFromView(filter)).toBe(filter);
    expect(viewFilterFromTable(filter)).toBe(filter);
    // No filter is no entry in the address, and an empty object in the view.
    expect(tableFilterFromView({})).toBeUndefined();
    expect(viewFilterFromTable(undefined)).toEqual({});
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
      filter: { status: 'open', or: [{ a: 'x' }] },
      cols: 'name:200',
    });
    expect(isModified(state, v)).toBe(false);
    expect(isModified({ ...state, q: 'acme ' }, v)).toBe(false);
    const sorted = { ...state, sort: 'name' };
    expect(isModified(sorted, v)).toBe(true);
    // Only what changed is sent: the filter, or groups and all, stays as saved.
    expect(changedConfig(sorted, v)).toEqual({ sort: 'name' });
    expect(changedConfig({ ...state, filter: { status: 'won' } }, v)).toEqual({
      filter: { status: 'won' },
    });
    expect(changedConfig({ ...state, sort: undefined, cols: '*' }, v)).toEqual({
      sort: '',
      columns: [],
    });
    expect(configFromState({ view: v.id, filter: { and: [{ a: { eq: 'x' } }] } })).toEqual({
      columns: [],
      sort: '',
      filter: { and: [{ a: { eq: 'x' } }] },
      q: '',
    });
  });
});
