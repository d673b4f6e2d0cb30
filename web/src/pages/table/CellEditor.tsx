import { Alert, Box, Button, Loader, Popover, Text } from '@mantine/core';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  type ApiRecord,
  type FieldMeta,
  type ObjectMeta,
  type Page,
} from '../../api/client';
import { FieldInput } from '../RecordForm';
import { apiValue, canEditCell, inputValue } from './edits';

/**
 * Replaces a record in every loaded page of the object's lists, without fetching them again.
 * Limitation: the row stays where it is even when it no longer matches the filter or the sort,
 * until the list is next fetched (fetching every loaded page again costs too much deep down a
 * long list).
 */
export function replaceInLists(
  queryClient: ReturnType<typeof useQueryClient>,
  object: string,
  record: ApiRecord,
) {
  queryClient.setQueriesData<InfiniteData<Page>>({ queryKey: ['list', object] }, (data) => {
    if (!data?.pages) return data;
    return {
      ...data,
      pages: data.pages.map((p) => ({
        ...p,
        data: p.data.map((r) => (r.id === record.id ? { ...r, ...record } : r)),
      })),
    };
  });
}

interface Editing {
  id: string;
  field: string;
  /** What the user has typed so far; kept here, so a row scrolled away and back keeps it. */
  value: unknown;
  cell: HTMLElement | null;
}

/**
 * Editing cells in place: which cell is open, and the props that make a cell editable
 * (double-click, or Enter or F2 when it has focus). Only the open cell renders an editor, so a
 * table of a million rows scrolls as before.
 */
export function useCellEditing(
  object: ObjectMeta,
  meId: string | undefined,
  onSaved?: (r: ApiRecord) => void,
) {
  const [editing, setEditing] = useState<Editing | null>(null);
  // The open cell now, for a save that ends later than the render that started it.
  const current = useRef<Editing | null>(null);
  current.current = editing;
  const { t } = useTranslation('tableEdit');
  const start = useCallback(
    (record: ApiRecord, field: FieldMeta, cell: HTMLElement | null) =>
      setEditing({
        id: record.id,
        field: field.name,
        value: inputValue(field, record[field.name]),
        cell,
      }),
    [],
  );
  // Worked out once, not for every cell of every row scrolled past.
  const titles = useMemo(
    () => new Map(object.fields.map((f) => [f.name, t('editCell', { field: f.label })])),
    [object, t],
  );
  // The same function from render to render, so the rows of the table stay memoised.
  const cellProps = useCallback(
    (record: ApiRecord, field: FieldMeta) => {
      // The metadata carries `access` and `writable` beyond the client's types.
      const meta = object as ObjectMeta & { access?: { update?: string } };
      if (!canEditCell(meta, field, record, meId)) return {};
      return {
        tabIndex: 0,
        title: titles.get(field.name),
        style: { position: 'relative' as const },
        onClick: (e: MouseEvent<HTMLElement>) => {
          // A click selects the cell for editing; the record opens from its name (or Enter on
          // the row).
          if (!(e.target as HTMLElement).closest('a')) e.stopPropagation();
        },
        // A double-click opens the editor rather than selecting a word of the cell.
        onMouseDown: (e: MouseEvent<HTMLElement>) => {
          if (e.detail > 1) e.preventDefault();
        },
        onDoubleClick: (e: MouseEvent<HTMLElement>) => {
          e.stopPropagation();
          start(record, field, e.currentTarget);
        },
        onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
          if (e.target !== e.currentTarget) return;
          if (e.key === 'Enter' || e.key === 'F2') {
            e.preventDefault();
            e.stopPropagation();
            start(record, field, e.currentTarget);
          }
        },
      };
    },
    [object, meId, titles, start],
  );
  const isEditing = (record: ApiRecord, field: FieldMeta) =>
    editing?.id === record.id && editing.field === field.name;
  // Closes this cell's editor only: a save that ends after another cell was opened leaves that
  // one open.
  const close = (id: string, name: string) => {
    const open = current.current;
    if (open?.id !== id || open.field !== name) return;
    current.current = null;
    setEditing((cur) => (cur?.id === id && cur.field === name ? null : cur));
    if (open.cell?.isConnected) open.cell.focus();
  };
  const editor = (record: ApiRecord, field: FieldMeta) =>
    isEditing(record, field) ? (
      <CellEditor
        object={object}
        field={field}
        record={record}
        value={editing!.value}
        onChange={(value) => setEditing((cur) => (cur ? { ...cur, value } : cur))}
        onClose={() => close(record.id, field.name)}
        onSaved={onSaved}
      />
    ) : null;
  return { cellProps, editor, isEditing, editing };
}

/**
 * The editor of one cell, over the cell: the field's own input, saved with the record's version
 * (If-Match) on Enter or when focus leaves it, dropped on Escape. The server's message about the
 * field shows under the input; a change someone else saved first is reported, never overwritten.
 */
