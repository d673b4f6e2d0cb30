import type { ObjectDef } from '../../core/metadata/types';

export const warehouses: ObjectDef = {
  name: 'warehouses',
  labelSingular: 'Warehouse',
  labelPlural: 'Warehouses',
  module: 'inventory',
  titleField: 'name',
  fields: [
    { name: 'name', label: 'Name', type: 'text', required: true, indexed: true, searchable: true },
    { name: 'code', label: 'Code', type: 'text', unique: true, maxLength: 32, searchable: true },
    { name: 'is_active', label: 'Active', type: 'boolean', indexed: true },
    { name: 'street', label: 'Street', type: 'text' },
    { name: 'city', label: 'City', type: 'text', indexed: true },
    { name: 'country', label: 'Country', type: 'text' },
    { name: 'description', label: 'Description', type: 'long_text' },
  ],
};
