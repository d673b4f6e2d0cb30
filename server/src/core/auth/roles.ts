import type { Db, DialectName } from '../../db/database';
import { boolFromDb, boolToDb } from '../../db/column-types';
import { isoNow, type Clock } from '../clock';
import { newId } from '../ids';
import { permissionsSchema, type Permissions, type RoleGrant } from '../permissions/grants';

/** Roles every installation has. Administrators may do everything; the others are examples to edit. */
const BUILT_IN: { name: string; isAdmin: boolean; permissions: Permissions }[] = [
  { name: 'Administrator', isAdmin: true, permissions: { objects: {} } },
  {
    name: 'Sales manager',
    isAdmin: false,
    permissions: permissionsSchema.parse({
      objects: {
        '*': {
          read: 'all',
          create: true,
          update: 'all',
          delete: 'team',
          import: true,
          export: true,
        },
      },
    }),
  },
  {
    name: 'Sales representative',
    isAdmin: false,
    permissions: permissionsSchema.parse({
      objects: {
        '*': { read: 'team', create: true, update: 'own', delete: 'own', export: true },
        pipelines: { read: 'all' },
        stages: { read: 'all' },
        products: { read: 'all' },
        product_categories: { read: 'all' },
      },
    }),
  },
];

/**
 * Creates the built-in roles on the first start. Afterwards they belong to the administrators,
 * who may rename them: a start must not bring a renamed role back under its old name.
 */
export async function ensureBuiltInRoles(db: Db, dialect: DialectName, clock: Clock) {
  if (await db.selectFrom('roles').select('id').limit(1).executeTakeFirst()) return;
  const now = isoNow(clock);
  for (const r of BUILT_IN) {
    await db
      .insertInto('roles')
      .values({
        id: newId(),
        name: r.name,
        is_admin: boolToDb(dialect, r.isAdmin),
        permissions: JSON.stringify(r.permissions),
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}

export async function roleIdByName(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('roles').select('id').where('name', '=', name).executeTakeFirst();
  return row?.id as string | undefined;
}

// Every request resolves its role; the same stored text always parses to the same grant.
const parsedGrants = new Map<string, Permissions>();

export function roleGrant(row: { is_admin: unknown; permissions: string }): RoleGrant {
  let permissions = parsedGrants.get(row.permissions);
  if (!permissions) {
    permissions = permissionsSchema.parse(JSON.parse(row.permissions));
    if (parsedGrants.size > 1000) parsedGrants.clear();
    parsedGrants.set(row.permissions, permissions);
  }
  return { isAdmin: boolFromDb(row.is_admin), permissions };
}
