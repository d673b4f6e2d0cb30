import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import {
  formatCols,
  isModified,
  NO_VIEW,
  parseCols,
  stateFromView,
  tableFilterFromView,
  type SavedView,
  type TableState,
  type ViewConfig,
  type ViewDefaults,
} from './viewState';

export * from './viewState';

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
  | { kind: 'update'; view: SavedView; name?: string; config?: Partial<ViewConfig> }
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
  const empty = !state.view && !state.sort && !state.q && !state.filter && !state.cols;
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
    /** The view named in the address is gone (deleted, or no longer shared). */
    gone,
    waiting: views.isPending ? empty || pending : !!defaultView || (pending && !!list),
  };
}
