import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  Popover,
  ScrollArea,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectMeta } from '../../api/client';
import type { Column } from './columns';
import { columnChoices, MAX_COLUMNS, type ViewColumn } from './views';

/**
 * Which columns the table shows and in what order: tick a field to show it, drag a shown one to
 * move it, or move it with its up and down buttons (for the keyboard).
 */
export function ColumnChooser({
  object,
  columns,
  automatic,
  onChange,
}: {
  object: ObjectMeta;
  /** The columns shown now. */
  columns: Column[];
  /** Whether they are the automatic choice (nothing chosen yet). */
  automatic: boolean;
  onChange: (next: ViewColumn[] | null) => void;
}) {
  const { t } = useTranslation('table');
  const [find, setFind] = useState('');
  const [dragging, setDragging] = useState<number | null>(null);
  const shown: ViewColumn[] = columns.map((c) => ({ field: c.field.name, width: c.width }));
  const labelOf = (name: string) => object.fields.find((f) => f.name === name)?.label ?? name;
  const others = columnChoices(object)
    .filter((f) => !shown.some((c) => c.field === f.name))
    .filter((f) => !find.trim() || f.label.toLowerCase().includes(find.trim().toLowerCase()))
    .sort((a, b) => a.label.localeCompare(b.label));

  const move = (from: number, to: number) => {
    if (to < 0 || to >= shown.length || from === to) return;
    const next = [...shown];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item);
    onChange(next);
  };
  const hide = (i: number) => {
    if (shown.length <= 1) return;
    onChange(shown.filter((_, j) => j !== i));
  };
  const show = (field: string) => {
    if (shown.length >= MAX_COLUMNS) return;
    onChange([...shown, { field }]);
  };

  return (
    <Popover position="bottom-end" width={340} trapFocus shadow="md" withinPortal>
      <Popover.Target>
        <Button size="xs" variant="default">
          {t('columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-label={t('columnsTitle')} role="dialog">
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            {t('shownColumns')}
          </Text>
          <Text size="xs" c="gray.7">
            {t('dragHint')}
          </Text>
          <ScrollArea.Autosize mah={260}>
            <ul aria-label={t('shownColumns')} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {shown.map((c, i) => {
                const label = labelOf(c.field);
                return (
                  <li
                    key={c.field}
                    draggable
                    onDragStart={(e) => {
                      setDragging(i);
                      e.dataTransfer.effectAllowed = 'move';
                      e.dataTransfer.setData('text/plain', c.field);
                    }}
                    onDragOver={(e) => {
                      if (dragging === null) return;
                      e.preventDefault();
                      e.dataTransfer.dropEffect = 'move';
                    }}
                    onDrop={(e) => {
                      e.preventDefault();
                      if (dragging !== null) move(dragging, i);
                      setDragging(null);
                    }}
                    onDragEnd={() => setDragging(null)}
                    style={{
                      display: 'flex',
                      alignItems: 'center',
                      gap: 6,
                      padding: '2px 4px',
                      cursor: 'grab',
                      opacity: dragging === i ? 0.5 : 1,
                      borderRadius: 4,
                    }}
                  >
                    <span aria-hidden style={{ color: 'var(--mantine-color-gray-6)' }}>
                      ⠿
                    </span>
                    <Checkbox
                      size="xs"
                      label={label}
                      aria-label={t('showColumn', { label })}
                      checked
                      disabled={shown.length <= 1}
                      onChange={() => hide(i)}
                      style={{ flex: 1 }}
                    />
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      aria-label={t('moveUp', { label })}
                      disabled={i === 0}
                      onClick={() => move(i, i - 1)}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      aria-label={t('moveDown', { label })}
                      disabled={i === shown.length - 1}
                      onClick={() => move(i, i + 1)}
                    >
                      ↓
                    </ActionIcon>
                  </li>
                );
              })}
            </ul>
          </ScrollArea.Autosize>
          <Text size="sm" fw={600} mt="xs">
            {t('hiddenColumns')}
          </Text>
          <TextInput
            size="xs"
            aria-label={t('findField')}
            placeholder={t('findField')}
            value={find}
            onChange={(e) => setFind(e.currentTarget.value)}
          />
          {shown.length >= MAX_COLUMNS && (
            <Text size="xs" c="gray.7">
              {t('tooManyColumns', { count: MAX_COLUMNS })}
            </Text>
          )}
          <ScrollArea.Autosize mah={200}>
            <Stack gap={4} px={4}>
              {others.map((f) => (
                <Checkbox
                  key={f.name}
                  size="xs"
                  label={f.label}
                  aria-label={t('showColumn', { label: f.label })}
                  checked={false}
                  disabled={shown.length >= MAX_COLUMNS}
                  onChange={() => show(f.name)}
                />
              ))}
            </Stack>
          </ScrollArea.Autosize>
          {!automatic && (
            <Group justify="flex-end">
              <Button size="xs" variant="subtle" onClick={() => onChange(null)}>
                {t('automaticColumns')}
              </Button>
            </Group>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
