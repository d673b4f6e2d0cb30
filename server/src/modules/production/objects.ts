import { documentNumberField, documentStatusField } from '../../core/documents/fields';
import type { ObjectDef } from '../../core/metadata/types';

/** What one run of production takes to make a product: a list of components and quantities. */
export const billsOfMaterials: ObjectDef = {
  name: 'bills_of_materials',
  labelSingular: 'Bill of materials',
  labelPlural: 'Bills of materials',
  module: 'production',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    {
      name: 'product_id',
      label: 'Product',
      type: 'relation',
      target: 'products',
      required: true,
      reverseName: 'bills_of_materials',
      reverseLabel: 'Bills of materials',
      onDelete: 'restrict',
      description: 'What the bill makes.',
    },
    {
      name: 'output_quantity',
      label: 'Output quantity',
      type: 'decimal',
      scale: 3,
      description: 'How much of the product one run makes (1 unless said otherwise).',
    },
    {
      name: 'is_active',
      label: 'Active',
      type: 'boolean',
      indexed: true,
      description:
        'A product has at most one active bill; a component with one is made from its components.',
    },
    { name: 'notes', label: 'Notes', type: 'long_text' },
  ],
};

/** One component of a bill of materials. */
export const bomLines: ObjectDef = {
  name: 'bom_lines',
  labelSingular: 'Bill of materials line',
  labelPlural: 'Bill of materials lines',
  module: 'production',
  titleField: 'position',
  fields: [
    {
      name: 'bom_id',
      label: 'Bill of materials',
      type: 'relation',
      target: 'bills_of_materials',
      required: true,
      reverseName: 'lines',
      reverseLabel: 'Components',
      onDelete: 'restrict',
    },
    {
      name: 'component_id',
      label: 'Component',
      type: 'relation',
      target: 'products',
      required: true,
      reverseName: 'used_in_bom_lines',
      reverseLabel: 'Used in bills of materials',
      onDelete: 'restrict',
    },
    {
      name: 'quantity',
      label: 'Quantity',
      type: 'decimal',
      scale: 3,
      required: true,
      description: "How much of the component the bill's output quantity takes.",
    },
    { name: 'position', label: 'Position', type: 'integer', indexed: true },
  ],
};

export const PRODUCTION_STATUSES = [
  'draft',
  'confirmed',
  'in_progress',
  'done',
  'cancelled',
] as const;
export type ProductionStatus = (typeof PRODUCTION_STATUSES)[number];

/** An order to make a quantity of a product in a warehouse from its bill of materials. */
export const productionOrders: ObjectDef = {
  name: 'production_orders',
  labelSingular: 'Production order',
  labelPlural: 'Production orders',
  module: 'production',
  titleField: 'number',
  fields: [
    documentNumberField(),
    documentStatusField([
      { value: 'draft', label: 'Draft' },
      { value: 'confirmed', label: 'Confirmed' },
      { value: 'in_progress', label: 'In progress' },
      { value: 'done', label: 'Done' },
      { value: 'cancelled', label: 'Cancelled' },
    ]),
    {
      name: 'bom_id',
      label: 'Bill of materials',
      type: 'relation',
      target: 'bills_of_materials',
      reverseName: 'production_orders',
      reverseLabel: 'Production orders',
      onDelete: 'restrict',
    },
    {
      name: 'product_id',
      label: 'Product',
      type: 'relation',
      target: 'products',
      reverseName: 'production_orders',
      reverseLabel: 'Production orders',
      onDelete: 'restrict',
      description:
        'Copied from the bill of materials; given instead of a bill, a kit is made from its components.',
    },
    { name: 'quantity', label: 'Quantity', type: 'decimal', scale: 3, required: true },
    {
      name: 'warehouse_id',
      label: 'Warehouse',
      type: 'relation',
      target: 'warehouses',
      required: true,
      reverseName: 'production_orders',
      reverseLabel: 'Production orders',
      onDelete: 'restrict',
      description: 'Components are taken from it and the goods made are put into it.',
    },
    {
      name: 'sales_order_id',
      label: 'Sales order',
      type: 'relation',
      target: 'sales_orders',
      reverseName: 'production_orders',
      reverseLabel: 'Production orders',
    },
    {
      name: 'deal_id',
      label: 'Deal',
      type: 'relation',
      target: 'deals',
      reverseName: 'production_orders',
      reverseLabel: 'Production orders',
    },
    { name: 'planned_date', label: 'Planned date', type: 'date', indexed: true },
    { name: 'finished_at', label: 'Finished', type: 'datetime', readOnly: true, indexed: true },
    {
      name: 'produced_value',
      label: 'Produced value',
      type: 'currency',
      readOnly: true,
      description: 'The value of the components consumed, which is the value of the goods made.',
    },
    { name: 'notes', label: 'Notes', type: 'long_text' },
  ],
};

export const productionObjects = [billsOfMaterials, bomLines, productionOrders];
