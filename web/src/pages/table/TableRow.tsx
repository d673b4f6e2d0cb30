import { Checkbox } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { memo, type CSSProperties, type HTMLAttributes, type ReactNode } from 'react';
import type { ApiRecord, FieldMeta } from '../../api/client';
import { formatValue } from '../../format';
import type { Column } from './columns';

export const ROW_HEIGHT = 38;

const ROW: CSSProperties = {
  position: 'absolute',
  top: 0,
  left: 0,
  right: 0,
  height: ROW_HEIGHT,
  display: 'grid',
  cursor: 'pointer',
  borderBottom: '1px solid var(--mantine-color-gray-2)',
};
const CELL: CSSProperties = {
  padding: '8px 12px',
  fontSize: 'var(--mantine-font-size-sm)',
  lineHeight: '21px',
  overflow: 'hidden',
  textOverflow: 'ellipsis',
  whiteSpace: 'nowrap',
};
const BOX: CSSProperties = { padding: '10px 8px' };

export interface TableRowProps {
  rec: ApiRecord;
  /** Where the row starts, in pixels from the top of the list. */
  top: number;
  columns: Column[];
  /** The columns in sight (indexes into columns); only their cells are drawn. */
  first: number;
  last: number;
  grid: string;
  objectName: string;
  titleField: string;
  locale: string;
  relationNames: Map<string, string>;
  selected: boolean;
  noName: string;
  selectLabel: string;
  onToggle: (rec: ApiRecord) => void;
  onOpen: (id: string) => void;
  /** What makes a cell editable in place (focus, double-click, keys); stable between renders. */
  cellProps?: (rec: ApiRecord, field: FieldMeta) => HTMLAttributes<HTMLElement>;
  /** The open cell editor: given only to the row being edited, so other rows stay as drawn. */
  editor?: (rec: ApiRecord, field: FieldMeta) => ReactNode;
}

/**
 * One row of the table, drawn again only when its own props change: while scrolling, the rows
 * already in sight stay as they are and only those coming into sight are drawn. Only the cells
 * of the columns in sight are drawn, as plain elements with shared styles, so a row of many
 * columns stays cheap.
 */
export const TableRow = memo(function TableRow({
  rec,
  top,
  columns,
  first,
  last,
  grid,
  objectName,
  titleField,
  locale,
  relationNames,
  selected,
  noName,
  selectLabel,
  onToggle,
  onOpen,
  cellProps,
  editor,
}: TableRowProps) {
  return (
    <div
      role="row"
      tabIndex={0}
      onClick={() => onOpen(rec.id)}
      onKeyDown={(e) => e.key === 'Enter' && e.target === e.currentTarget && onOpen(rec.id)}
      style={{ ...ROW, gridTemplateColumns: grid, transform: `translateY(${top}px)` }}
    >
      <div role="cell" aria-colindex={1} style={BOX} onClick={(e) => e.stopPropagation()}>
        <Checkbox
          size="xs"
          aria-label={selectLabel}
          checked={selected}
          onChange={() => onToggle(rec)}
        />
      </div>
      {columns.slice(first, last + 1).map(({ field }, i) => {
        const value = rec[field.name];
        // Each cell keeps its own track, so the columns out of sight leave theirs empty.
        const at = first + i + 2;
        const editing = cellProps?.(rec, field) ?? {};
        return (
          <div
            key={field.name}
            role="cell"
            aria-colindex={at}
            {...editing}
            style={{ ...CELL, gridColumn: at, ...editing.style }}
          >
            {field.name === titleField ? (
              <Link
                to="/o/$object/$id"
                params={{ object: objectName, id: rec.id }}
                onClick={(e) => e.stopPropagation()}
              >
                {formatValue(field, value, locale) || noName}
              </Link>
            ) : field.type === 'relation' && typeof value === 'string' ? (
              (relationNames.get(value) ?? '…')
            ) : (
              formatValue(field, value, locale)
            )}
            {editor?.(rec, field)}
          </div>
        );
      })}
    </div>
  );
});
