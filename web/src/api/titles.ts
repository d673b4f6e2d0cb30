import { useQuery } from '@tanstack/react-query';
import { api, type ObjectMeta, type Page } from './client';
import { useObjects } from './hooks';

/** Names of the records that relation values point at, fetched 500 ids a request. */
export function useTitles(target: string | undefined, ids: string[]) {
  const objects = useObjects();
  const meta: ObjectMeta | undefined = objects.data?.find((o) => o.name === target);
  const unique = [...new Set(ids)].sort();
  return useQuery({
    queryKey: ['titles', target, unique.join(',')],
    enabled: !!meta && unique.length > 0,
    staleTime: 60_000,
    queryFn: async () => {
      const names = new Map<string, string>();
      for (let i = 0; i < unique.length; i += 500) {
        const part = unique.slice(i, i + 500);
        const p = new URLSearchParams({ limit: '500', fields: meta!.title_field });
        p.set('filter[id][in]', part.join(','));
        const page = await api<Page>('GET', `/api/v1/${meta!.name}?${p.toString()}`);
        for (const r of page.data) names.set(r.id, String(r[meta!.title_field] ?? r.id));
      }
      return names;
    },
  });
}
