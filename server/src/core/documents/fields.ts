import type { FieldDef, SelectOption } from '../metadata/types';

/** A document's human number (`SO-000123`): set by the server from its counter, unique. */
export function documentNumberField(): FieldDef {
  return {
    name: 'number',
    label: 'Number',
    type: 'text',
    readOnly: true,
    unique: true,
    indexed: true,
    searchable: true,
    maxLength: 32,
  };
}

/** A document's state: changed only by its actions (confirm, ship, receive…), never by input. */
export function documentStatusField(options: SelectOption[]): FieldDef {
  return {
    name: 'status',
    label: 'Status',
    type: 'select',
    readOnly: true,
    indexed: true,
    options,
  };
}
