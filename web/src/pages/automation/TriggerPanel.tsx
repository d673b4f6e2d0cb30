import { MultiSelect, NativeSelect, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FieldMeta, ObjectMeta } from '../../api/client';
import { useLocale } from '../../i18n';
import { fromZonedInput, toZonedInput } from '../record/time';
import { OneTimeSecret } from '../settings/common';
import type { StageOption, PipelineOption } from './api';
import { CODE, DurationInput, fieldOptions, type NodeErrors } from './inputs';
import { TRIGGER_TYPES, type Definition, type Trigger, type TriggerType } from './types';

export const CONDITION_EXAMPLE = "record.amount > 1000 and record.status == 'open'";

/** A trigger of a type, keeping the object it had where the new type has one too. */
function blankTrigger(type: TriggerType, previous: Trigger, objects: ObjectMeta[]): Trigger {
  const object =
    'object' in previous && previous.object ? previous.object : (objects[0]?.name ?? '');
  switch (type) {
    case 'record_created':
    case 'record_updated':
      return { type, object };
    case 'field_changed':
      return { type, object, field: '' };
    case 'stage_entered':
    case 'stage_left':
      return {
        type,
        object: objects.some((o) => o.name === 'deals') ? 'deals' : object,
        stage_id: '',
      };
    case 'date_reached':
      return { type, object, field: '' };
    case 'schedule':
      return { type, every: { amount: 1, unit: 'days' } };
    case 'task_completed':
    case 'webhook':
      return { type };
    case 'form_submitted':
      return { type };
    case 'event':
      return { type, event: '' };
  }
}

/** The stages grouped by pipeline, as a select's data. */
export function stageData(stages: StageOption[], pipelines: PipelineOption[]) {
  return pipelines
    .map((p) => ({
      group: p.name,
      items: stages
        .filter((s) => s.pipeline_id === p.id)
        .map((s) => ({ value: s.id, label: s.name })),
    }))
    .filter((g) => g.items.length > 0);
}

/** A value a field changes from or to, as the API shows it (an option, a number, a boolean). */
function ValueInput({
  label,
  field,
  value,
  onChange,
  error,
}: {
  label: string;
  field: FieldMeta | undefined;
  value: unknown;
  onChange: (value: unknown) => void;
  error?: string;
}) {
  const { t } = useTranslation('automation');
  if (field?.options?.length || field?.type === 'boolean') {
    const data =
      field.type === 'boolean'
        ? [
            { value: 'true', label: t('yes') },
            { value: 'false', label: t('no') },
          ]
        : field.options!;
    return (
      <NativeSelect
        label={label}
        data={[{ value: '', label: '—' }, ...data]}
        value={value === undefined ? '' : String(value)}
        onChange={(e) => {
          const v = e.currentTarget.value;
          onChange(v === '' ? undefined : field.type === 'boolean' ? v === 'true' : v);
        }}
        error={error}
      />
    );
  }
  const numeric = field?.type === 'integer';
  return (
    <TextInput
      label={label}
      value={value === undefined ? '' : String(value)}
      onChange={(e) => {
        const v = e.currentTarget.value;
        onChange(v === '' ? undefined : numeric && /^-?\d+$/.test(v) ? Number(v) : v);
      }}
      error={error}
    />
  );
}

