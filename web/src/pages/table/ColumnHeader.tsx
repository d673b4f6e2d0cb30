import { UnstyledButton } from '@mantine/core';
import { useRef, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { sortable, type Column } from './columns';
import { MAX_WIDTH, MIN_WIDTH } from './views';

const HANDLE: CSSProperties = {
  position: 'absolute',
  top: 0,
  right: -4,
  bottom: 0,
  width: 9,
  cursor: 'col-resize',
  zIndex: 1,
  touchAction: 'none',
};

const clamp = (w: number) => Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));

/**
 * A column's header: its label sorts by it, and its right edge is a handle that resizes it by
 * dragging, or from the keyboard with the arrow keys (Shift for bigger steps).
 */
export function ColumnHeader({
  column,
  sort,
  onSort,
  onResizing,
  onResized,
}: {
  column: Column;
  sort: string;
  onSort: (field: string) => void;
  /** While dragging: the width to show (not yet kept). */
  onResizing: (field: string, width: number | null) => void;
  /** The width to keep. */
  onResized: (field: string, width: number) => void;
}) {
  const { t } = useTranslation('table');
  const cell = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; width: number; last: number } | null>(null);
  const { field } = column;
  const direction =
    sort === field.name ? 'ascending' : sort === `-${field.name}` ? 'descending' : 'none';
  const current = () => column.width ?? cell.current?.getBoundingClientRect().width ?? 160;

  return (
    <div
      ref={cell}
      role="columnheader"
      aria-label={field.label}
      aria-sort={direction}
      style={{ position: 'relative', minWidth: 0 }}
    >
      <UnstyledButton
        px="sm"
        py={8}
        w="100%"
        disabled={!sortable(field)}
        onClick={() => onSort(field.name)}
        title={sortable(field) ? t('sortBy', { label: field.label }) : undefined}
        style={{
          fontSize: 'var(--mantine-font-size-sm)',
          fontWeight: 600,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
          display: 'block',
        }}
      >
        {field.label} {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : ''}
      </UnstyledButton>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label={t('resizeColumn', { label: field.label })}
        title={t('resizeHint')}
        aria-valuemin={MIN_WIDTH}
        aria-valuemax={MAX_WIDTH}
        aria-valuenow={Math.round(current())}
        tabIndex={0}
        style={HANDLE}
        onPointerDown={(e) => {
          e.preventDefault();
          e.currentTarget.setPointerCapture(e.pointerId);
          const width = current();
          drag.current = { x: e.clientX, width, last: width };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          d.last = clamp(d.width + e.clientX - d.x);
          onResizing(field.name, d.last);
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          e.currentTarget.releasePointerCapture(e.pointerId);
          onResizing(field.name, null);
          if (d && d.last !== d.width) onResized(field.name, d.last);
        }}
        onPointerCancel={() => {
          drag.current = null;
          onResizing(field.name, null);
        }}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          const step = e.shiftKey ? 50 : 10;
          if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
            e.preventDefault();
            onResized(field.name, clamp(current() + (e.key === 'ArrowRight' ? step : -step)));
          }
        }}
      />
    </div>
  );
}
