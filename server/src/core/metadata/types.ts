export const FIELD_TYPES = [
  'text',
  'long_text',
  'integer',
  'decimal',
  'currency',
  'boolean',
  'date',
  'datetime',
  'select',
  'multi_select',
  'email',
  'phone',
  'url',
  'relation',
  'computed',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

export interface SelectOption {
  value: string;
  label: string;
  color?: string;
}

/** A total the engine keeps: a count or sum over the records that point at this one. */
export interface RollupDef {
  aggregate: 'count' | 'sum';
  /** The object whose records are counted or summed. */
  object: string;
  /** The relation field on that object that points here. */
  via: string;
  /** The field summed (integer, decimal or currency); absent for counts. */
  field?: string;
  /** Only records whose fields equal these values take part. */
  where?: Record<string, string | number | boolean>;
}

/** A field as declared in code (standard) or through the metadata API (custom). */
export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  description?: string;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  searchable?: boolean;
  /** Written only by the system (module code), never by API input. */
  readOnly?: boolean;
  maxLength?: number;
  /** Decimal places of a decimal field. */
  scale?: number;
  options?: SelectOption[];
  /** Relation: the object (or `users`) the field points to. */
  target?: string;
  /** Relation: name of the list of records pointing here, seen from the target. */
  reverseName?: string;
  reverseLabel?: string;
  /** Relation: what deleting the target does to this field. */
  onDelete?: 'clear' | 'restrict';
  rollup?: RollupDef;
  /** Computed: the type of the value it holds. */
  resultType?: 'integer' | 'decimal' | 'currency';
}

export interface ObjectDef {
  name: string;
  labelSingular: string;
  labelPlural: string;
  module: string;
  /** The field that names a record in lists, pickers and the timeline. */
  titleField: string;
  fields: FieldDef[];
}

export interface FieldMeta extends FieldDef {
  id: string;
  column: string;
  isCustom: boolean;
  /** Present on every record table (id, created_at, owner_id, ...). */
  isSystem: boolean;
  position: number;
}

export interface ObjectMeta {
  id: string;
  name: string;
  table: string;
  labelSingular: string;
  labelPlural: string;
  module: string;
  isCustom: boolean;
  titleField: string;
  fields: FieldMeta[];
  field(name: string): FieldMeta | undefined;
}

/** Columns every record table has, exposed as read-only fields (owner_id is writable). */
export const SYSTEM_FIELDS: FieldDef[] = [
  { name: 'id', label: 'ID', type: 'text', readOnly: true },
  { name: 'created_at', label: 'Created', type: 'datetime', readOnly: true, indexed: true },
  { name: 'updated_at', label: 'Updated', type: 'datetime', readOnly: true, indexed: true },
  { name: 'created_by', label: 'Created by', type: 'relation', target: 'users', readOnly: true },
  { name: 'updated_by', label: 'Updated by', type: 'relation', target: 'users', readOnly: true },
  { name: 'owner_id', label: 'Owner', type: 'relation', target: 'users', indexed: true },
  { name: 'deleted_at', label: 'Deleted', type: 'datetime', readOnly: true },
  { name: 'merged_into_id', label: 'Merged into', type: 'text', readOnly: true },
  { name: 'version', label: 'Version', type: 'integer', readOnly: true },
];

export const SYSTEM_FIELD_NAMES = new Set(SYSTEM_FIELDS.map((f) => f.name));

/** Columns with a meaning to the engine that no field may take. */
export const RESERVED_COLUMN_NAMES = new Set([
  ...SYSTEM_FIELD_NAMES,
  'search_vector',
  'rowid',
  'oid',
  'merged_into_id',
]);
