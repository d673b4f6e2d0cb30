import type { Db, DialectName } from '../../db/database';
import { boolToDb } from '../../db/column-types';
import { isoNow, type Clock } from '../clock';
import { newId } from '../ids';
import { fieldColumns } from './field-types';
import { buildObjectMeta } from './registry';
import {
  addFieldColumns,
  createFieldIndexes,
  createRecordTable,
  createSearchIndex,
  existingColumns,
} from './schema';
import type { FieldDef, FieldMeta, ObjectDef, ObjectMeta } from './types';

interface ExistingField {
  id: string;
  api_name: string;
  definition: string;
  position: number;
}

/**
 * Brings the metadata tables and record tables in line with the standard objects declared in
 * code. Additive: it creates objects, tables, fields and columns that are missing and updates
 * definitions, but never drops anything. Select options added at run time are kept.
 */
export async function syncStandardObjects(
  db: Db,
  dialect: DialectName,
  clock: Clock,
  defs: ObjectDef[],
) {
  const now = isoNow(clock);
  for (const def of defs) {
    let obj = (await db
      .selectFrom('sys_objects')
      .selectAll()
      .where('api_name', '=', def.name)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()) as { id: string; table_name: string } | undefined;
    const isNewObject = !obj;
    if (!obj) {
      obj = { id: newId(), table_name: def.name };
      await db
        .insertInto('sys_objects')
        .values({
          id: obj.id,
          api_name: def.name,
          table_name: def.name,
          label_singular: def.labelSingular,
          label_plural: def.labelPlural,
          module: def.module,
          is_custom: boolToDb(dialect, false),
          title_field: def.titleField,
          options: '{}',
          created_at: now,
          updated_at: now,
        })
        .execute();
    } else {
      await db
        .updateTable('sys_objects')
        .set({
          label_singular: def.labelSingular,
          label_plural: def.labelPlural,
          module: def.module,
          title_field: def.titleField,
        })
        .where('id', '=', obj.id)
        .execute();
    }

    const existing = (await db
      .selectFrom('sys_fields')
      .select(['id', 'api_name', 'definition', 'position'])
      .where('object_id', '=', obj.id)
      .where('deleted_at', 'is', null)
      .execute()) as ExistingField[];
    const byName = new Map(existing.map((f) => [f.api_name, f]));
    const fields: FieldMeta[] = [];
    for (const [i, fdef] of def.fields.entries()) {
      const prior = byName.get(fdef.name);
      const merged = prior
        ? keepRuntimeOptions(fdef, JSON.parse(prior.definition) as FieldDef)
        : fdef;
      const id = prior?.id ?? newId();
      if (prior) {
        await db
          .updateTable('sys_fields')
          .set({
            definition: JSON.stringify(merged),
            label: merged.label,
            type: merged.type,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
      } else {
        await db
          .insertInto('sys_fields')
          .values({
            id,
            object_id: obj.id,
            api_name: fdef.name,
            column_name: fdef.name,
            type: fdef.type,
            label: fdef.label,
            is_custom: boolToDb(dialect, false),
            position: i * 10,
            definition: JSON.stringify(merged),
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      fields.push({
        ...merged,
        id,
        column: fdef.name,
        isCustom: false,
        isSystem: false,
        position: prior?.position ?? i * 10,
      });
    }
    const meta: ObjectMeta = buildObjectMeta(
      {
        id: obj.id,
        name: def.name,
        table: obj.table_name,
        labelSingular: def.labelSingular,
        labelPlural: def.labelPlural,
        module: def.module,
        isCustom: false,
        titleField: def.titleField,
      },
      fields,
    );
    if (isNewObject) {
      await createRecordTable(db, dialect, meta);
      continue;
    }
    const columns = await existingColumns(db, dialect, meta.table);
    for (const f of fields) {
      const missing = fieldColumns(f, dialect).some((c) => !columns.has(c.name));
      if (missing) await addFieldColumns(db, dialect, meta, f);
      else await createFieldIndexes(db, dialect, meta, f);
    }
    await createSearchIndex(db, dialect, meta.table);
  }
}

/**
 * Code decides a standard field's type and rules; what an administrator may change on it
 * (label, description, searchable, added options) is kept from the stored definition.
 */
function keepRuntimeOptions(code: FieldDef, stored: FieldDef & { edited?: string[] }): FieldDef {
  const merged: FieldDef & { edited?: string[] } = { ...code };
  for (const key of stored.edited ?? []) {
    if (
      key === 'label' ||
      key === 'description' ||
      key === 'searchable' ||
      key === 'reverseLabel'
    ) {
      (merged as unknown as Record<string, unknown>)[key] = (
        stored as unknown as Record<string, unknown>
      )[key];
    }
  }
  if (stored.edited?.length) merged.edited = stored.edited;
  if (!code.options || !stored.options) return merged;
  const known = new Set(code.options.map((o) => o.value));
  return {
    ...merged,
    options: [...code.options, ...stored.options.filter((o) => !known.has(o.value))],
  };
}
