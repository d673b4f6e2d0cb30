import { documentNumberField } from '../../core/documents/fields';
import type { FieldDef, ObjectDef, RollupDef } from '../../core/metadata/types';

/** A document's totals: sums of its lines' rounded figures, recomputed with every line change. */
function totals(lines: string, via: string): FieldDef[] {
  const sum = (field: string): RollupDef => ({ aggregate: 'sum', object: lines, via, field });
  return [
    {
      name: 'net_total',
      label: 'Net total',
      type: 'computed',
      resultType: 'currency',
      rollup: sum('net'),
    },
    {
      name: 'tax_total',
      label: 'Tax total',
      type: 'computed',
      resultType: 'currency',
      rollup: sum('tax'),
    },
    {
      name: 'total',
      label: 'Total',
      type: 'computed',
      resultType: 'currency',
      rollup: sum('total'),
    },
  ];
}

/** Who the document is for and what it is priced in; the same on quotes and sales orders. */
function party(reverseName: string, reverseLabel: string): FieldDef[] {
  return [
    {
      name: 'company_id',
      label: 'Company',
      type: 'relation',
      target: 'companies',
      indexed: true,
      // A customer with documents stays: its documents name it.
      onDelete: 'restrict',
      reverseName,
      reverseLabel,
    },
    {
      name: 'contact_id',
      label: 'Contact',
      type: 'relation',
      target: 'contacts',
      reverseName,
      reverseLabel,
    },
    {
      name: 'deal_id',
      label: 'Deal',
      type: 'relation',
      target: 'deals',
      reverseName,
      reverseLabel,
    },
    {
      name: 'warehouse_id',
      label: 'Warehouse',
      type: 'relation',
      target: 'warehouses',
      onDelete: 'restrict',
    },
    {
      name: 'currency',
      label: 'Currency',
      type: 'text',
      required: true,
      maxLength: 3,
      description: 'ISO 4217 code; every price on the document is in it.',
    },
    {
      name: 'price_list_id',
      label: 'Price list',
      type: 'relation',
      target: 'price_lists',
      onDelete: 'restrict',
    },
  ];
}

/** The fields every line has, quote or order. */
function lineFields(docField: FieldDef, productReverse: string): FieldDef[] {
  return [
    docField,
    { name: 'position', label: 'Position', type: 'integer' },
    {
      name: 'product_id',
      label: 'Product',
      type: 'relation',
      target: 'products',
      required: true,
      onDelete: 'restrict',
      reverseName: productReverse,
    },
    { name: 'description', label: 'Description', type: 'text', maxLength: 1000 },
    {
      name: 'quantity',
      label: 'Quantity',
      type: 'decimal',
      scale: 3,
      required: true,
      description: 'In the line’s unit.',
    },
    // A line's unit and tax stay while it names them: clearing them would re-price it.
    { name: 'unit_id', label: 'Unit', type: 'relation', target: 'units', onDelete: 'restrict' },
    {
      name: 'base_quantity',
      label: 'Quantity in base unit',
      type: 'decimal',
      scale: 3,
      readOnly: true,
      description: 'The quantity in the product’s base unit, which stock is counted in.',
    },
    { name: 'unit_price', label: 'Unit price', type: 'currency' },
    { name: 'discount', label: 'Discount, %', type: 'decimal', scale: 2 },
    { name: 'tax_id', label: 'Tax', type: 'relation', target: 'taxes', onDelete: 'restrict' },
    { name: 'tax_rate', label: 'Tax rate, %', type: 'decimal', scale: 2, readOnly: true },
    { name: 'tax_included', label: 'Price includes tax', type: 'boolean', readOnly: true },
    { name: 'net', label: 'Net', type: 'currency', readOnly: true },
    { name: 'tax', label: 'Tax', type: 'currency', readOnly: true },
    { name: 'total', label: 'Total', type: 'currency', readOnly: true },
  ];
}

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected'] as const;
export const ORDER_STATUSES = [
  'draft',
  'confirmed',
  'partly_shipped',
  'shipped',
  'cancelled',
] as const;

export const quotes: ObjectDef = {
  name: 'quotes',
  labelSingular: 'Quote',
  labelPlural: 'Quotes',
  module: 'sales',
  titleField: 'number',
  fields: [
    documentNumberField(),
    {
      name: 'status',
      label: 'Status',
      type: 'select',
      readOnly: true,
      indexed: true,
      options: [
        { value: 'draft', label: 'Draft', color: 'gray' },
        { value: 'sent', label: 'Sent', color: 'blue' },
        { value: 'accepted', label: 'Accepted', color: 'green' },
        { value: 'rejected', label: 'Rejected', color: 'red' },
      ],
    },
    ...party('quotes', 'Quotes'),
    { name: 'quote_date', label: 'Quote date', type: 'date', indexed: true },
    { name: 'valid_until', label: 'Valid until', type: 'date' },
    {
      name: 'sales_order_id',
      label: 'Sales order',
      type: 'relation',
      target: 'sales_orders',
      readOnly: true,
      description: 'The order this quote was converted to.',
    },
    { name: 'freight', label: 'Freight', type: 'currency' },
    { name: 'notes', label: 'Notes', type: 'long_text', searchable: true },
    ...totals('quote_lines', 'quote_id'),
  ],
};

