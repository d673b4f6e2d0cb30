import { Table, UnstyledButton } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ScrollBox } from './common';
import { compareDecimal } from './quantities';

export interface SortColumn<Row> {
  key: string;
  label: string;
  /** A decimal string (sorted by value) or text (sorted in the user's language). */
  sortValue: (row: Row) => string;
  numeric?: boolean;
  render: (row: Row) => ReactNode;
}

/**
 * A small table sorted in the browser: each column header is a button that sorts by it, a
 * second press reverses the order; the header says the order to assistive technology
 * (`aria-sort`). Numbers are decimal strings and are compared exactly.
 */
export function SortableTable<Row>({
  columns,
  rows,
  rowKey,
  initialSort,
  caption,
  locale,
}: {
  columns: SortColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  initialSort: { key: string; descending?: boolean };
  /** Names the table for screen readers. */
  caption: string;
  locale: string;
}) {
  const { t } = useTranslation('stock');
  const [sort, setSort] = useState(initialSort);
  const column = columns.find((c) => c.key === sort.key) ?? columns[0];
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  const sorted = [...rows].sort((a, b) => {
    const x = column.sortValue(a);
    const y = column.sortValue(b);
    const order = column.numeric ? compareDecimal(x, y) : collator.compare(x, y);
    return sort.descending ? -order : order;
  });
  return (
    <ScrollBox label={caption}>
      <Table striped highlightOnHover verticalSpacing={6} aria-label={caption} miw={440}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => {
              const direction =
                c.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none';
              return (
                <Table.Th
                  key={c.key}
                  aria-sort={direction}
                  style={{ textAlign: c.numeric ? 'right' : undefined, whiteSpace: 'nowrap' }}
                >
                  <UnstyledButton
                    fz="sm"
                    fw={600}
                    title={t('sortBy', { label: c.label })}
                    onClick={() =>
                      setSort((s) =>
                        s.key === c.key
                          ? { key: c.key, descending: !s.descending }
                          : // Numbers start with the largest, names from A.
                            { key: c.key, descending: !!c.numeric },
                      )
                    }
                  >
                    {c.label}
                    <span aria-hidden="true">
                      {direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ''}
                    </span>
                  </UnstyledButton>
                </Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((row) => (
            <Table.Tr key={rowKey(row)}>
              {columns.map((c) => (
                <Table.Td
                  key={c.key}
                  style={
                    c.numeric
                      ? { textAlign: 'right', fontVariantNumeric: 'tabular-nums' }
                      : undefined
                  }
                >
                  {c.render(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollBox>
  );
}