export function CellEditor({
  object,
  field,
  record,
  value,
  onChange,
  onClose,
  onSaved,
}: {
  object: ObjectMeta;
  field: FieldMeta;
  record: ApiRecord;
  value: unknown;
  onChange: (v: unknown) => void;
  onClose: () => void;
  onSaved?: (r: ApiRecord) => void;
}) {
  const { t } = useTranslation('tableEdit');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const box = useRef<HTMLDivElement>(null);
  // The latest value, read by a save that runs in the same event as the change (Enter on a list).
  const latest = useRef(value);
  latest.current = value;
  const busy = useRef(false);
  const lastTried = useRef<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stale = error instanceof ApiError && error.status === 412;

  // The editor takes the focus once its box is in the page (the popover mounts it a moment later).
  const focused = useRef(false);
  const boxRef = useCallback((el: HTMLDivElement | null) => {
    box.current = el;
    if (!el || focused.current) return;
    focused.current = true;
    const focus = () =>
      el.querySelector<HTMLElement>('input:not([type=hidden]), textarea, button')?.focus();
    // Right away, so that the first key typed lands in it; once more after the popover settles.
    focus();
    requestAnimationFrame(() => {
      if (!el.contains(document.activeElement)) focus();
    });
  }, []);

  const save = async () => {
    if (busy.current) return;
    const next = apiValue(latest.current);
    const key = JSON.stringify(next);
    if (key === JSON.stringify(apiValue(inputValue(field, record[field.name])))) return onClose();
    // Leaving an input that the server already refused does not send it again.
    if (key === lastTried.current) return;
    lastTried.current = key;
    busy.current = true;
    setSaving(true);
    setError(null);
    try {
      const saved = await api<ApiRecord>(
        'PATCH',
        `/api/v1/${object.name}/${record.id}`,
        { [field.name]: next },
        { 'if-match': `"${record.version}"` },
      );
      replaceInLists(queryClient, object.name, saved);
      onSaved?.(saved);
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      busy.current = false;
      setSaving(false);
    }
  };

  const reload = async () => {
    try {
      const fresh = await api<ApiRecord>('GET', `/api/v1/${object.name}/${record.id}`);
      replaceInLists(queryClient, object.name, fresh);
      onSaved?.(fresh);
      onClose();
    } catch (err) {
      setError(err);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'Enter') return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'BUTTON') return;
    if (target.tagName === 'TEXTAREA' && !(e.ctrlKey || e.metaKey)) return;
    // Enter in an open list picks an option: a single choice is saved once picked.
    const listOpen = target.getAttribute('aria-expanded') === 'true';
    if (listOpen && field.type === 'multi_select') return;
    e.preventDefault();
    setTimeout(() => void save(), 0);
  };

  const fieldError =
    error instanceof ApiError && !stale
      ? error.errors
          .filter((x) => x.path.split('.')[0] === field.name)
          .map((x) => x.message)
          .join('; ') || error.message
      : error && !stale
        ? String((error as Error).message ?? error)
        : undefined;

  return (
    <Popover
      opened
      position="bottom-start"
      offset={2}
      withinPortal
      trapFocus={false}
      returnFocus={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      shadow="md"
    >
      <Popover.Target>
        <div style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }} />
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Box
          ref={boxRef}
          w={field.type === 'currency' ? 320 : 280}
          onKeyDown={onKeyDown}
          onClick={(e) => e.stopPropagation()}
          onDoubleClick={(e) => e.stopPropagation()}
          onBlur={() => {
            // Saved when focus leaves the editor (not when it moves within, or to its list).
            setTimeout(() => {
              if (!box.current) return;
              const active = document.activeElement;
              if (active && box.current.contains(active)) return;
              if (stale) return;
              void save();
            }, 0);
          }}
          role="group"
          aria-label={field.label}
        >
          <FieldInput
            field={field}
            value={value}
            onChange={(v) => {
              latest.current = v;
              onChange(v);
              // Picking one option, or ticking a box, is the whole edit: it is saved at once.
              if (['select', 'relation', 'boolean'].includes(field.type))
                setTimeout(() => void save(), 0);
            }}
            error={fieldError ? `${t('notSaved')}: ${fieldError}` : undefined}
          />
          {saving && <Loader size="xs" mt={4} aria-label={tc('saving')} />}
          {stale && (
            <Alert color="orange" mt="xs" p="xs" role="alert">
              <Text size="sm">{t('staleRecord')}</Text>
              <Button size="xs" mt="xs" variant="light" onClick={() => void reload()}>
                {t('reloadRecord')}
              </Button>
            </Alert>
          )}
        </Box>
      </Popover.Dropdown>
    </Popover>
  );
}
