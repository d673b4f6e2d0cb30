import type { ObjectDef } from '../../core/metadata/types';

export const productCategories: ObjectDef = {
  name: 'product_categories',
  labelSingular: 'Product category',
  labelPlural: 'Product categories',
  module: 'catalog',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text', searchable: true },
  ],
};

/** Units of measure (piece, kilogram, box); a product counts its stock in its base unit. */
export const units: ObjectDef = {
  name: 'units',
  labelSingular: 'Unit',
  labelPlural: 'Units',
  module: 'catalog',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    {
      name: 'code',
      label: 'Code',
      type: 'text',
      required: true,
      unique: true,
      searchable: true,
      maxLength: 16,
      description: 'A short symbol such as pcs, kg or box.',
    },
  ],
};

export const taxes: ObjectDef = {
  name: 'taxes',
  labelSingular: 'Tax',
  labelPlural: 'Taxes',
  module: 'catalog',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    {
      name: 'rate',
      label: 'Rate, %',
      type: 'decimal',
      scale: 2,
      required: true,
      description: 'From 0 to 100, such as 20 or 7.5.',
    },
    {
      name: 'included',
      label: 'Included in prices',
      type: 'boolean',
      description: 'Prices with this tax already contain it.',
    },
  ],
};

export const customerGroups: ObjectDef = {
  name: 'customer_groups',
  labelSingular: 'Customer group',
  labelPlural: 'Customer groups',
  module: 'catalog',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'description', label: 'Description', type: 'long_text' },
  ],
};

export const products: ObjectDef = {
  name: 'products',
  labelSingular: 'Product',
  labelPlural: 'Products',
  module: 'catalog',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'sku', label: 'SKU', type: 'text', unique: true, searchable: true, maxLength: 64 },
    {
      name: 'barcode',
      label: 'Barcode',
      type: 'text',
      unique: true,
      searchable: true,
      maxLength: 64,
    },
    {
      name: 'kind',
      label: 'Kind',
      type: 'select',
      options: [
        { value: 'goods', label: 'Goods' },
        { value: 'service', label: 'Service' },
        { value: 'kit', label: 'Kit' },
      ],
      description: 'A kit is sold as a set of other products; once assembled it may be stocked.',
    },
    {
      name: 'unit_id',
      label: 'Base unit',
      type: 'relation',
      target: 'units',
      reverseName: 'products',
      reverseLabel: 'Products',
      onDelete: 'restrict',
      description: 'The unit stock is counted in; other units convert to it.',
    },
    {
      name: 'unit',
      label: 'Quantity per unit',
      type: 'text',
      maxLength: 100,
      description: 'Packaging as written, such as "10 boxes x 20 bags".',
    },
    { name: 'price', label: 'Price', type: 'currency', indexed: true },
    { name: 'purchase_price', label: 'Purchase price', type: 'currency' },
    {
      name: 'tax_id',
      label: 'Tax',
      type: 'relation',
      target: 'taxes',
      reverseName: 'products',
      reverseLabel: 'Products',
      onDelete: 'restrict',
    },
    {
      name: 'valuation_method',
      label: 'Valuation',
      type: 'select',
      options: [
        { value: 'average', label: 'Moving average' },
        { value: 'fifo', label: 'FIFO' },
      ],
    },
    {
      name: 'category_id',
      label: 'Category',
      type: 'relation',
      target: 'product_categories',
      reverseName: 'products',
      reverseLabel: 'Products',
    },
    {
      name: 'supplier_id',
      label: 'Supplier',
      type: 'relation',
      target: 'companies',
      reverseName: 'supplied_products',
      reverseLabel: 'Supplied products',
    },
    { name: 'is_active', label: 'Active', type: 'boolean', indexed: true },
    { name: 'is_discontinued', label: 'Discontinued', type: 'boolean', indexed: true },
    {
      name: 'allow_negative_stock',
      label: 'Stock may go below zero',
      type: 'boolean',
      description: 'Shipments may take more than is on hand (goods made or bought to order).',
    },
    { name: 'external_ref', label: 'External reference', type: 'text', indexed: true },
    { name: 'description', label: 'Description', type: 'long_text', searchable: true },
  ],
};

