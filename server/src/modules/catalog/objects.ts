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
      name: 'kind',
      label: 'Kind',
      type: 'select',
      options: [
        { value: 'goods', label: 'Goods' },
        { value: 'service', label: 'Service' },
      ],
    },
    { name: 'unit', label: 'Unit', type: 'text', maxLength: 100 },
    { name: 'price', label: 'Price', type: 'currency', indexed: true },
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
