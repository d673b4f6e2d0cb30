import { Stack } from '@mantine/core';
import type { ComponentType } from 'react';
import type { ApiRecord, ObjectMeta } from '../../api/client';
import { SlaTimers } from '../sla/SlaTimers';
import { ProductStock } from '../stock/ProductStock';
import { WarehouseStock } from '../stock/WarehouseStock';

/** What a section of a record page is given. */
export interface RecordSectionProps {
  object: ObjectMeta;
  record: ApiRecord;
  /** The record is deleted: show, but change nothing. */
  readOnly: boolean;
}

/**
 * Sections some objects' record pages show under their fields, by object name: a product's
 * stock, a warehouse's stock. A section decides itself whether it applies to a record (a
 * service has no stock) and renders nothing when it does not. Add an object's sections here.
 */
const SECTIONS: Record<string, ComponentType<RecordSectionProps>[]> = {
  products: [ProductStock],
  warehouses: [WarehouseStock],
};

/** Sections every record page may show: its SLA timers, when a policy times the object. */
const EVERY_OBJECT: ComponentType<RecordSectionProps>[] = [SlaTimers];

export function RecordSections(props: RecordSectionProps) {
  const sections = [...EVERY_OBJECT, ...(SECTIONS[props.object.name] ?? [])];
  if (sections.length === 0) return null;
  return (
    <Stack gap="md" mt="md">
      {sections.map((Section, i) => (
        <Section key={i} {...props} />
      ))}
    </Stack>
  );
}
