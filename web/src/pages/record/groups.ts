import type { FieldMeta, ObjectMeta } from '../../api/client';

/**
 * The groups a record page shows its fields in.
 *
 * A field whose metadata names a `group` goes there. Otherwise (no standard or custom field has
 * one today) the group is derived from the field, first rule that matches:
 *
 * 1. `system` — the columns every record has: created and updated (at and by) and the owner.
 * 2. `totals` — computed fields (counts and sums the server keeps).
 * 3. `address` — street, city, region, state, province, postal code, ZIP and country, alone or
 *    after a prefix (`billing_city`, `shipping_country`).
 * 4. `contact` — e-mail, phone and URL fields.
 * 5. `relations` — references to other records.
 * 6. `notes` — long text (descriptions and notes), shown full width.
 * 7. `main` — everything else: names, amounts, options, dates, numbers, yes/no.
 *
 * Hidden everywhere: `id`, `version`, `deleted_at` and `merged_into_id` (the page says when a
 * record is deleted or merged), the stored `*_e164` forms of phone numbers, and the
 * `related_object`/`related_id` pair of activities and tasks (shown as one link instead).
 */
export const GROUPS = [
  'main',
  'contact',
  'address',
  'relations',
  'totals',
  'notes',
  'system',
] as const;
export type GroupName = (typeof GROUPS)[number];

const HIDDEN = new Set([
  'id',
  'version',
  'deleted_at',
  'merged_into_id',
  'related_object',
  'related_id',
]);
const SYSTEM = new Set(['created_at', 'created_by', 'updated_at', 'updated_by', 'owner_id']);
const ADDRESS =
  /^(?:[a-z0-9]+_)?(street|street_\d|address|address_line_\d|city|town|region|state|province|postal_code|postcode|zip|zip_code|country)$/;

export function isHiddenField(f: FieldMeta): boolean {
  return HIDDEN.has(f.name) || f.name.endsWith('_e164');
}

export function groupOf(f: FieldMeta): GroupName {
  const declared = (f as FieldMeta & { group?: string }).group;
  if (declared && (GROUPS as readonly string[]).includes(declared)) return declared as GroupName;
  if (SYSTEM.has(f.name)) return 'system';
  if (f.type === 'computed') return 'totals';
  if (ADDRESS.test(f.name)) return 'address';
  if (f.type === 'email' || f.type === 'phone' || f.type === 'url') return 'contact';
  if (f.type === 'relation') return 'relations';
  if (f.type === 'long_text') return 'notes';
  return 'main';
}

/** The object's visible fields in their groups, in the metadata's order, empty groups left out. */
export function groupFields(object: ObjectMeta): { group: GroupName; fields: FieldMeta[] }[] {
  const byGroup = new Map<GroupName, FieldMeta[]>(GROUPS.map((g) => [g, []]));
  for (const f of object.fields) {
    if (isHiddenField(f)) continue;
    byGroup.get(groupOf(f))!.push(f);
  }
  // The system group reads best as: owner, created at, created by, updated at, updated by.
  const order = ['owner_id', 'created_at', 'created_by', 'updated_at', 'updated_by'];
  byGroup.get('system')!.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return GROUPS.map((group) => ({ group, fields: byGroup.get(group)! })).filter(
    (g) => g.fields.length > 0,
  );
}
