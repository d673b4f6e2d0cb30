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

// ----- Between the table's filter and a view's filter. -----
// The table keeps the list endpoint's filter object itself in the address (filters.ts reads it
// into the tree the builder shows), so a view's filter is shown whole, `or` groups included.

/** The table's filter as a view keeps it: an empty filter is `{}`. */
export function viewFilterFromTable(filter: ApiFilter | undefined): ApiFilter {
  return filter && Object.keys(filter).length ? filter : {};
}

/** A view's filter as the table keeps it in the address: no filter is no entry at all. */
export function tableFilterFromView(filter: ApiFilter | undefined): ApiFilter | undefined {
  return filter && Object.keys(filter).length ? filter : undefined;
}

// ----- Between the address and a view's config. -----

/** The table's state in the address. */
export interface TableState extends ViewSearch {
  sort?: string;
  q?: string;
  /** The list endpoint's filter object (see filters.ts). */
  filter?: ApiFilter;
}

/** The address state that shows a saved view as it was saved. */
export function stateFromView(view: SavedView): TableState {
  const c = view.config;
  return {
    view: view.id,
    sort: c.sort || undefined,
    q: c.q || undefined,
    filter: tableFilterFromView(c.filter),
    cols: formatCols(c.columns),
  };
}

/** What would be saved from the table's state. */
export function configFromState(state: TableState): ViewConfig {
  return {
    columns: parseCols(state.cols) ?? [],
    sort: state.sort ?? '',
    filter: viewFilterFromTable(state.filter),
    q: (state.q ?? '').trim(),
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The parts of the table's state that differ from the saved view, to save into it. */
export function changedConfig(state: TableState, view: SavedView): Partial<ViewConfig> {
  const next = configFromState(state);
  const saved = stateFromView(view);
  const out: Partial<ViewConfig> = {};
  if (next.sort !== (saved.sort ?? '')) out.sort = next.sort;
  if (next.q !== (saved.q ?? '')) out.q = next.q;
  if (!same(next.filter, viewFilterFromTable(saved.filter))) out.filter = next.filter;
  if (formatCols(next.columns) !== saved.cols) out.columns = next.columns;
  return out;
}

/** Whether the table shows something other than the saved view. */
export function isModified(state: TableState, view: SavedView): boolean {
  const saved = stateFromView(view);
  return (
    (state.sort ?? '') !== (saved.sort ?? '') ||
    (state.q ?? '').trim() !== (saved.q ?? '') ||
    !same(viewFilterFromTable(state.filter), viewFilterFromTable(saved.filter)) ||
    formatCols(parseCols(state.cols)) !== saved.cols
  );
}

/** Fields offered as columns: every readable field but the bookkeeping of deleted records. */
export function columnChoices<F extends { name: string }>(object: { fields: F[] }): F[] {
  return object.fields.filter((f) => !['deleted_at', 'merged_into_id'].includes(f.name));
}
