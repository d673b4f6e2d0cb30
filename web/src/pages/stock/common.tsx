import { Anchor, Box, SimpleGrid, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { ObjectMeta } from '../../api/client';
import { useObjects } from '../../api/hooks';

/** Whether the user may post stock: the server asks for the right to change a warehouse. */
export function mayPostStock(warehouses: ObjectMeta | undefined): boolean {
  const access = (warehouses as (ObjectMeta & { access?: { update?: string } }) | undefined)
    ?.access;
  return !!warehouses && access?.update !== 'none';
}

/** The products and warehouses objects, when the user may read both (stock needs both). */
export function useStockObjects() {
  const objects = useObjects();
  const products = objects.data?.find((o) => o.name === 'products');
  const warehouses = objects.data?.find((o) => o.name === 'warehouses');
  return { products, warehouses, readable: !!products && !!warehouses };
}

/** Figures side by side, each with its label: a description list. */
export function Figures({ items }: { items: { label: string; value: ReactNode }[] }) {
  return (
    <SimpleGrid
      component="dl"
      cols={{ base: 1, xs: Math.min(items.length, 3) }}
      spacing="sm"
      m={0}
      mb="sm"
    >
      {items.map((item) => (
        <div key={item.label}>
          <Text component="dt" size="xs" c="gray.7">
            {item.label}
          </Text>
          <Text
            component="dd"
            m={0}
            fw={600}
            size="lg"
            style={{ fontVariantNumeric: 'tabular-nums' }}
          >
            {item.value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}

/** A link to a record page. */
export function RecordLink({
  object,
  id,
  children,
}: {
  object: string;
  id: string;
  children: ReactNode;
}) {
  return (
    <Anchor
      size="sm"
      renderRoot={(props) => <Link to="/o/$object/$id" params={{ object, id }} {...props} />}
    >
      {children}
    </Anchor>
  );
}

/**
 * A table that scrolls sideways on a narrow screen. The box takes the keyboard focus so that
 * it can be scrolled without a mouse, and is named after the table (a group, not a landmark).
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box
      role="group"
      aria-label={label}
      tabIndex={0}
      className="kontor-stock-scroll"
      style={{ overflowX: 'auto' }}
    >
      {children}
    </Box>
  );
}
