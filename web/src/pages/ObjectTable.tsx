import {
  Alert,
  Anchor,
  Box,
  Button,
  Collapse,
  Group,
  Loader,
  Modal,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { RecordForm } from './RecordForm';
import { MergeDialog } from './MergeDialog';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord, type FieldMeta, type ObjectMeta, type Page } from '../api/client';
import { useMe } from '../api/hooks';
import { ErrorNote } from '../layout/ErrorNote';
import { WithObject } from '../layout/WithObject';
import { ColumnChooser } from './table/ColumnChooser';
import { ColumnHeader } from './table/ColumnHeader';
import { gridOf, resolveColumns, sortable } from './table/columns';
import { useColumnWindow } from './table/columnWindow';
import { useRelationNames } from './table/relationNames';
import { ROW_HEIGHT, TableRow } from './table/TableRow';
import { ViewPicker } from './table/ViewPicker';
import { useLeaveGuard } from './record/LeaveGuard';
import {
  formatCols,
  parseCols,
  useSavedView,
  viewSearch,
  type TableState,
  type ViewColumn,
  type ViewSearch,
} from './table/views';
import { useLocale } from '../i18n';
import { BulkEditDialog } from './table/BulkEditDialog';
import { useCellEditing } from './table/CellEditor';
import { FilterChips, FilterControls } from './table/FilterBuilder';
import { filterFromSearch, filterParams, type ApiFilter } from './table/filters';

const PAGE_SIZE = 100;

/**
 * The columns shown: the record's name first, then the first fields that hold a value in the
 * first rows (a field nobody fills in makes a poor column), at most three of them relations.
 * Fields the company added come first: whoever added one wants to see it.
 */
