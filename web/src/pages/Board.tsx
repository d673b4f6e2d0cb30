import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  Group,
  Loader,
  Menu,
  Modal,
  ScrollArea,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState, type DragEvent } from 'react';
import { FilterChips, FilterControls } from './table/FilterBuilder';
import { filterFromSearch, filterParams, type ApiFilter } from './table/filters';
import { api, type ApiRecord, type FieldMeta, type ObjectMeta, type Page } from '../api/client';
import { useLocale } from '../i18n';
import { useTranslation } from 'react-i18next';
import { formatMinor, formatValue } from '../format';
import { ErrorNote } from '../layout/ErrorNote';
import { WithObject } from '../layout/WithObject';

interface Column {
  value: string;
  label: string;
  kind?: 'open' | 'won' | 'lost';
}

interface Move {
  record: ApiRecord;
  to: Column;
}

interface Group {
  group: unknown;
  count: number;
  sum?: Record<string, number> | number;
}

export interface BoardSearch {
  /** The list endpoint's filter object, as the table keeps it (see table/filters.ts). */
  filter?: Record<string, unknown>;
  q?: string;
}

/** Reads a board's filter and search from the address, as the table does. */
export function boardSearch(raw: Record<string, unknown>): BoardSearch {
  const out: BoardSearch = {};
  const filter = filterFromSearch(raw);
  if (filter) out.filter = filter;
  if (typeof raw.q === 'string' && raw.q) out.q = raw.q;
  return out;
}

/** A board groups an object's records by a field: deals by the stages of a pipeline, others by a select field. */
export function Board() {
  const { object: name } = useParams({ from: '/board/$object' });
  return (
    <WithObject name={name}>{(object) => <BoardView key={name} object={object} />}</WithObject>
  );
}