/** The trigger and the start condition of a process. */
export function TriggerPanel({
  definition,
  onChange,
  objects,
  stages,
  pipelines,
  errors,
  webhook,
}: {
  definition: Definition;
  onChange: (def: Definition) => void;
  objects: ObjectMeta[];
  stages: StageOption[];
  pipelines: PipelineOption[];
  errors: NodeErrors;
  /** With a saved webhook process: its address, and its secret right after it was made. */
  webhook?: { url?: string; token?: string };
}) {
  const { t } = useTranslation('automation');
  const { timeZone } = useLocale();
  const trigger = definition.trigger;
  const set = (next: Trigger) => onChange({ ...definition, trigger: next });
  const object = 'object' in trigger ? objects.find((o) => o.name === trigger.object) : undefined;
  const objectData = objects.map((o) => ({ value: o.name, label: o.label_plural }));
  const fields = object?.fields ?? [];
  const e = (key: string) => errors.get(`trigger.${key}`);

  return (
    <Stack gap="sm">
      <Select
        label={t('when')}
        data={TRIGGER_TYPES.map((type) => ({ value: type, label: t(`triggerType.${type}`) }))}
        value={trigger.type}
        allowDeselect={false}
        onChange={(type) => type && set(blankTrigger(type as TriggerType, trigger, objects))}
        error={e('type') ?? errors.get('trigger')}
      />
      {'object' in trigger && trigger.type !== 'event' && (
        <Select
          label={t('object')}
          data={objectData}
          value={trigger.object || null}
          searchable
          allowDeselect={false}
          onChange={(name) => {
            if (!name) return;
            // Fields and stages belong to the object: they are chosen again for another.
            set(blankTrigger(trigger.type, { ...trigger, object: name } as Trigger, objects));
          }}
          error={e('object')}
        />
      )}
      {trigger.type === 'record_updated' && (
        <MultiSelect
          label={t('onlyFields')}
          data={fieldOptions(fields.filter((f) => f.type !== 'computed'))}
          value={trigger.fields ?? []}
          searchable
          onChange={(names) => set({ ...trigger, fields: names.length ? names : undefined })}
          error={errors.under('trigger.fields')}
        />
      )}
      {(trigger.type === 'field_changed' || trigger.type === 'date_reached') && (
        <Select
          label={t('field')}
          data={fieldOptions(
            trigger.type === 'date_reached'
              ? fields.filter((f) => f.type === 'date' || f.type === 'datetime')
              : fields.filter((f) => f.type !== 'computed'),
          )}
          value={trigger.field || null}
          searchable
          allowDeselect={false}
          onChange={(name) => {
            if (!name) return;
            if (trigger.type === 'field_changed')
              set({ type: trigger.type, object: trigger.object, field: name });
            else set({ ...trigger, field: name });
          }}
          error={e('field')}
        />
      )}
      {trigger.type === 'field_changed' && trigger.field && (
        <>
          <ValueInput
            label={t('from')}
            field={fields.find((f) => f.name === trigger.field)}
            value={trigger.from}
            onChange={(from) => set({ ...trigger, from })}
            error={e('from')}
          />
          <ValueInput
            label={t('to')}
            field={fields.find((f) => f.name === trigger.field)}
            value={trigger.to}
            onChange={(to) => set({ ...trigger, to })}
            error={e('to')}
          />
        </>
      )}
      {(trigger.type === 'stage_entered' || trigger.type === 'stage_left') && (
        <Select
          label={t('stage')}
          data={stageData(stages, pipelines)}
          value={trigger.stage_id || null}
          searchable
          allowDeselect={false}
          onChange={(id) => id && set({ ...trigger, stage_id: id })}
          error={e('stage_id')}
        />
      )}
      {trigger.type === 'date_reached' && (
        <>
          <DurationInput
            legend={t('offset')}
            noneLabel={t('noOffset')}
            value={trigger.offset}
            onChange={(d) =>
              set({
                ...trigger,
                offset: d ? { ...d, direction: trigger.offset?.direction ?? 'before' } : undefined,
              })
            }
            error={errors.under('trigger.offset')}
          />
          {trigger.offset && (
            <NativeSelect
              label={t('direction')}
              data={[
                { value: 'before', label: t('before') },
                { value: 'after', label: t('after') },
              ]}
              value={trigger.offset.direction}
              onChange={(ev) =>
                set({
                  ...trigger,
                  offset: {
                    ...trigger.offset!,
                    direction: ev.currentTarget.value as 'before' | 'after',
                  },
                })
              }
            />
          )}
        </>
      )}
      {trigger.type === 'schedule' && (
        <>
          <DurationInput
            legend={t('every')}
            value={trigger.every}
            onChange={(d) => d && set({ ...trigger, every: d })}
            error={errors.under('trigger.every')}
          />
          <TextInput
            type="datetime-local"
            label={t('starting')}
            value={trigger.starting ? toZonedInput(trigger.starting, timeZone) : ''}
            onChange={(ev) => {
              const v = ev.currentTarget.value;
              set({
                ...trigger,
                starting: v ? (fromZonedInput(v, timeZone) ?? undefined) : undefined,
              });
            }}
            error={e('starting')}
          />
        </>
      )}
      {trigger.type === 'form_submitted' && (
        <TextInput
          label={t('formId')}
          value={trigger.form_id ?? ''}
          onChange={(ev) => set({ ...trigger, form_id: ev.currentTarget.value || undefined })}
          error={e('form_id')}
        />
      )}
      {trigger.type === 'webhook' &&
        (webhook?.url ? (
          <TextInput
            label={t('webhookUrl')}
            description={t('webhookHint')}
            value={webhook.url}
            readOnly
            classNames={CODE}
            onFocus={(ev) => ev.currentTarget.select()}
          />
        ) : (
          <Text size="sm" c="gray.7">
            {t('webhookNote')}
          </Text>
        ))}
      {trigger.type === 'webhook' && webhook?.token && (
        <OneTimeSecret
          label={t('webhookToken')}
          value={webhook.token}
          note={t('webhookTokenNote')}
        />
      )}
      {trigger.type === 'event' && (
        <>
          <TextInput
            label={t('event')}
            value={trigger.event}
            placeholder="sla_timers.breached"
            onChange={(ev) => set({ ...trigger, event: ev.currentTarget.value })}
            error={e('event')}
          />
          <Select
            label={t('eventObject')}
            data={objectData}
            value={trigger.object ?? null}
            searchable
            clearable
            onChange={(name) => set({ ...trigger, object: name ?? undefined })}
            error={e('object')}
          />
        </>
      )}
      <Textarea
        label={t('startCondition')}
        description={t('conditionHint', { example: CONDITION_EXAMPLE })}
        value={definition.condition ?? ''}
        autosize
        minRows={2}
        classNames={CODE}
        onChange={(ev) =>
          onChange({ ...definition, condition: ev.currentTarget.value || undefined })
        }
        error={errors.under('condition')}
      />
    </Stack>
  );
}
