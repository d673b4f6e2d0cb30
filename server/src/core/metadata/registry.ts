import type { Db } from '../../db/database';
import { AppError } from '../errors';
import { SYSTEM_FIELDS, type FieldDef, type FieldMeta, type ObjectMeta } from './types';

interface ObjectRow {
  id: string;
  api_name: string;
  table_name: string;
  label_singular: string;
  label_plural: string;
  module: string;
  is_custom: unknown;
  title_field: string;
}

interface FieldRow {
  id: string;
  object_id: string;
  api_name: string;
  column_name: string;
  is_custom: unknown;
  position: number;
  definition: string;
}

function systemFields(): FieldMeta[] {
  return SYSTEM_FIELDS.map((f, i) => ({
    ...f,
    id: `system:${f.name}`,
    column: f.name,
    isCustom: false,
    isSystem: true,
    position: -100 + i,
  }));
}

export function buildObjectMeta(
  row: Omit<ObjectMeta, 'fields' | 'field'>,
  fields: FieldMeta[],
): ObjectMeta {
  const all = [...systemFields(), ...fields.sort((a, b) => a.position - b.position)];
  const byName = new Map(all.map((f) => [f.name, f]));
  return { ...row, fields: all, field: (name) => byName.get(name) };
}

/** Where processes announce metadata changes to each other. */
export const METADATA_CHANNEL = 'kontor_metadata';

/** The objects and fields in force, read from the metadata tables and kept in memory. */
export class MetadataRegistry {
  private objects = new Map<string, ObjectMeta>();
  private byTable = new Map<string, ObjectMeta>();
  /** Bumped on every reload, so caches built from metadata know when to rebuild. */
  version = 0;
  private started = 0;
  private applied = 0;

  /** Reads the metadata again; of two loads that overlap, the one started last wins. */
  async load(db: Db): Promise<void> {
    const ticket = ++this.started;
    const objects = (await db
      .selectFrom('sys_objects')
      .selectAll()
      .where('deleted_at', 'is', null)
      .execute()) as ObjectRow[];
    const fields = (await db
      .selectFrom('sys_fields')
      .selectAll()
      .where('deleted_at', 'is', null)
      .execute()) as FieldRow[];

    const next = new Map<string, ObjectMeta>();
    for (const o of objects) {
      const own = fields
        .filter((f) => f.object_id === o.id)
        .map((f): FieldMeta => {
          const def = JSON.parse(f.definition) as FieldDef;
          return {
            ...def,
            name: f.api_name,
            id: f.id,
            column: f.column_name,
            isCustom: f.is_custom === true || f.is_custom === 1,
            isSystem: false,
            position: f.position,
          };
        });
      next.set(
        o.api_name,
        buildObjectMeta(
          {
            id: o.id,
            name: o.api_name,
            table: o.table_name,
            labelSingular: o.label_singular,
            labelPlural: o.label_plural,
            module: o.module,
            isCustom: o.is_custom === true || o.is_custom === 1,
            titleField: o.title_field,
          },
          own,
        ),
      );
    }
    if (ticket < this.applied) return;
    this.applied = ticket;
    this.objects = next;
    this.byTable = new Map([...next.values()].map((o) => [o.table, o]));
    this.version += 1;
  }

  all(): ObjectMeta[] {
    return [...this.objects.values()];
  }

  find(name: string): ObjectMeta | undefined {
    return this.objects.get(name);
  }

  /** The object, or a 404 that names what was asked for. */
  get(name: string): ObjectMeta {
    const o = this.objects.get(name);
    if (!o) {
      throw new AppError('not_found', `Unknown object "${name}"`, [
        { path: 'object', message: `no object named "${name}"` },
      ]);
    }
    return o;
  }

  byTableName(table: string): ObjectMeta | undefined {
    return this.byTable.get(table);
  }

  /** Relation fields on other objects that point at this one. */
  reverseRelations(object: string): { object: ObjectMeta; field: FieldMeta }[] {
    const out: { object: ObjectMeta; field: FieldMeta }[] = [];
    for (const o of this.objects.values()) {
      for (const f of o.fields) {
        if (f.type === 'relation' && f.target === object && !f.isSystem)
          out.push({ object: o, field: f });
      }
    }
    return out;
  }
}
