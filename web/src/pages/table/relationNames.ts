import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, type ApiRecord, type FieldMeta, type Page } from '../../api/client';
import { useObjects } from '../../api/hooks';

/** People by id (owners, authors); the same query the record page uses. */
function useUserNames(enabled: boolean) {
  return useQuery({
    queryKey: ['users'],
    enabled,
    staleTime: 60_000,
    queryFn: async () =>
      (await api<{ data: { id: string; name: string }[] }>('GET', '/api/v1/users')).data,
  });
}

/**
 * Names for the relation columns' values on the pages of rows in sight: one request per page
 * and target object, each fetched once, so that scrolling far never asks for every row seen.
 */
export function useRelationNames(
  columns: FieldMeta[],
  pages: ApiRecord[][],
  pagesInSight: number[],
): Map<string, string> {
  const objects = useObjects();
  const relations = columns.filter((c) => c.type === 'relation' && c.target);
  const users = useUserNames(relations.some((c) => c.target === 'users'));
  const targets = [...new Set(relations.map((c) => c.target!))].filter((t) => t !== 'users');
  const wanted: { target: string; ids: string[] }[] = [];
  for (const target of targets) {
    const fields = relations.filter((c) => c.target === target);
    for (const p of pagesInSight) {
      const ids = new Set<string>();
      for (const r of pages[p] ?? [])
        for (const f of fields) if (typeof r[f.name] === 'string') ids.add(r[f.name] as string);
      if (ids.size) wanted.push({ target, ids: [...ids].sort() });
    }
  }
  const results = useQueries({
    queries: wanted.map(({ target, ids }) => {
      const meta = objects.data?.find((o) => o.name === target);
      return {
        queryKey: ['titles', target, ids.join(',')],
        enabled: !!meta,
        staleTime: 60_000,
        queryFn: async () => {
          const names = new Map<string, string>();
          for (let i = 0; i < ids.length; i += 500) {
            const p = new URLSearchParams({ limit: '500', fields: meta!.title_field });
            p.set('filter[id][in]', ids.slice(i, i + 500).join(','));
            const page = await api<Page>('GET', `/api/v1/${target}?${p.toString()}`);
            for (const r of page.data) names.set(r.id, String(r[meta!.title_field] ?? r.id));
          }
          return names;
        },
      };
    }),
  });
  // The same map while nothing new arrived, so rows drawn with it need not be drawn again.
  const stamp = [users.dataUpdatedAt, ...results.map((r) => r.dataUpdatedAt)].join(',');
  return useMemo(() => {
    const out = new Map<string, string>();
    for (const u of users.data ?? []) out.set(u.id, u.name);
    for (const r of results) for (const [k, v] of r.data ?? []) out.set(k, v);
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stamp]);
}
