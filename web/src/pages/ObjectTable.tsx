import {
  Anchor,
  Box,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { RecordForm } from './RecordForm';
import { MergeDialog } from './MergeDialog';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type ApiRecord, type FieldMeta, type ObjectMeta, type Page } from '../api/client';
import { useMe } from '../api/hooks';
import { formatValue } from '../format';
import { useTitles } from '../api/titles';
import { ErrorNote } from '../layout/ErrorNote';
import { WithObject } from '../layout/WithObject';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../i18n';
import { BulkEditDialog } from './table/BulkEditDialog';
import { useCellEditing } from './table/CellEditor';
import { FilterChips, FilterControls } from './table/FilterBuilder';
import { filterFromSearch, filterParams, type ApiFilter } from './table/filters';

const ROW_HEIGHT = 38;
const PAGE_SIZE = 100;

/**
 * The columns shown: the record's name first, then the first fields that hold a value in the
 * first rows (a field nobody fills in makes a poor column), at most three of them relations.
 */
function columnsOf(object: ObjectMeta, sample: Record<string, unknown>[]): FieldMeta[] {
  const title = object.fields.find((f) => f.name === object.title_field);
  const candidates = object.fields.filter(
    (f) =>
      !f.is_system &&
      f.name !== object.title_field &&
      !['long_text', 'multi_select'].includes(f.type),
  );
  const filled = sample.length
    ? candidates.filter((f) =>
        sample.some((r) => r[f.name] !== null && r[f.name] !== undefined && r[f.name] !== ''),
      )
    : candidates;
  const chosen: FieldMeta[] = [];
  for (const f of filled.length ? filled : candidates) {
    if (chosen.length === 6) break;
    if (f.type === 'relation' && chosen.filter((c) => c.type === 'relation').length === 3) continue;
    chosen.push(f);
  }
  return [...(title ? [title] : []), ...chosen];
}

export interface TableSearch {
  sort?: string;
  q?: string;
  /**
   * The filter as the list endpoint takes it (an ApiFilter; old links' flat `filters` are read
   * into it). Typed loosely here: the router's types do not follow a recursive type.
   */
  filter?: Record<string, unknown>;
  /** Old links' flat list of conditions: read into `filter`, and dropped at the first change. */
  filters?: undefined;
}

/** Reads a table's view from the address, keeping only well-formed parts. */
export function tableSearch(raw: Record<string, unknown>): TableSearch {
  const out: TableSearch = {};
  if (typeof raw.sort === 'string' && raw.sort) out.sort = raw.sort;
  if (typeof raw.q === 'string' && raw.q) out.q = raw.q;
  const filter = filterFromSearch(raw);
  if (filter) out.filter = filter;
  return out;
}

export function listQuery(sort: string, q: string, filter: ApiFilter | undefined): URLSearchParams {
  const params = new URLSearchParams(filterParams(filter));
  if (sort) params.set('sort', sort);
  if (q.trim()) params.set('q', q.trim());
  return params;
}

/** Names for every relation column's values on the loaded rows (one request per target object). */
function useRelationNames(
  columns: FieldMeta[],
  rows: Record<string, unknown>[],
): Map<string, string> {
  const relations = columns.filter((c) => c.type === 'relation' && c.target !== 'users');
  // At most three relation columns are shown, so the hooks below run in a fixed number.
  const a = useTitles(
    relations[0]?.target,
    relations[0]
      ? rows.map((r) => r[relations[0].name]).filter((x): x is string => typeof x === 'string')
      : [],
  );
  const b = useTitles(
    relations[1]?.target,
    relations[1]
      ? rows.map((r) => r[relations[1].name]).filter((x): x is string => typeof x === 'string')
      : [],
  );
  const c = useTitles(
    relations[2]?.target,
    relations[2]
      ? rows.map((r) => r[relations[2].name]).filter((x): x is string => typeof x === 'string')
      : [],
  );
  return new Map([...(a.data ?? []), ...(b.data ?? []), ...(c.data ?? [])]);
}

export function ObjectTable() {
  const { object: name } = useParams({ from: '/o/$object' });
  return <WithObject name={name}>{(object) => <Table key={name} object={object} />}</WithObject>;
}

