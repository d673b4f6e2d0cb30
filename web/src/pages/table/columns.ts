import type { FieldMeta, ObjectMeta } from '../../api/client';
import type { ViewColumn } from './views';

/** A column as the table draws it: the field, and its width in pixels when one was set. */
export interface Column {
  field: FieldMeta;
  width?: number;
}

/** Width a column without a set width takes at least. */
export const FLEX_MIN = 140;
export const SELECT_WIDTH = 40;

/** The chosen columns that still exist (a removed field drops out), or the automatic ones. */
export function resolveColumns(
  object: ObjectMeta,
  chosen: ViewColumn[] | null,
  automatic: FieldMeta[],
): Column[] {
  if (!chosen) return automatic.map((field) => ({ field }));
  const out: Column[] = [];
  for (const c of chosen) {
    const field = object.fields.find((f) => f.name === c.field);
    if (field) out.push({ field, width: c.width });
  }
  return out.length ? out : automatic.map((field) => ({ field }));
}

/** The CSS grid of a row: the selection box, then each column. */
export function gridOf(columns: Column[]): { template: string; minWidth: number } {
  return {
    template: [
      `${SELECT_WIDTH}px`,
      ...columns.map((c) => (c.width ? `${c.width}px` : `minmax(${FLEX_MIN}px, 1fr)`)),
    ].join(' '),
    minWidth: SELECT_WIDTH + columns.reduce((sum, c) => sum + (c.width ?? FLEX_MIN), 0),
  };
}

/** Fields a list can be sorted by (the server refuses the others). */
export function sortable(field: FieldMeta): boolean {
  return field.type !== 'multi_select' && field.type !== 'long_text';
}
