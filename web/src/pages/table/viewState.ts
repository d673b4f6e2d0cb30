/**
 * Saved views of a table, and the table's state in the address that they are saved from.
 *
 * The address holds the whole state of the table: `sort`, `q`, `filters`, `cols` and `view`, the
 * id of the saved view it started from. A `view` without `cols` is a view not applied yet (a
 * link, or the default when the table opens with nothing in the address): the table then writes
 * the view's state into the address. `cols` is `*` for the automatic columns, so that a view
 * whose every setting was cleared by hand stays cleared. `view=none` says "no saved view", so
 * the default does not apply again.
 */

export const NO_VIEW = 'none';
/** `cols` for the automatic choice of columns. */
export const AUTO_COLUMNS = '*';
export const MAX_COLUMNS = 50;
export const MIN_WIDTH = 60;
export const MAX_WIDTH = 1000;

export interface ViewColumn {
  field: string;
  width?: number;
}

/** The list endpoint's filter object, as `filter[...]` query parameters parse into it. */
export type ApiFilter = Record<string, unknown>;

export interface ViewConfig {
  columns: ViewColumn[];
  sort: string;
  filter: ApiFilter;
  q: string;
}

export interface SavedView {
  id: string;
  object: string;
  name: string;
  owner_id: string;
  shared: boolean;
  config: ViewConfig;
  version: number;
  can_edit: boolean;
  warnings: { path: string; message: string }[];
}

export interface ViewDefaults {
  object: string;
  default_view_id: string | null;
  my_default_view_id: string | null;
  shared_default_view_id: string | null;
}

/** The parts of the address that belong to views and columns. */
export interface ViewSearch {
  view?: string;
  cols?: string;
}

/** Reads `view` and `cols` from the address, keeping only well-formed values. */
export function viewSearch(raw: Record<string, unknown>): ViewSearch {
  const out: ViewSearch = {};
  if (typeof raw.view === 'string' && /^[0-9a-z-]{1,40}$/.test(raw.view)) out.view = raw.view;
  if (typeof raw.cols === 'string' && raw.cols.length <= 4000) out.cols = raw.cols;
  return out;
}

/** `name:240,amount` to columns, and back. */
export function parseCols(text: string | undefined): ViewColumn[] | null {
  if (text === undefined || text === AUTO_COLUMNS || text === '') return null;
  const out: ViewColumn[] = [];
  for (const part of text.split(',')) {
    const [field, w] = part.split(':');
    if (!/^[a-z][a-z0-9_]*$/.test(field) || out.some((c) => c.field === field)) continue;
    const width = Number(w);
    out.push(
      w !== undefined && Number.isInteger(width)
        ? { field, width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width)) }
        : { field },
    );
  }
  return out.length ? out.slice(0, MAX_COLUMNS) : null;
}

export function formatCols(cols: ViewColumn[] | null): string {
  if (!cols || !cols.length) return AUTO_COLUMNS;
  return cols.map((c) => (c.width ? `${c.field}:${c.width}` : c.field)).join(',');
}

// ----- The two converters between the table's filter state and a view's filter. -----
// The table keeps its filters in the address as a flat list of conditions that all hold; a
// view keeps the list endpoint's filter object. Only these two functions know both shapes.

/** The table's filter state as the list endpoint's filter object (what listQuery sends). */
export function viewFilterFromTable(filters: TableCondition[] | undefined): ApiFilter {
  if (!filters?.length) return {};
  return {
    and: filters.map((c) => ({ [c.field]: { [c.op]: c.op === 'is_empty' ? 'true' : c.value } })),
  };
}

/**
 * A view's filter as the table's filter state. Conditions side by side and `and` groups become
 * the flat list; `or` groups cannot be shown in it and are left out (`lossy` says so).
 */
export function tableFilterFromView(filter: ApiFilter): {
  filters: TableCondition[] | undefined;
  lossy: boolean;
} {
  const out: TableCondition[] = [];
  let lossy = false;
  const walk = (group: unknown) => {
    if (!group || typeof group !== 'object' || Array.isArray(group)) {
      lossy = true;
      return;
    }
    for (const [key, value] of Object.entries(group)) {
      if (key === 'or') {
        lossy = true;
        continue;
      }
      if (key === 'and') {
        const list = Array.isArray(value) ? value : Object.values(value ?? {});
        list.forEach(walk);
        continue;
      }
      if (typeof value === 'string') {
        out.push({ field: key, op: 'eq', value });
      } else if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [op, v] of Object.entries(value)) {
          if (op === 'is_empty' && v !== 'true') lossy = true;
          else if (typeof v === 'string')
            out.push({ field: key, op, value: op === 'is_empty' ? '' : v });
          else if (Array.isArray(v)) out.push({ field: key, op, value: v.join(',') });
          else lossy = true;
        }
      } else {
        lossy = true;
      }
    }
  };
  walk(filter);
  return { filters: out.length ? out : undefined, lossy };
}

// ----- Between the address and a view's config. -----

/** A filter condition as the table keeps it in the address (all of them hold together). */
export interface TableCondition {
  field: string;
  op: string;
  value: string;
}

/** The table's state in the address. */
export interface TableState extends ViewSearch {
  sort?: string;
  q?: string;
  filters?: TableCondition[];
}

/** The address state that shows a saved view as it was saved. */
export function stateFromView(view: SavedView): TableState {
  const c = view.config;
  return {
    view: view.id,
    sort: c.sort || undefined,
    q: c.q || undefined,
    filters: tableFilterFromView(c.filter).filters,
    cols: formatCols(c.columns),
  };
}

/** What would be saved from the table's state. */
export function configFromState(state: TableState): ViewConfig {
  return {
    columns: parseCols(state.cols) ?? [],
    sort: state.sort ?? '',
    filter: viewFilterFromTable(state.filters),
    q: (state.q ?? '').trim(),
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The parts of the table's state that differ from the saved view, to save into it. A filter the
 * table cannot show whole (`or` groups) is sent only when it was changed here, so saving a new
 * sort does not lose it.
 */
export function changedConfig(state: TableState, view: SavedView): Partial<ViewConfig> {
  const next = configFromState(state);
  const saved = stateFromView(view);
  const out: Partial<ViewConfig> = {};
  if (next.sort !== (saved.sort ?? '')) out.sort = next.sort;
  if (next.q !== (saved.q ?? '')) out.q = next.q;
  if (!same(next.filter, viewFilterFromTable(saved.filters))) out.filter = next.filter;
  if (formatCols(next.columns) !== saved.cols) out.columns = next.columns;
  return out;
}

/** Whether the table shows something other than the saved view. */
export function isModified(state: TableState, view: SavedView): boolean {
  const saved = stateFromView(view);
  return (
    (state.sort ?? '') !== (saved.sort ?? '') ||
    (state.q ?? '').trim() !== (saved.q ?? '') ||
    !same(viewFilterFromTable(state.filters), viewFilterFromTable(saved.filters)) ||
    formatCols(parseCols(state.cols)) !== saved.cols
  );
}

/** Fields offered as columns: every readable field but the bookkeeping of deleted records. */
export function columnChoices<F extends { name: string }>(object: { fields: F[] }): F[] {
  return object.fields.filter((f) => !['deleted_at', 'merged_into_id'].includes(f.name));
}
