import { Spotlight, spotlight, type SpotlightActionData } from '@mantine/spotlight';
import '@mantine/spotlight/styles.css';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../api/client';
import { useObjects } from '../api/hooks';
import { useTranslation } from 'react-i18next';

interface Hit {
  object: string;
  label: string;
  id: string;
  title: string;
}

/** Search across every object, opened with Ctrl+K (Cmd+K); arrow keys and Enter pick a record. */
export function GlobalSearch() {
  const { t } = useTranslation(['shell', 'common']);
  const navigate = useNavigate();
  const objects = useObjects();
  const [query, setQuery] = useState('');
  const [q] = useDebouncedValue(query, 200);
  const hits = useQuery({
    queryKey: ['search', q],
    enabled: q.trim().length > 0,
    queryFn: async () =>
      (await api<{ data: Hit[] }>('GET', `/api/v1/search?q=${encodeURIComponent(q.trim())}`)).data,
  });
  const actions: SpotlightActionData[] = (hits.data ?? []).map((h) => ({
    id: `${h.object}:${h.id}`,
    label: h.title || t('common:noName'),
    description: objects.data?.find((o) => o.name === h.object)?.label_singular ?? h.label,
    onClick: () => void navigate({ to: '/o/$object/$id', params: { object: h.object, id: h.id } }),
  }));
  return (
    <Spotlight
      actions={actions}
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      filter={(_q, a) => a}
      nothingFound={
        q.trim() ? (hits.isFetching ? t('searching') : t('nothingFound')) : t('typeToSearch')
      }
      searchProps={{
        placeholder: t('searchPlaceholder'),
        'aria-label': t('searchEverything'),
      }}
      attributes={{ content: { 'aria-label': t('searchEverything') } }}
      highlightQuery
      scrollable
      maxHeight={420}
    />
  );
}

export const openSearch = () => spotlight.open();
