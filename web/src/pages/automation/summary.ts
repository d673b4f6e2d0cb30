import type { TFunction } from 'i18next';
import type { Duration, Trigger } from './types';

type T = TFunction<'automation'>;

/** What a summary needs of an object (the metadata API's objects have more). */
interface ObjectLabels {
  name: string;
  label_singular: string;
  fields: { name: string; label: string }[];
}

/** "a deal", "an order": English needs an article before a singular label; Ukrainian none. */
function oneOf(label: string, language: string): string {
  if (language !== 'en') return label;
  // A label that starts with two capitals (an acronym) keeps its case.
  const word = /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

export function durationText(t: T, d: Duration): string {
  return t(`duration.${d.unit}`, { count: d.amount });
}

function valueText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A trigger in words: "When a deal enters stage Won". */
export function triggerSummary(
  t: T,
  language: string,
  trigger: Trigger,
  objects: ObjectLabels[] | undefined,
  stages: { id: string; name: string }[] | undefined,
): string {
  const objectName = 'object' in trigger ? trigger.object : undefined;
  const meta = objects?.find((o) => o.name === objectName);
  const label = meta?.label_singular ?? objectName ?? t('summary.anyObject');
  const object = oneOf(label, language);
  const field = (name: string) => meta?.fields.find((f) => f.name === name)?.label ?? name;
  switch (trigger.type) {
    case 'record_created':
    case 'record_updated':
      if (trigger.type === 'record_updated' && trigger.fields?.length)
        return t('summary.record_updated_fields', {
          object,
          fields: trigger.fields.map(field).join(', '),
        });
      return t(`summary.${trigger.type}`, { object });
    case 'field_changed': {
      const has = (v: unknown) => v !== undefined;
      const key =
        has(trigger.from) && has(trigger.to)
          ? 'field_changed_from_to'
          : has(trigger.from)
            ? 'field_changed_from'
            : has(trigger.to)
              ? 'field_changed_to'
              : 'field_changed';
      return t(`summary.${key}`, {
        object,
        field: field(trigger.field),
        from: valueText(trigger.from),
        to: valueText(trigger.to),
      });
    }
    case 'stage_entered':
    case 'stage_left': {
      const stage = stages?.find((s) => s.id === trigger.stage_id)?.name;
      return t(`summary.${trigger.type}`, { object, stage: stage ?? t('summary.unknownStage') });
    }
    case 'date_reached':
      return trigger.offset && trigger.offset.amount > 0
        ? t('summary.date_reached_offset', {
            object,
            field: field(trigger.field),
            duration: durationText(t, trigger.offset),
            direction: t(`summary.${trigger.offset.direction}`),
          })
        : t('summary.date_reached', { object, field: field(trigger.field) });
    case 'schedule':
      return t('summary.schedule', { duration: durationText(t, trigger.every) });
    case 'task_completed':
    case 'webhook':
    case 'form_submitted':
      return t(`summary.${trigger.type}`);
    case 'event':
      return trigger.object
        ? t('summary.event_object', { event: trigger.event, object: label })
        : t('summary.event', { event: trigger.event });
  }
}