/** Another unit a product is counted in, and how many base units one of it holds. */
export const productUnits: ObjectDef = {
  name: 'product_units',
  labelSingular: 'Product unit',
  labelPlural: 'Product units',
  module: 'catalog',
  titleField: 'name',
  fields: [
    {
      name: 'name',
      label: 'Name',
      type: 'text',
      readOnly: true,
      description: 'Written from the unit and factor, such as "box = 12 pcs".',
    },
    {
      name: 'product_id',
      label: 'Product',
      type: 'relation',
      target: 'products',
      required: true,
      reverseName: 'product_units',
      reverseLabel: 'Units',
      onDelete: 'restrict',
    },
    {
      name: 'unit_id',
      label: 'Unit',
      type: 'relation',
      target: 'units',
      required: true,
      reverseName: 'product_units',
      reverseLabel: 'Product units',
      onDelete: 'restrict',
    },
    {
      name: 'factor',
      label: 'Base units in one',
      type: 'decimal',
      scale: 3,
      required: true,
      description: 'How many of the product’s base unit one of this unit holds (a box of 12: 12).',
    },
  ],
};

export const priceLists: ObjectDef = {
  name: 'price_lists',
  labelSingular: 'Price list',
  labelPlural: 'Price lists',
  module: 'catalog',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    {
      name: 'currency',
      label: 'Currency',
      type: 'text',
      required: true,
      indexed: true,
      maxLength: 3,
      description: 'An ISO 4217 code such as EUR; every price in the list is in it.',
    },
    {
      name: 'customer_group_id',
      label: 'Customer group',
      type: 'relation',
      target: 'customer_groups',
      reverseName: 'price_lists',
      reverseLabel: 'Price lists',
      onDelete: 'restrict',
      description: 'Empty: the list is for every customer.',
    },
    { name: 'is_active', label: 'Active', type: 'boolean', indexed: true },
    { name: 'valid_from', label: 'Valid from', type: 'date' },
    { name: 'valid_to', label: 'Valid to', type: 'date' },
    { name: 'description', label: 'Description', type: 'long_text' },
  ],
};

export const priceListItems: ObjectDef = {
  name: 'price_list_items',
  labelSingular: 'Price list item',
  labelPlural: 'Price list items',
  module: 'catalog',
  titleField: 'name',
  fields: [
    {
      name: 'name',
      label: 'Name',
      type: 'text',
      readOnly: true,
      description: 'Written from the product, unit and least quantity.',
    },
    {
      name: 'price_list_id',
      label: 'Price list',
      type: 'relation',
      target: 'price_lists',
      required: true,
      reverseName: 'items',
      reverseLabel: 'Prices',
      onDelete: 'restrict',
    },
    {
      name: 'product_id',
      label: 'Product',
      type: 'relation',
      target: 'products',
      required: true,
      reverseName: 'price_list_items',
      reverseLabel: 'Price list prices',
      onDelete: 'restrict',
    },
    {
      name: 'unit_id',
      label: 'Unit',
      type: 'relation',
      target: 'units',
      reverseName: 'price_list_items',
      reverseLabel: 'Price list prices',
      onDelete: 'restrict',
      description: 'Empty: the product’s base unit.',
    },
    {
      name: 'min_quantity',
      label: 'From quantity',
      type: 'decimal',
      scale: 3,
      description: 'The price applies from this many units on (0: always).',
    },
    { name: 'price', label: 'Price', type: 'currency', required: true },
  ],
};

export const kitComponents: ObjectDef = {
  name: 'kit_components',
  labelSingular: 'Kit component',
  labelPlural: 'Kit components',
  module: 'catalog',
  titleField: 'name',
  fields: [
    {
      name: 'name',
      label: 'Name',
      type: 'text',
      readOnly: true,
      description: 'Written from the component and its quantity.',
    },
    {
      name: 'kit_id',
      label: 'Kit',
      type: 'relation',
      target: 'products',
      required: true,
      reverseName: 'kit_components',
      reverseLabel: 'Components',
      onDelete: 'restrict',
    },
    {
      name: 'component_id',
      label: 'Component',
      type: 'relation',
      target: 'products',
      required: true,
      reverseName: 'used_in_kits',
      reverseLabel: 'Used in kits',
      onDelete: 'restrict',
    },
    {
      name: 'quantity',
      label: 'Quantity',
      type: 'decimal',
      scale: 3,
      required: true,
      description: 'In the component’s base unit, per one kit.',
    },
  ],
};

/** In creation order: an object's relation targets may come later (sync makes plain columns). */
export const catalogObjects: ObjectDef[] = [
  productCategories,
  units,
  taxes,
  customerGroups,
  products,
  productUnits,
  priceLists,
  priceListItems,
  kitComponents,
];
