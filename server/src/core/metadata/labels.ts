import type { Kontor } from '../kontor';
import { SYSTEM_FIELDS } from './types';

/** The languages people can choose; English is the language labels are written in. */
export const LOCALES = ['en', 'uk'] as const;
export type Locale = (typeof LOCALES)[number];

/** One object's labels in another language; anything left out stays in English. */
export interface ObjectLabels {
  singular?: string;
  plural?: string;
  fields?: Record<string, string>;
  /** Select options by field, then by value. */
  options?: Record<string, Record<string, string>>;
  /** The heading of the related list a relation field gives its target ("a company's Contacts"). */
  reverse?: Record<string, string>;
}

/** A module's translations of its standard objects, by object name. */
export type LabelCatalog = Record<string, ObjectLabels>;

const SYSTEM_LABELS: Record<Exclude<Locale, 'en'>, Record<string, string>> = {
  uk: {
    id: 'ID',
    created_at: 'Створено',
    updated_at: 'Змінено',
    created_by: 'Автор',
    updated_by: 'Змінив',
    owner_id: 'Відповідальний',
    deleted_at: 'Видалено',
    merged_into_id: 'Об’єднано з',
    version: 'Версія',
  },
};

interface Described {
  name: string;
  label_singular: string;
  label_plural: string;
  is_custom: boolean;
  fields: {
    name: string;
    label: string;
    is_custom: boolean;
    options?: { value: string; label: string }[];
  }[];
  related_lists: { object: string; field: string; label: string }[];
}

/**
 * A described object with its standard labels in the reader's language. Only labels still as
 * the code wrote them are translated: one an administrator renamed is shown as they wrote it.
 * Custom objects and fields keep the labels their creators gave them.
 */
export function localizeObject<T extends Described>(
  k: Kontor,
  d: T,
  locale: string | undefined,
): T {
  if (!locale || locale === 'en' || !(LOCALES as readonly string[]).includes(locale)) return d;
  const lang = locale as Exclude<Locale, 'en'>;
  const def = k.modules.flatMap((m) => m.objects).find((o) => o.name === d.name);
  const own = k.modules.find((m) => def && m.objects.includes(def))?.labels?.[lang]?.[d.name];
  const english = (name: string) =>
    def?.fields.find((f) => f.name === name) ?? SYSTEM_FIELDS.find((f) => f.name === name);
  return {
    ...d,
    label_singular:
      def && !d.is_custom && d.label_singular === def.labelSingular
        ? (own?.singular ?? d.label_singular)
        : d.label_singular,
    label_plural:
      def && !d.is_custom && d.label_plural === def.labelPlural
        ? (own?.plural ?? d.label_plural)
        : d.label_plural,
    fields: d.fields.map((f) => {
      const original = english(f.name);
      if (f.is_custom || !original) return f;
      const label =
        f.label === original.label
          ? (own?.fields?.[f.name] ?? SYSTEM_LABELS[lang][f.name] ?? f.label)
          : f.label;
      const optionLabels = own?.options?.[f.name];
      const options = f.options?.map((o) => {
        const was = original.options?.find((x) => x.value === o.value);
        return was && was.label === o.label && optionLabels?.[o.value]
          ? { ...o, label: optionLabels[o.value] }
          : o;
      });
      return { ...f, label, ...(options ? { options } : {}) };
    }),
    related_lists: d.related_lists.map((r) => {
      const source = k.modules.flatMap((m) => m.objects).find((o) => o.name === r.object);
      const field = source?.fields.find((f) => f.name === r.field);
      const catalog = k.modules.find((m) => source && m.objects.includes(source))?.labels?.[lang];
      if (!source || !field || r.label !== (field.reverseLabel ?? source.labelPlural)) return r;
      const label = catalog?.[source.name]?.reverse?.[r.field] ?? catalog?.[source.name]?.plural;
      return label ? { ...r, label } : r;
    }),
  };
}

/** Every translation of each standard field's label of an object, by field name. */
export function translatedFieldLabels(k: Kontor, objectName: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (field: string, label: string) => out.set(field, [...(out.get(field) ?? []), label]);
  for (const m of k.modules) {
    if (!m.objects.some((o) => o.name === objectName)) continue;
    for (const catalog of Object.values(m.labels ?? {}))
      for (const [field, label] of Object.entries(catalog?.[objectName]?.fields ?? {}))
        add(field, label);
  }
  for (const labels of Object.values(SYSTEM_LABELS))
    for (const [field, label] of Object.entries(labels)) add(field, label);
  return out;
}
