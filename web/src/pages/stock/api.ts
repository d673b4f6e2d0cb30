import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ObjectMeta, type Page } from '../../api/client';
import { useObjects } from '../../api/hooks';
import type { Money } from './quantities';

/** The stock endpoints' answers (docs/api.md, "stock"). */

export interface Balance {
  product_id: string;
  warehouse_id: string;
  on_hand: string;
  reserved: string;
  available: string;
  incoming: string;
}

export type MoveKind =
  | 'receipt'
  | 'shipment'
  | 'adjustment'
  | 'transfer'
  | 'production_in'
  | 'production_out'
  | 'reversal';

export interface Move {
  id: string;
  posting_id: string;
  kind: MoveKind;
  product_id: string;
  warehouse_id: string;
  quantity: string;
  unit_cost: Money | null;
  value: Money | null;
  document: { object: string; id: string; line_id: string | null } | null;
  reverses_posting_id: string | null;
  note: string | null;
  occurred_at: string;
  created_at: string;
}

export interface ProductValue {
  product_id: string;
  quantity: string;
  value: Money | null;
  average_unit_cost: Money | null;
}

export interface StockValue {
  at: string | null;
  totals: Money[];
  /** Absent when there are too many products to list. */
  products?: ProductValue[];
}

/** Every stock query's key starts with this, so one change refreshes them all. */
export const STOCK = 'stock';

export function useBalances(by: { product_id?: string; warehouse_id?: string }) {
  const params = new URLSearchParams(by as Record<string, string>).toString();
  return useQuery({
    queryKey: [STOCK, 'balances', params],
    queryFn: async () =>
      (await api<{ data: Balance[] }>('GET', `/api/v1/stock/balances?${params}`)).data,
  });
}

export function useMoves(productId: string, limit: number) {
  return useQuery({
    queryKey: [STOCK, 'moves', productId, limit],
    queryFn: async () =>
      (
        await api<{ data: Move[] }>(
          'GET',
          `/api/v1/stock/moves?product_id=${encodeURIComponent(productId)}&limit=${limit}`,
        )
      ).data,
  });
}

/** Stock value now, or at an instant (ISO); for one product or all. */
export function useStockValue(by: { product_id?: string; at?: string | null }) {
  const p = new URLSearchParams();
  if (by.product_id) p.set('product_id', by.product_id);
  if (by.at) p.set('at', by.at);
  const params = p.toString();
  return useQuery({
    queryKey: [STOCK, 'value', params],
    queryFn: () => api<StockValue>('GET', `/api/v1/stock/value${params ? `?${params}` : ''}`),
  });
}

/** Refreshes every stock figure on screen after a posting. */
export function useRefreshStock() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [STOCK] });
}

/** The active warehouses, by name: where stock can be posted. */
export function useActiveWarehouses(enabled = true) {
  return useQuery({
    queryKey: ['list', 'warehouses', 'active-for-stock'],
    enabled,
    queryFn: async () => {
      const p = new URLSearchParams({
        limit: '500',
        sort: 'name',
        fields: 'name,code',
        'filter[is_active][ne]': 'false',
      });
      return (await api<Page>('GET', `/api/v1/warehouses?${p.toString()}`)).data;
    },
  });
}

/**
 * Titles of records of several objects at once (`{object, id}` pairs): warehouses, products and
 * the documents that moves came from. One request per object and 500 ids; ids the caller may
 * not read are missing from the answer.
 */
export function useRecordTitles(refs: { object: string; id: string }[]): {
  titles: Map<string, string>;
  loading: boolean;
} {
  const objects = useObjects();
  const byObject = new Map<string, Set<string>>();
  for (const r of refs) {
    if (!byObject.has(r.object)) byObject.set(r.object, new Set());
    byObject.get(r.object)!.add(r.id);
  }
  const wanted = [...byObject.entries()]
    .map(([object, ids]) => ({
      meta: objects.data?.find((o) => o.name === object),
      object,
      ids: [...ids].sort(),
    }))
    .sort((a, b) => (a.object < b.object ? -1 : 1));
  const results = useQueries({
    queries: wanted.map(({ meta, object, ids }) => ({
      queryKey: ['titles', object, ids.join(',')],
      enabled: !!meta,
      staleTime: 60_000,
      queryFn: () => fetchTitles(meta!, ids),
    })),
  });
  // Keyed "object/id"; a record the user may not read is missing.
  const titles = new Map<string, string>();
  results.forEach((r, i) => {
    for (const [id, title] of r.data ?? []) titles.set(`${wanted[i].object}/${id}`, title);
  });
  return { titles, loading: results.some((r) => r.isFetching && !r.data) };
}

async function fetchTitles(meta: ObjectMeta, ids: string[]) {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const p = new URLSearchParams({ limit: '500', fields: meta.title_field });
    p.set('filter[id][in]', ids.slice(i, i + 500).join(','));
    const page = await api<Page>('GET', `/api/v1/${meta.name}?${p.toString()}`);
    for (const r of page.data) names.set(r.id, String(r[meta.title_field] ?? r.id));
  }
  return names;
}