function Table({ object }: { object: ObjectMeta }) {
  const me = useMe();
  const locale = me.data?.locale === 'uk' ? 'uk-UA' : 'en-GB';
  const navigate = useNavigate();

  // Sort, search and filters live in the address, so Back, reload and links keep them.
  const view: TableSearch = useSearch({ from: '/o/$object' });
  const sort = view.sort ?? '';
  const filter = view.filter as ApiFilter | undefined;
  const { timeZone } = useLocale();
  const setView = (next: TableSearch) =>
    void navigate({
      to: '/o/$object',
      params: { object: object.name },
      search: { ...next, filters: undefined },
      replace: true,
    });
  const setSort = (s: string) => setView({ ...view, sort: s || undefined });
  const setFilter = (f: ApiFilter | undefined) => setView({ ...view, filter: f });
  const [search, setSearch] = useState(view.q ?? '');
  const [q] = useDebouncedValue(search, 250);
  useEffect(() => {
    if (q !== (view.q ?? '')) setView({ ...view, q: q || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<Map<string, ApiRecord>>(new Map());
  const [merging, setMerging] = useState(false);
  const { t: te } = useTranslation('tableEdit');
  const [bulkEditing, setBulkEditing] = useState(false);
  // Keeps a selected record's version current when it is changed here, so a later bulk edit
  // does not take the user's own change for someone else's.
  const refreshSelected = (saved: ApiRecord[]) =>
    setSelected((cur) => {
      if (!saved.some((r) => cur.has(r.id))) return cur;
      const next = new Map(cur);
      for (const r of saved) if (next.has(r.id)) next.set(r.id, { ...next.get(r.id)!, ...r });
      return next;
    });
  const edit = useCellEditing(object, me.data?.id, (r) => refreshSelected([r]));
  const [bulkError, setBulkError] = useState<unknown>(null);
  const toggle = (r: ApiRecord) =>
    setSelected((cur) => {
      const next = new Map(cur);
      if (next.has(r.id)) next.delete(r.id);
      else next.set(r.id, r);
      return next;
    });
  const deleteSelected = async () => {
    if (
      !window.confirm(
        `Delete ${selected.size} ${object.label_plural.toLowerCase()}? They can be restored.`,
      )
    )
      return;
    setBulkError(null);
    try {
      await api('POST', `/api/v1/${object.name}/batch`, {
        operations: [...selected.values()].map((r) => ({
          op: 'delete',
          id: r.id,
          version: r.version,
        })),
      });
      setSelected(new Map());
    } catch (err) {
      setBulkError(err);
    }
    await queryClient.invalidateQueries({ queryKey: ['list', object.name] });
  };
  const queryClient = useQueryClient();
  const params = listQuery(sort, q, filter);
  const list = useInfiniteQuery({
    queryKey: ['list', object.name, params.toString()],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams(params);
      p.set('limit', String(PAGE_SIZE));
      if (pageParam) p.set('cursor', pageParam);
      else p.set('count', 'true');
      return api<Page>('GET', `/api/v1/${object.name}?${p.toString()}`);
    },
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const firstPage = list.data?.pages[0]?.data;
  const columns = useMemo(
    () => columnsOf(object, firstPage?.slice(0, 50) ?? []),
    [object, firstPage],
  );
  const total = list.data?.pages[0]?.total;

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 30 && list.hasNextPage && !list.isFetchingNextPage)
      void list.fetchNextPage();
  }, [last, rows.length, list]);

  const relationNames = useRelationNames(columns, rows);

  const toggleSort = (field: string) =>
    setSort(sort === field ? `-${field}` : sort === `-${field}` ? '' : field);
  const grid = `40px repeat(${columns.length}, minmax(140px, 1fr))`;
  // On a narrow screen the columns keep their width and the table scrolls sideways.
  const minWidth = 40 + columns.length * 140;

  const filterProps = { object, filter, onChange: setFilter, timeZone, locale };

  return (
    <Box>
      <Group justify="space-between" mb="sm">
        <Title order={2}>{object.label_plural}</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed" aria-live="polite">
            {total === undefined
              ? ''
              : `${total.toLocaleString(locale)} ${total === 1 ? 'record' : 'records'}`}
          </Text>
          {(object.name === 'deals' ||
            object.fields.some((f) => f.type === 'select' && !f.read_only)) && (
            <Anchor
              size="sm"
              renderRoot={(props) => (
                <Link to="/board/$object" params={{ object: object.name }} {...props} />
              )}
            >
              Board
            </Anchor>
          )}
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link to="/import/$object" params={{ object: object.name }} {...props} />
            )}
          >
            Import
          </Anchor>
          <Button size="xs" onClick={() => setCreating(true)}>
            New {object.label_singular.toLowerCase()}
          </Button>
          <Anchor href={`/api/v1/${object.name}/export?format=xlsx&${params.toString()}`} size="sm">
            Export XLSX
          </Anchor>
          <Anchor href={`/api/v1/${object.name}/export?format=csv&${params.toString()}`} size="sm">
            CSV
          </Anchor>
        </Group>
      </Group>

      <Group mb="xs" align="end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Words to find"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={220}
        />
        <FilterControls {...filterProps} />
      </Group>
      <FilterChips {...filterProps} />

      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={`New ${object.label_singular.toLowerCase()}`}
        size="xl"
      >
        <RecordForm
          object={object}
          onCancel={() => setCreating(false)}
          onSaved={(saved) => {
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: ['list', object.name] });
            void navigate({ to: '/o/$object/$id', params: { object: object.name, id: saved.id } });
          }}
        />
      </Modal>
      {selected.size > 0 && (
        <Group mb="xs" gap="xs">
          <Text size="sm">{selected.size} selected</Text>
          {selected.size >= 2 && (
            <Button size="xs" variant="light" onClick={() => setMerging(true)}>
              Merge
            </Button>
          )}
          <Button size="xs" variant="light" onClick={() => setBulkEditing(true)}>
            {te('editSelected')}
          </Button>
          <Button size="xs" variant="light" color="red" onClick={() => void deleteSelected()}>
            Delete
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setSelected(new Map())}>
            Clear selection
          </Button>
        </Group>
      )}
      {bulkError !== null && <ErrorNote error={bulkError} />}
      <Modal
        opened={bulkEditing}
        onClose={() => setBulkEditing(false)}
        title={te('bulkTitle', {
          count: selected.size,
          objects: object.label_plural.toLowerCase(),
        })}
        size="lg"
      >
        {bulkEditing && (
          <BulkEditDialog
            object={object}
            records={[...selected.values()]}
            onSaved={refreshSelected}
            onClose={() => setBulkEditing(false)}
          />
        )}
      </Modal>
      <Modal
        opened={merging}
        onClose={() => setMerging(false)}
        title={`Merge ${object.label_plural.toLowerCase()}`}
        size="xl"
      >
        {merging && (
          <MergeDialog
            object={object}
            records={[...selected.values()]}
            locale={locale}
            onDone={(survivorId) => {
              setMerging(false);
              setSelected(new Map());
              void queryClient.invalidateQueries({ queryKey: ['list', object.name] });
              void navigate({
                to: '/o/$object/$id',
                params: { object: object.name, id: survivorId },
              });
            }}
          />
        )}
      </Modal>
      {list.error && <ErrorNote error={list.error} />}
      <Box
        role="table"
        aria-label={object.label_plural}
        aria-rowcount={total ?? rows.length}
        style={{
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 4,
          overflowX: 'auto',
        }}
      >
        <Box
          role="row"
          style={{
            display: 'grid',
            gridTemplateColumns: grid,
            minWidth,
            background: 'var(--mantine-color-gray-0)',
            borderBottom: '1px solid var(--mantine-color-gray-3)',
          }}
        >
          <span role="columnheader" aria-label="Select" />
          {columns.map((c) => (
            <UnstyledButton
              key={c.name}
              role="columnheader"
              px="sm"
              py={8}
              onClick={() => toggleSort(c.name)}
              aria-sort={
                sort === c.name ? 'ascending' : sort === `-${c.name}` ? 'descending' : 'none'
              }
            >
              <Text size="sm" fw={600}>
                {c.label} {sort === c.name ? '▲' : sort === `-${c.name}` ? '▼' : ''}
              </Text>
            </UnstyledButton>
          ))}
        </Box>
        <div
          ref={scroller}
          style={{ height: 'calc(100vh - 330px)', minHeight: 240, overflowY: 'auto', minWidth }}
        >
          {list.isPending ? (
            <Loader m="md" aria-label="Loading" />
          ) : rows.length === 0 ? (
            <Text p="md" c="dimmed">
              No {object.label_plural.toLowerCase()} match.
            </Text>
          ) : (
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const rec = rows[item.index];
                return (
                  <Box
                    key={rec.id}
                    role="row"
                    tabIndex={0}
                    onClick={() =>
                      void navigate({
                        to: '/o/$object/$id',
                        params: { object: object.name, id: rec.id },
                      })
                    }
                    onKeyDown={(e) =>
                      e.key === 'Enter' &&
                      void navigate({
                        to: '/o/$object/$id',
                        params: { object: object.name, id: rec.id },
                      })
                    }
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      right: 0,
                      height: ROW_HEIGHT,
                      transform: `translateY(${item.start}px)`,
                      display: 'grid',
                      gridTemplateColumns: grid,
                      cursor: 'pointer',
                      borderBottom: '1px solid var(--mantine-color-gray-2)',
                    }}
                  >
                    <Box role="cell" px="xs" py={10} onClick={(e) => e.stopPropagation()}>
                      <Checkbox
                        size="xs"
                        aria-label={`Select ${String(rec[object.title_field] ?? rec.id)}`}
                        checked={selected.has(rec.id)}
                        onChange={() => toggle(rec)}
                      />
                    </Box>
                    {columns.map((c) => (
                      <Text
                        key={c.name}
                        role="cell"
                        size="sm"
                        px="sm"
                        py={8}
                        truncate
                        {...edit.cellProps(rec, c)}
                      >
                        {c.name === object.title_field ? (
                          <Link
                            to="/o/$object/$id"
                            params={{ object: object.name, id: rec.id }}
                            onClick={(e) => e.stopPropagation()}
                          >
                            {formatValue(c, rec[c.name], locale) || '(no name)'}
                          </Link>
                        ) : c.type === 'relation' && typeof rec[c.name] === 'string' ? (
                          (relationNames.get(rec[c.name] as string) ?? '…')
                        ) : (
                          formatValue(c, rec[c.name], locale)
                        )}
                        {edit.editor(rec, c)}
                      </Text>
                    ))}
                  </Box>
                );
              })}
            </div>
          )}
        </div>
      </Box>
    </Box>
  );
}