function columnsOf(object: ObjectMeta, sample: Record<string, unknown>[]): FieldMeta[] {
  const title = object.fields.find((f) => f.name === object.title_field);
  const candidates = object.fields
    .filter(
      (f) =>
        !f.is_system &&
        f.name !== object.title_field &&
        !['long_text', 'multi_select'].includes(f.type),
    )
    .sort((a, b) => Number(b.is_custom) - Number(a.is_custom));
  const filled = sample.length
    ? candidates.filter(
        (f) =>
          f.is_custom ||
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

export interface TableSearch extends ViewSearch {
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
  const out: TableSearch = viewSearch(raw);
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

export function ObjectTable() {
  const { object: name } = useParams({ from: '/o/$object' });
  return <WithObject name={name}>{(object) => <Table key={name} object={object} />}</WithObject>;
}

function Table({ object }: { object: ObjectMeta }) {
  const { t } = useTranslation('table');
  const me = useMe();
  const { locale, timeZone } = useLocale();
  const navigate = useNavigate();

  // Sort, search, filters, columns and the saved view live in the address, so Back, reload and
  // links keep them.
  const view: TableSearch = useSearch({ from: '/o/$object' });
  const sort = view.sort ?? '';
  const filter = view.filter as ApiFilter | undefined;
  const setView = (next: TableSearch, push = false) =>
    void navigate({
      to: '/o/$object',
      params: { object: object.name },
      search: { ...next, filters: undefined },
      replace: !push,
    });
  const setSort = (s: string) => setView({ ...view, sort: s || undefined });
  const setFilter = (f: ApiFilter | undefined) => setView({ ...view, filter: f });
  const setColumns = (cols: ViewColumn[] | null) => setView({ ...view, cols: formatCols(cols) });
  const saved = useSavedView(object.name, view, (next: TableState) => setView(next));

  // The search box writes the address a moment after typing stops; a search that arrives in the
  // address from elsewhere (a view, Back) fills the box.
  const [search, setSearch] = useState(view.q ?? '');
  const [q] = useDebouncedValue(search, 250);
  const written = useRef(view.q ?? '');
  useEffect(() => {
    if (q !== (view.q ?? '')) {
      written.current = q;
      setView({ ...view, q: q || undefined });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  useEffect(() => {
    if ((view.q ?? '') !== written.current) {
      written.current = view.q ?? '';
      setSearch(view.q ?? '');
    }
  }, [view.q]);

  const [creating, setCreating] = useState(false);
  // On a phone, search and filters fold away so that the rows start on the first screen.
  const phone =
    useMediaQuery('(max-width: 48em)', undefined, { getInitialValueInEffect: false }) ?? false;
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [creatingDirty, setCreatingDirty] = useState(false);
  // Closing the new-record dialog with something typed asks first; the form guards navigation.
  const createGuard = useLeaveGuard(creatingDirty, { navigation: false });
  const closeCreating = async () => {
    if (await createGuard.confirm()) {
      setCreatingDirty(false);
      setCreating(false);
    }
  };
  const [selected, setSelected] = useState<Map<string, ApiRecord>>(new Map());
  const [merging, setMerging] = useState(false);
  const { t: te } = useTranslation('tableEdit');
  const [bulkEditing, setBulkEditing] = useState(false);
  // Keeps a selected record's version current when it is changed here, so a later bulk edit
  // does not take the user's own change for someone else's.
  const refreshSelected = useCallback(
    (changed: ApiRecord[]) =>
      setSelected((cur) => {
        if (!changed.some((r) => cur.has(r.id))) return cur;
        const next = new Map(cur);
        for (const r of changed) if (next.has(r.id)) next.set(r.id, { ...next.get(r.id)!, ...r });
        return next;
      }),
    [],
  );
  const onCellSaved = useCallback((r: ApiRecord) => refreshSelected([r]), [refreshSelected]);
  const edit = useCellEditing(object, me.data?.id, onCellSaved);
  const [bulkError, setBulkError] = useState<unknown>(null);
  const toggle = useCallback(
    (r: ApiRecord) =>
      setSelected((cur) => {
        const next = new Map(cur);
        if (next.has(r.id)) next.delete(r.id);
        else next.set(r.id, r);
        return next;
      }),
    [],
  );
  const openRecord = useCallback(
    (id: string) => void navigate({ to: '/o/$object/$id', params: { object: object.name, id } }),
    [navigate, object.name],
  );
  const deleteSelected = async () => {
    const count = selected.size;
    const label = (count === 1 ? object.label_singular : object.label_plural).toLowerCase();
    if (!window.confirm(t('confirmDelete', { count, label }))) return;
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
  const params = listQuery(sort, view.q ?? '', filter);
  const list = useInfiniteQuery({
    queryKey: ['list', object.name, params.toString()],
    // Until the saved view to show is known, so that the table loads once.
    enabled: !saved.waiting,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams(params);
      p.set('limit', String(PAGE_SIZE));
      if (pageParam) p.set('cursor', pageParam);
      return api<Page>('GET', `/api/v1/${object.name}?${p.toString()}`);
    },
    getNextPageParam: (last) => last.next_cursor,
  });
  // The total comes in its own request: counting a million rows takes longer than reading the
  // first page, and the rows should not wait for it.
  const counted = useQuery({
    queryKey: ['list', object.name, params.toString(), 'count'],
    enabled: !saved.waiting,
    queryFn: async () => {
      const p = new URLSearchParams(params);
      p.set('limit', '1');
      p.set('fields', 'id');
      p.set('count', 'true');
      return (await api<Page>('GET', `/api/v1/${object.name}?${p.toString()}`)).total;
    },
  });
  const pages = useMemo(() => list.data?.pages.map((p) => p.data) ?? [], [list.data]);
  const rows = useMemo(() => pages.flat(), [pages]);
  const firstPage = pages[0];
  // The automatic columns are chosen once, from the first rows the table shows, so that a
  // filter or a search does not swap the columns under the user's eyes.
  const sample = useRef<{ object: ObjectMeta; rows: ApiRecord[] } | null>(null);
  if (firstPage?.length && list.isFetchedAfterMount && sample.current?.object !== object)
    sample.current = { object, rows: firstPage.slice(0, 50) };
  const sampleRows = sample.current?.rows;
  const automatic = useMemo(
    () => columnsOf(object, sampleRows ?? firstPage?.slice(0, 50) ?? []),
    [object, sampleRows, firstPage],
  );
  const chosen = useMemo(() => parseCols(view.cols), [view.cols]);
  // While a column's edge is dragged, its width shows before it is kept in the address.
  const [resizing, setResizing] = useState<{ field: string; width: number } | null>(null);
  const columns = useMemo(() => {
    const cols = resolveColumns(object, chosen, automatic);
    return resizing
      ? cols.map((c) => (c.field.name === resizing.field ? { ...c, width: resizing.width } : c))
      : cols;
  }, [object, chosen, automatic, resizing]);
  const onResized = (field: string, width: number) =>
    setColumns(
      columns.map((c) => ({
        field: c.field.name,
        width: c.field.name === field ? width : c.width,
      })),
    );
  const total = counted.data ?? undefined;

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

  const firstInSight = items[0] ? Math.floor(items[0].index / PAGE_SIZE) : 0;
  const lastInSight = last ? Math.floor(last.index / PAGE_SIZE) : 0;
  const pagesInSight = useMemo(
    () => [...new Set([firstInSight, lastInSight])],
    [firstInSight, lastInSight],
  );
  const relationNames = useRelationNames(
    useMemo(() => columns.map((c) => c.field), [columns]),
    pages,
    pagesInSight,
  );

  // An export holds what the table shows: its rows, in its order, with its columns.
  const exportQuery = `${params.toString()}&fields=${columns.map((c) => c.field.name).join(',')}`;
  const toggleSort = (field: string) =>
    setSort(sort === field ? `-${field}` : sort === `-${field}` ? '' : field);
  // On a narrow screen the columns keep their width and the table scrolls sideways; rows draw
  // only the cells in sight.
  const { template: grid, minWidth } = gridOf(columns);
  const tableBox = useRef<HTMLDivElement>(null);
  const headerRow = useRef<HTMLDivElement>(null);
  const [firstCol, lastCol] = useColumnWindow(tableBox, headerRow, columns.length, grid);
  const filterProps = { object, filter, onChange: setFilter, timeZone, locale };

  return (
    <Box>
      <Group justify="space-between" mb="sm">
        <Title order={2}>{object.label_plural}</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed" aria-live="polite">
            {total === undefined ? '' : t('records', { count: total })}
          </Text>
          {(object.name === 'deals' ||
            object.fields.some((f) => f.type === 'select' && !f.read_only)) && (
            <Anchor
              size="sm"
              renderRoot={(props) => (
                <Link to="/board/$object" params={{ object: object.name }} {...props} />
              )}
            >
              {t('board')}
            </Anchor>
          )}
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link to="/import/$object" params={{ object: object.name }} {...props} />
            )}
          >
            {t('import')}
          </Anchor>
          <Button size="xs" onClick={() => setCreating(true)}>
            {t('newRecord', { label: object.label_singular.toLowerCase() })}
          </Button>
          <Anchor href={`/api/v1/${object.name}/export?format=xlsx&${exportQuery}`} size="sm">
            {t('exportXlsx')}
          </Anchor>
          <Anchor href={`/api/v1/${object.name}/export?format=csv&${exportQuery}`} size="sm">
            {t('exportCsv')}
          </Anchor>
        </Group>
      </Group>

      <Group mb="xs" justify="space-between" align="end" wrap="wrap">
        <ViewPicker
          object={object}
          state={view}
          views={saved.views.data?.data ?? []}
          defaults={saved.views.data?.defaults}
          current={saved.current}
          modified={saved.modified}
          isAdmin={!!me.data?.is_admin}
          onApply={(next, push) => setView(next, push)}
        />
        <ColumnChooser
          object={object}
          columns={columns}
          automatic={!chosen}
          onChange={setColumns}
        />
      </Group>
      {saved.gone && (
        <Alert color="yellow" mb="xs">
          {t('viewGone')}
        </Alert>
      )}
      {saved.current && saved.current.warnings.length > 0 && (
        <Alert color="yellow" mb="xs">
          {t('leftOut', { paths: saved.current.warnings.map((w) => w.path).join(', ') })}
        </Alert>
      )}

      {phone && (
        <Button
          variant="default"
          size="xs"
          mb="xs"
          aria-expanded={filtersOpen}
          onClick={() => setFiltersOpen((o) => !o)}
        >
          {filtersOpen ? t('hideSearchAndFilters') : t('showSearchAndFilters')}
        </Button>
      )}
      <Collapse expanded={!phone || filtersOpen}>
        <Group mb="xs" align="end" wrap="wrap">
          <TextInput
            label={t('search')}
            placeholder={t('searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={220}
          />
          <FilterControls {...filterProps} />
        </Group>
      </Collapse>
      <FilterChips {...filterProps} />

      {createGuard.dialog}
      <Modal
        opened={creating}
        onClose={() => void closeCreating()}
        title={t('newRecord', { label: object.label_singular.toLowerCase() })}
        size="xl"
      >
        <RecordForm
          object={object}
          onDirtyChange={setCreatingDirty}
          onCancel={() => {
            setCreatingDirty(false);
            setCreating(false);
          }}
          onSaved={(saved) => {
            setCreatingDirty(false);
            setCreating(false);
            void queryClient.invalidateQueries({ queryKey: ['list', object.name] });
            void navigate({ to: '/o/$object/$id', params: { object: object.name, id: saved.id } });
          }}
        />
      </Modal>
      {selected.size > 0 && (
        <Group mb="xs" gap="xs">
          <Text size="sm">{t('selected', { count: selected.size })}</Text>
          {selected.size >= 2 && (
            <Button size="xs" variant="light" onClick={() => setMerging(true)}>
              {t('merge')}
            </Button>
          )}
          <Button size="xs" variant="light" onClick={() => setBulkEditing(true)}>
            {te('editSelected')}
          </Button>
          <Button size="xs" variant="light" color="red" onClick={() => void deleteSelected()}>
            {t('delete')}
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setSelected(new Map())}>
            {t('clearSelection')}
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
        title={t('mergeTitle', { label: object.label_plural.toLowerCase() })}
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
        ref={tableBox}
        role="table"
        aria-label={object.label_plural}
        aria-rowcount={total ?? rows.length}
        aria-colcount={columns.length + 1}
        style={{
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 4,
          overflowX: 'auto',
        }}
      >
        <Box
          ref={headerRow}
          role="row"
          style={{
            display: 'grid',
            gridTemplateColumns: grid,
            minWidth,
            background: 'var(--mantine-color-gray-0)',
            borderBottom: '1px solid var(--mantine-color-gray-3)',
          }}
        >
          <span role="columnheader" aria-label={t('selectColumn')} />
          {columns.map((c) => (
            <ColumnHeader
              key={c.field.name}
              column={c}
              sort={sort}
              onSort={(field) => sortable(c.field) && toggleSort(field)}
              onResizing={(field, width) => setResizing(width === null ? null : { field, width })}
              onResized={onResized}
            />
          ))}
        </Box>
        <div
          ref={scroller}
          style={{
            // On a phone the list takes most of the screen; the page scrolls to it.
            height: phone ? '70vh' : 'calc(100vh - 380px)',
            minHeight: 240,
            overflowY: 'auto',
            minWidth,
          }}
        >
          {list.isPending ? (
            <Loader m="md" aria-label={t('loading')} />
          ) : rows.length === 0 ? (
            <Text p="md" c="dimmed">
              {t('noneMatch', { label: object.label_plural.toLowerCase() })}
            </Text>
          ) : (
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {items.map((item) => {
                const rec = rows[item.index];
                return (
                  <TableRow
                    key={rec.id}
                    rec={rec}
                    top={item.start}
                    columns={columns}
                    first={firstCol}
                    last={lastCol}
                    grid={grid}
                    objectName={object.name}
                    titleField={object.title_field}
                    locale={locale}
                    relationNames={relationNames}
                    selected={selected.has(rec.id)}
                    noName={t('noName')}
                    selectLabel={t('selectRecord', {
                      name: String(rec[object.title_field] ?? rec.id),
                    })}
                    onToggle={toggle}
                    onOpen={openRecord}
                    cellProps={edit.cellProps}
                    editor={edit.editing?.id === rec.id ? edit.editor : undefined}
                  />
                );
              })}
            </div>
          )}
        </div>
      </Box>
    </Box>
  );
}
