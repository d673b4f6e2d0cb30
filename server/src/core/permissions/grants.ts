import { z } from 'zod';

/** Which records an action reaches: none, the actor's own, their team's, or all. */
export const SCOPES = ['none', 'own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export type FieldAccess = 'none' | 'read' | 'write';

export const objectGrantSchema = z.strictObject({
  read: z.enum(SCOPES).default('none'),
  create: z.boolean().default(false),
  update: z.enum(SCOPES).default('none'),
  delete: z.enum(SCOPES).default('none'),
  import: z.boolean().default(false),
  export: z.boolean().default(false),
  /** Field-level access; a field not listed is writable where the record is. */
  fields: z.record(z.string(), z.enum(['none', 'read', 'write'])).default({}),
});

export type ObjectGrant = z.infer<typeof objectGrantSchema>;

export const permissionsSchema = z.strictObject({
  /** Per object API name; `*` applies to objects not listed. */
  objects: z.record(z.string(), objectGrantSchema).default({}),
});

export type Permissions = z.infer<typeof permissionsSchema>;

export interface RoleGrant {
  isAdmin: boolean;
  permissions: Permissions;
}

export const NO_ACCESS: ObjectGrant = objectGrantSchema.parse({});

export const FULL_ACCESS: ObjectGrant = {
  read: 'all',
  create: true,
  update: 'all',
  delete: 'all',
  import: true,
  export: true,
  fields: {},
};

/** The grant a role gives on an object. Administrators may do everything. */
export function grantFor(role: RoleGrant, object: string): ObjectGrant {
  if (role.isAdmin) return FULL_ACCESS;
  // Own keys only: an object named "constructor" must not find Object.prototype.constructor.
  const objects = role.permissions.objects;
  if (Object.hasOwn(objects, object)) return objects[object];
  return Object.hasOwn(objects, '*') ? objects['*'] : NO_ACCESS;
}

export function fieldAccess(grant: ObjectGrant, field: string): FieldAccess {
  return Object.hasOwn(grant.fields, field) ? grant.fields[field] : 'write';
}
