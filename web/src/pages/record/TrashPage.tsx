import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord, type ObjectMeta, type Page } from '../../api/client';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { WithObject } from '../../layout/WithObject';
import { relatedKey } from './RelatedLists';
import { timelineKey } from './RecordTimeline';
import { formatDateTime } from './time';
import { useUsers } from './users';

/**
 * The deleted records of one object, most recently deleted first, each with Restore.
 * The list is the ordinary list endpoint: `include_deleted=true` with
 * `filter[deleted_at][is_empty]=false` leaves only deleted records.
 */
export function TrashPage() {
  const { object } = useParams({ from: '/trash/$object' });
  return <WithObject name={object}>{(o) => <Trash object={o} />}</WithObject>;
}

export function trashQuery(object: string, q: string, cursor: string) {
  const p = new URLSearchParams({
    include_deleted: 'true',
    'filter[deleted_at][is_empty]': 'false',
    sort: '-deleted_at',
    limit: '50',
  });
  if (q) p.set('q', q);
  if (cursor) p.set('cursor', cursor);
  return `/api/v1/${object}?${p.toString()}`;
}

function Trash({ object }: { object: ObjectMeta }) {
  const { t } = useTranslation('record');
  const { locale, timeZone } = useLocale();
  const queryClient = useQueryClient();
  const users = useUsers();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [restored, setRestored] = useState<ApiRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: ['trash', object.name, q],
    initialPageParam: '',
    queryFn: ({ pageParam }) => api<Page>('GET', trashQuery(object.name, q, pageParam)),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const name = (r: ApiRecord) => String(r[object.title_field] ?? '') || t('noName');

  const restore = async (r: ApiRecord) => {
    setBusy(r.id);
    setError(null);
    try {
      const back = await api<ApiRecord>('POST', `/api/v1/${object.name}/${r.id}/restore`);
      setRestored(back);
      queryClient.setQueryData(['record', object.name, r.id], back);
      void queryClient.invalidateQueries({ queryKey: ['trash', object.name] });
      void queryClient.invalidateQueries({ queryKey: ['list', object.name] });
      void queryClient.invalidateQueries({ queryKey: timelineKey(object.name, r.id) });
      void queryClient.invalidateQueries({ queryKey: ['related'] });
      void queryClient.invalidateQueries({ queryKey: relatedKey(object.name, r.id) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack>
      <div>
        <Anchor
          size="sm"
          renderRoot={(props) => (
            <Link to="/o/$object" params={{ object: object.name }} {...props} />
          )}
        >
          {object.label_plural}
        </Anchor>
        <Title order={1} size="h2">
          {t('trashTitle', { objects: object.label_plural })}
        </Title>
        <Text size="sm" c="gray.7">
          {t('trashText')}
        </Text>
      </div>
      {restored && (
        <Alert color="green" role="status" withCloseButton onClose={() => setRestored(null)}>
          {t('restoredText')}{' '}
          <Anchor
            renderRoot={(props) => (
              <Link
                to="/o/$object/$id"
                params={{ object: object.name, id: restored.id }}
                {...props}
              />
            )}
          >
            {name(restored)}
          </Anchor>
        </Alert>
      )}
      {error !== null && <ErrorNote error={error} />}
      <TextInput
        label={t('searchTrash')}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={360}
      />
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : !list.data ? (
        <Loader aria-label={t('loading')} />
      ) : rows.length === 0 ? (
        <Text c="gray.7">{q ? t('trashNoMatch') : t('trashEmpty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped aria-label={t('trashTitle', { objects: object.label_plural })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('name')}</Table.Th>
                <Table.Th>{t('deletedAt')}</Table.Th>
                <Table.Th>{t('deletedBy')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor
                      size="sm"
                      renderRoot={(props) => (
                        <Link
                          to="/o/$object/$id"
                          params={{ object: object.name, id: r.id }}
                          {...props}
                        />
                      )}
                    >
                      {name(r)}
                    </Anchor>
                    {r.merged_into_id ? (
                      <Text size="xs" c="gray.7">
                        {t('mergedAway')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {r.deleted_at ? formatDateTime(String(r.deleted_at), locale, timeZone) : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {users.data?.find((u) => u.id === r.updated_by)?.name ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <Button
                        size="xs"
                        variant="light"
                        loading={busy === r.id}
                        onClick={() => void restore(r)}
                        aria-label={t('restoreNamed', { name: name(r) })}
                      >
                        {t('restore')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Button
          variant="subtle"
          onClick={() => void list.fetchNextPage()}
          loading={list.isFetchingNextPage}
          w="fit-content"
        >
          {t('showMore')}
        </Button>
      )}
    </Stack>
  );
}