export const quoteLines: ObjectDef = {
  name: 'quote_lines',
  labelSingular: 'Quote line',
  labelPlural: 'Quote lines',
  module: 'sales',
  titleField: 'description',
  fields: lineFields(
    {
      name: 'quote_id',
      label: 'Quote',
      type: 'relation',
      target: 'quotes',
      required: true,
      onDelete: 'restrict',
      reverseName: 'lines',
      reverseLabel: 'Lines',
    },
    'quote_lines',
  ),
};

export const salesOrders: ObjectDef = {
  name: 'sales_orders',
  labelSingular: 'Sales order',
  labelPlural: 'Sales orders',
  module: 'sales',
  titleField: 'number',
  fields: [
    documentNumberField(),
    {
      name: 'status',
      label: 'Status',
      type: 'select',
      readOnly: true,
      indexed: true,
      options: [
        { value: 'draft', label: 'Draft', color: 'gray' },
        { value: 'confirmed', label: 'Confirmed', color: 'blue' },
        { value: 'partly_shipped', label: 'Partly shipped', color: 'orange' },
        { value: 'shipped', label: 'Shipped', color: 'green' },
        { value: 'cancelled', label: 'Cancelled', color: 'red' },
      ],
    },
    ...party('sales_orders', 'Sales orders'),
    { name: 'order_date', label: 'Order date', type: 'date', indexed: true },
    { name: 'shipped_at', label: 'Shipped', type: 'datetime', readOnly: true },
    {
      name: 'quote_id',
      label: 'Quote',
      type: 'relation',
      target: 'quotes',
      readOnly: true,
      reverseName: 'sales_orders',
      reverseLabel: 'Sales orders',
    },
    { name: 'freight', label: 'Freight', type: 'currency' },
    { name: 'notes', label: 'Notes', type: 'long_text', searchable: true },
    ...totals('sales_order_lines', 'order_id'),
  ],
};

export const salesOrderLines: ObjectDef = {
  name: 'sales_order_lines',
  labelSingular: 'Sales order line',
  labelPlural: 'Sales order lines',
  module: 'sales',
  titleField: 'description',
  fields: [
    ...lineFields(
      {
        name: 'order_id',
        label: 'Sales order',
        type: 'relation',
        target: 'sales_orders',
        required: true,
        onDelete: 'restrict',
        reverseName: 'lines',
        reverseLabel: 'Lines',
      },
      'sales_order_lines',
    ),
    {
      name: 'shipped_quantity',
      label: 'Shipped',
      type: 'decimal',
      scale: 3,
      readOnly: true,
      description: 'In the line’s unit.',
    },
    {
      name: 'reserved_quantity',
      label: 'Reserved',
      type: 'decimal',
      scale: 3,
      readOnly: true,
      description: 'In the line’s unit; stock held for this line in the order’s warehouse.',
    },
    {
      name: 'backorder_quantity',
      label: 'Backordered',
      type: 'decimal',
      scale: 3,
      readOnly: true,
      description: 'In the line’s unit; ordered, neither shipped nor reserved.',
    },
  ],
};

export const shipments: ObjectDef = {
  name: 'shipments',
  labelSingular: 'Shipment',
  labelPlural: 'Shipments',
  module: 'sales',
  titleField: 'number',
  fields: [
    documentNumberField(),
    {
      name: 'order_id',
      label: 'Sales order',
      type: 'relation',
      target: 'sales_orders',
      readOnly: true,
      onDelete: 'restrict',
      reverseName: 'shipments',
      reverseLabel: 'Shipments',
    },
    {
      name: 'warehouse_id',
      label: 'Warehouse',
      type: 'relation',
      target: 'warehouses',
      readOnly: true,
    },
    { name: 'shipped_at', label: 'Shipped', type: 'datetime', readOnly: true, indexed: true },
    {
      name: 'posting_id',
      label: 'Stock posting',
      type: 'text',
      readOnly: true,
      description: 'The stock moves this shipment posted.',
    },
    { name: 'notes', label: 'Notes', type: 'long_text' },
  ],
};

export const shipmentLines: ObjectDef = {
  name: 'shipment_lines',
  labelSingular: 'Shipment line',
  labelPlural: 'Shipment lines',
  module: 'sales',
  titleField: 'quantity',
  fields: [
    {
      name: 'shipment_id',
      label: 'Shipment',
      type: 'relation',
      target: 'shipments',
      readOnly: true,
      onDelete: 'restrict',
      reverseName: 'lines',
      reverseLabel: 'Lines',
    },
    {
      name: 'order_line_id',
      label: 'Sales order line',
      type: 'relation',
      target: 'sales_order_lines',
      readOnly: true,
      onDelete: 'restrict',
      reverseName: 'shipment_lines',
      reverseLabel: 'Shipped',
    },
    { name: 'product_id', label: 'Product', type: 'relation', target: 'products', readOnly: true },
    {
      name: 'quantity',
      label: 'Quantity',
      type: 'decimal',
      scale: 3,
      readOnly: true,
      description: 'In the order line’s unit.',
    },
    {
      name: 'base_quantity',
      label: 'Quantity in base unit',
      type: 'decimal',
      scale: 3,
      readOnly: true,
    },
  ],
};

export const salesObjects = [
  quotes,
  quoteLines,
  salesOrders,
  salesOrderLines,
  shipments,
  shipmentLines,
];
