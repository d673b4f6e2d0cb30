import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type FieldMeta, type ObjectMeta } from '../../api/client';
import type { Condition, TableSearch } from '../ObjectTable';

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
export const DEFAULT_WIDTH = 160;

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
export function viewFilterFromTable(filters: Condition[] | undefined): ApiFilter {
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
  filters: Condition[] | undefined;
  lossy: boolean;
} {
  const out: Condition[] = [];
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

export type TableState = Pick<TableSearch, 'sort' | 'q' | 'filters'> & ViewSearch;

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
export function columnChoices(object: ObjectMeta): FieldMeta[] {
  return object.fields.filter((f) => !['deleted_at', 'merged_into_id'].includes(f.name));
}

// ----- The server. -----

export function useViews(object: string) {
  return useQuery({
    queryKey: ['views', object],
    staleTime: 30_000,
    queryFn: () =>
      api<{ data: SavedView[]; defaults: ViewDefaults }>(
        'GET',
        `/api/v1/views?object=${encodeURIComponent(object)}`,
      ),
  });
}

export type ViewAction =
  | { kind: 'create'; name: string; shared: boolean; config: ViewConfig }
  | { kind: 'update'; view: SavedView; name?: string; config?: ViewConfig }
  | { kind: 'delete'; view: SavedView }
  | { kind: 'myDefault'; viewId: string | null }
  | { kind: 'sharedDefault'; viewId: string | null };

/** Every change to views goes through here; the list is fetched again after each. */
export function useViewAction(object: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (a: ViewAction): Promise<SavedView | null> => {
      const defaults = `/api/v1/views/defaults/${encodeURIComponent(object)}`;
      switch (a.kind) {
        case 'create':
          return api<SavedView>('POST', '/api/v1/views', {
            object,
            name: a.name,
            shared: a.shared,
            config: a.config,
          });
        case 'update':
          return api<SavedView>(
            'PATCH',
            `/api/v1/views/${a.view.id}`,
            {
              ...(a.name !== undefined ? { name: a.name } : {}),
              ...(a.config ? { config: a.config } : {}),
            },
            { 'if-match': `"${a.view.version}"` },
          );
        case 'delete':
          await api('DELETE', `/api/v1/views/${a.view.id}`, undefined, {
            'if-match': `"${a.view.version}"`,
          });
          return null;
        case 'myDefault':
        case 'sharedDefault': {
          const path = `${defaults}/${a.kind === 'myDefault' ? 'mine' : 'shared'}`;
          if (a.viewId) await api('PUT', path, { view_id: a.viewId });
          else await api('DELETE', path);
          return null;
        }
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['views', object] }),
  });
}

/**
 * The saved view the table shows, applied when the address names one not yet applied, or the
 * default one when the table opens with nothing in the address. `waiting` holds the list back
 * until it is known which state it shows, so a table never loads twice on opening.
 */
export function useSavedView(object: string, state: TableState, apply: (next: TableState) => void) {
  const views = useViews(object);
  const list = views.data;
  const empty = !state.view && !state.sort && !state.q && !state.filters && !state.cols;
  const pending = !!state.view && state.view !== NO_VIEW && state.cols === undefined;
  const defaultView = empty
    ? list?.data.find((v) => v.id === list.defaults.default_view_id)
    : undefined;
  const named = pending ? list?.data.find((v) => v.id === state.view) : undefined;
  const [gone, setGone] = useState(false);
  useEffect(() => {
    if (state.view !== NO_VIEW) setGone(false);
  }, [state.view]);
  useEffect(() => {
    if (!list) return;
    if (defaultView) apply(stateFromView(defaultView));
    else if (pending) {
      if (named) apply(stateFromView(named));
      else {
        setGone(true);
        apply({ ...state, view: NO_VIEW, cols: formatCols(parseCols(state.cols)) });
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list, defaultView?.id, pending, named?.id]);
  const current =
    state.view && state.view !== NO_VIEW ? list?.data.find((v) => v.id === state.view) : undefined;
  return {
    views,
    current,
    modified: current && !pending ? isModified(state, current) : false,
    /** The view's filter has parts the table cannot show. */
    lossy: current ? tableFilterFromView(current.config.filter).lossy : false,
    /** The view named in the address is gone (deleted, or no longer shared). */
    gone,
    waiting: views.isPending ? empty || pending : !!defaultView || (pending && !!list),
  };
}