function BoardView({ object }: { object: ObjectMeta }) {
  const { t } = useTranslation(['board', 'common', 'table']);
  const isDeals = object.name === 'deals';
  const selects = object.fields.filter((f) => f.type === 'select' && !f.read_only);
  const [pipeline, setPipeline] = useState<string | null>(null);
  const [groupField, setGroupField] = useState<string | null>(selects[0]?.name ?? null);
  const { locale, timeZone } = useLocale();
  const navigate = useNavigate();
  // The filter and search live in the address, as on the table, so reload and links keep them.
  const search: BoardSearch = useSearch({ from: '/board/$object' });
  const setSearch = (next: BoardSearch) =>
    void navigate({
      to: '/board/$object',
      params: { object: object.name },
      search: next,
      replace: true,
    });
  const filter = search.filter as ApiFilter | undefined;
  const setFilter = (f: ApiFilter | undefined) => setSearch({ ...search, filter: f });
  const [text, setText] = useState(search.q ?? '');
  const [q] = useDebouncedValue(text, 250);
  useEffect(() => {
    if (q !== (search.q ?? '')) setSearch({ ...search, q: q || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  const filterProps = { object, filter, onChange: setFilter, timeZone, locale };

  const pipelines = useQuery({
    queryKey: ['pipelines'],
    enabled: isDeals,
    queryFn: async () => (await api<Page>('GET', '/api/v1/pipelines?sort=position&limit=100')).data,
  });
  const pipelineId =
    pipeline ?? (pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0])?.id ?? null;
  const stages = useQuery({
    queryKey: ['stages', pipelineId],
    enabled: isDeals && !!pipelineId,
    queryFn: async () =>
      (
        await api<Page>(
          'GET',
          `/api/v1/stages?filter[pipeline_id]=${pipelineId}&sort=position&limit=100`,
        )
      ).data,
  });

  const field = isDeals ? 'stage_id' : groupField;
  const columns: Column[] = isDeals
    ? (stages.data ?? []).map((s) => ({
        value: s.id,
        label: String(s.name),
        kind: s.kind as Column['kind'],
      }))
    : (selects.find((f) => f.name === groupField)?.options ?? []).map((o) => ({
        value: o.value,
        label: o.label,
      }));

  if (!isDeals && selects.length === 0) {
    return <Text>{t('noGroupField', { object: object.label_plural })}</Text>;
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title', { object: object.label_plural })}</Title>
        <Group>
          {isDeals ? (
            <Select
              label={t('pipeline')}
              data={(pipelines.data ?? []).map((p) => ({ value: p.id, label: String(p.name) }))}
              value={pipelineId}
              onChange={setPipeline}
              allowDeselect={false}
              w={220}
            />
          ) : (
            <Select
              label={t('groupBy')}
              data={selects.map((f) => ({ value: f.name, label: f.label }))}
              value={groupField}
              onChange={setGroupField}
              allowDeselect={false}
              w={220}
            />
          )}
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link to="/o/$object" params={{ object: object.name }} {...props} />
            )}
          >
            {t('table')}
          </Anchor>
        </Group>
      </Group>
      <Group align="end" wrap="wrap" gap="xs">
        <TextInput
          label={t('table:search')}
          placeholder={t('table:searchPlaceholder')}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={220}
        />
        <FilterControls {...filterProps} />
      </Group>
      <FilterChips {...filterProps} />
      {field && columns.length > 0 ? (
        <Columns
          object={object}
          field={field}
          columns={columns}
          scope={isDeals && pipelineId ? { pipeline_id: pipelineId } : {}}
          filter={filter}
          q={search.q}
        />
      ) : (
        <Loader aria-label={t('common:loading')} />
      )}
    </Stack>
  );
}

function Columns({
  object,
  field,
  columns,
  scope,
  filter: chosen,
  q,
}: {
  object: ObjectMeta;
  field: string;
  columns: Column[];
  scope: Record<string, string>;
  filter?: ApiFilter;
  q?: string;
}) {
  const { t } = useTranslation(['board', 'common']);
  const { locale } = useLocale();
  const queryClient = useQueryClient();
  const moneyField = object.fields.find((f) => f.type === 'currency');
  // The pipeline and the user's filter both hold; the search narrows them further.
  const all: ApiFilter =
    chosen && Object.keys(chosen).length ? { and: [scope, chosen] as ApiFilter[] } : scope;
  const filter = new URLSearchParams([
    ...filterParams(all),
    ...(q ? ([['q', q]] as [string, string][]) : []),
  ]).toString();
  const totals = useQuery({
    queryKey: ['board-totals', object.name, field, filter],
    queryFn: async () =>
      (
        await api<{ data: Group[] }>(
          'GET',
          `/api/v1/${object.name}/aggregate?group_by=${field}${moneyField ? `&sum=${moneyField.name}` : ''}${filter ? `&${filter}` : ''}`,
        )
      ).data,
  });
  const [move, setMove] = useState<Move | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);

  const apply = async (m: Move, extra: Record<string, unknown> = {}) => {
    setError(null);
    try {
      await api(
        'PATCH',
        `/api/v1/${object.name}/${m.record.id}`,
        { [field]: m.to.value, ...extra },
        { 'if-match': `"${m.record.version}"` },
      );
      setMove(null);
      setReason('');
    } catch (err) {
      setError(err);
    } finally {
      await queryClient.invalidateQueries({ queryKey: ['board', object.name] });
      await queryClient.invalidateQueries({ queryKey: ['board-totals', object.name] });
      // The keyboard stays with the card it moved: on its menu button in the new column.
      requestAnimationFrame(() =>
        document
          .querySelector<HTMLElement>(`[data-card="${m.record.id}"] [aria-haspopup]`)
          ?.focus(),
      );
    }
  };

  // Dragging a card and choosing "Move to" from its menu (the keyboard's way) end here.
  const requestMove = (record: ApiRecord, to: Column) => {
    if (record[field] === to.value) return;
    const from = columns.find((c) => c.value === record[field]);
    // Won and lost ask first (a lost deal needs its reason), and so does reopening a closed deal:
    // it loses its close date.
    const reopens = (from?.kind === 'won' || from?.kind === 'lost') && to.kind === 'open';
    if (to.kind === 'won' || to.kind === 'lost' || reopens) setMove({ record, to });
    else void apply({ record, to });
  };
  const drop = (to: Column) => (e: DragEvent) => {
    e.preventDefault();
    const data = e.dataTransfer.getData('application/x-kontor-record');
    if (!data) return;
    requestMove(JSON.parse(data) as ApiRecord, to);
  };

  const moveTitle =
    move?.to.kind === 'lost' ? t('markLost') : move?.to.kind === 'won' ? t('markWon') : t('reopen');
  return (
    <>
      {error !== null && <ErrorNote error={error} />}
      <ScrollArea>
        <Group align="start" wrap="nowrap" gap="sm">
          {columns.map((c) => {
            const total = totals.data?.find((g) => g.group === c.value);
            const sum =
              total?.sum && typeof total.sum === 'object'
                ? Object.entries(total.sum)
                    .map(([cur, minor]) => formatMinor(minor, cur, locale))
                    .join(' + ')
                : '';
            return (
              <Box
                key={c.value}
                w={260}
                miw={260}
                p="xs"
                bg="gray.0"
                style={{ borderRadius: 6 }}
                onDragOver={(e) => e.preventDefault()}
                onDrop={drop(c)}
                data-column={c.label}
                aria-label={t('column', { name: c.label })}
                role="list"
              >
                <Group justify="space-between" mb="xs">
                  <Text fw={600} size="sm">
                    {c.label}
                  </Text>
                  <Badge variant="light">{(total?.count ?? 0).toLocaleString(locale)}</Badge>
                </Group>
                <Text size="xs" c="dimmed" mb="xs">
                  {sum}
                </Text>
                <ColumnCards
                  object={object}
                  field={field}
                  column={c}
                  filter={filter}
                  locale={locale}
                  moneyField={moneyField}
                  columns={columns}
                  onMove={requestMove}
                />
              </Box>
            );
          })}
        </Group>
      </ScrollArea>
      <Modal opened={!!move} onClose={() => setMove(null)} title={moveTitle}>
        {move && (
          <Stack>
            <Text size="sm">
              {t('confirmMove', {
                name: String(move.record[object.title_field] ?? ''),
                stage: move.to.label,
              })}
            </Text>
            {move.to.kind === 'open' && <Text size="sm">{t('reopenText')}</Text>}
            {move.to.kind === 'lost' && (
              <TextInput
                label={t('lostReason')}
                required
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setMove(null)}>
                {t('common:cancel')}
              </Button>
              <Button
                disabled={move.to.kind === 'lost' && !reason.trim()}
                onClick={() =>
                  void apply(move, move.to.kind === 'lost' ? { lost_reason: reason.trim() } : {})
                }
              >
                {moveTitle}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function ColumnCards({
  object,
  field,
  column,
  filter,
  locale,
  moneyField,
  columns,
  onMove,
}: {
  object: ObjectMeta;
  field: string;
  column: Column;
  filter: string;
  locale: string;
  moneyField?: FieldMeta;
  columns: Column[];
  onMove: (record: ApiRecord, to: Column) => void;
}) {
  const { t } = useTranslation(['board', 'common']);
  // A column shows 50 cards at a time; "Show more" fetches the next page by its cursor. Newest
  // first, by id (ids grow with time): a card keeps its place when others move, and the
  // field's own index (field, id) serves the query without sorting the column's records.
  const pages = useInfiniteQuery({
    queryKey: ['board', object.name, field, column.value, filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api<Page>(
        'GET',
        `/api/v1/${object.name}?filter[${field}]=${encodeURIComponent(column.value)}&sort=-id&limit=50${filter ? `&${filter}` : ''}${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    getNextPageParam: (last) => last.next_cursor,
  });
  const cards = { error: pages.error, data: pages.data?.pages.flatMap((p) => p.data) };
  if (cards.error) return <ErrorNote error={cards.error} />;
  if (!cards.data) return <Loader size="sm" aria-label={t('common:loading')} />;
  if (cards.data.length === 0)
    return (
      <Text size="xs" c="dimmed" role="listitem">
        {t('dropHere')}
      </Text>
    );
  return (
    <Stack gap="xs">
      {cards.data.map((r) => (
        <Card
          key={r.id}
          withBorder
          p="xs"
          draggable
          role="listitem"
          data-card={r.id}
          aria-label={String(r[object.title_field] ?? '')}
          onDragStart={(e) =>
            e.dataTransfer.setData('application/x-kontor-record', JSON.stringify(r))
          }
          style={{ cursor: 'grab' }}
        >
          <Group justify="space-between" wrap="nowrap" align="start" gap={4}>
            <Anchor
              size="sm"
              fw={500}
              style={{ overflowWrap: 'anywhere' }}
              renderRoot={(props) => (
                <Link to="/o/$object/$id" params={{ object: object.name, id: r.id }} {...props} />
              )}
            >
              {String(r[object.title_field] ?? '') || t('common:noName')}
            </Anchor>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  aria-label={t('moveCard', {
                    name: String(r[object.title_field] ?? '') || t('common:noName'),
                  })}
                >
                  ⋯
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('moveTo')}</Menu.Label>
                {columns
                  .filter((c) => c.value !== column.value)
                  .map((c) => (
                    <Menu.Item key={c.value} onClick={() => onMove(r, c)}>
                      {c.label}
                    </Menu.Item>
                  ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
          {moneyField && (
            <Text size="xs">{formatValue(moneyField, r[moneyField.name], locale)}</Text>
          )}
        </Card>
      ))}
      {pages.hasNextPage && (
        <Button
          size="xs"
          variant="subtle"
          loading={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          {t('showMore')}
        </Button>
      )}
    </Stack>
  );
}
