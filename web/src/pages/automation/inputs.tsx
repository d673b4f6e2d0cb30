import {
  ActionIcon,
  Fieldset,
  Group,
  NativeSelect,
  NumberInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type FieldMeta, type ObjectMeta, type Page } from '../../api/client';
import { DURATION_UNITS, type Duration, type DurationUnit, type Values } from './types';

/** Expressions and templates are typed in a monospace input (its label stays as others). */
export const CODE = { input: 'kontor-code' };

/**
 * The server's messages for one node, read by the inputs that show them. What no input asked
 * for is listed at the end of the panel (`rest`), so no message is lost.
 */
export class NodeErrors {
  private readonly shown = new Set<string>();
  constructor(private readonly errors: Map<string, string> = new Map()) {}

  /** The message for a path under the node (`condition`, `tasks[0].title`), marked as shown. */
  get(path: string): string | undefined {
    this.shown.add(path);
    return this.errors.get(path);
  }

  /** Messages at a path or under it (`values` takes `values.amount` too), marked as shown. */
  under(path: string): string | undefined {
    const found = [...this.errors.entries()].filter(
      ([p]) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`),
    );
    for (const [p] of found) this.shown.add(p);
    return found.length ? found.map(([, m]) => m).join('; ') : undefined;
  }

  rest(): [string, string][] {
    return [...this.errors.entries()].filter(([p]) => !this.shown.has(p));
  }
}

/** A length of time: an amount and a unit; with `noneLabel`, also "none" (undefined). */
export function DurationInput({
  legend,
  value,
  onChange,
  error,
  noneLabel,
}: {
  legend: string;
  value: Duration | undefined;
  onChange: (value: Duration | undefined) => void;
  error?: string;
  noneLabel?: string;
}) {
  const { t } = useTranslation('automation');
  const units = DURATION_UNITS.map((u) => ({ value: u, label: t(`unit_${u}`) }));
  return (
    <Fieldset legend={legend} variant="unstyled">
      <Group gap="xs" align="end" wrap="nowrap">
        <NumberInput
          label={t('amount')}
          min={0}
          max={100_000}
          allowDecimal={false}
          allowNegative={false}
          value={value?.amount ?? ''}
          disabled={!value}
          onChange={(v) =>
            onChange({ amount: typeof v === 'number' ? v : 0, unit: value?.unit ?? 'days' })
          }
          w={110}
          error={!!error}
        />
        <NativeSelect
          label={t('unit')}
          data={noneLabel ? [{ value: '', label: noneLabel }, ...units] : units}
          value={value?.unit ?? ''}
          onChange={(e) => {
            const unit = e.currentTarget.value as DurationUnit | '';
            onChange(unit ? { amount: value?.amount ?? 1, unit } : undefined);
          }}
          error={!!error}
        />
      </Group>
      {error && (
        <Text size="xs" c="red.8" mt={4} role="alert">
          {error}
        </Text>
      )}
    </Fieldset>
  );
}

/** Fields a step may write: not computed, not read-only, not kept by the system (owner aside). */
export function writableFields(object: ObjectMeta | undefined): FieldMeta[] {
  return (object?.fields ?? []).filter(
    (f) =>
      f.type !== 'computed' &&
      !f.read_only &&
      (!f.is_system || f.name === 'owner_id') &&
      f.name !== 'id',
  );
}

export function fieldOptions(fields: FieldMeta[]) {
  return fields.map((f) => ({ value: f.name, label: `${f.label} (${f.name})` }));
}

/**
 * Field → template rows. A field is added by picking it from the fields not yet set, so a row
 * always names a real field; each row's template is typed in, and a row can be removed.
 */
export function ValuesEditor({
  legend,
  object,
  values,
  onChange,
  errors,
  path,
}: {
  legend: string;
  object: ObjectMeta | undefined;
  values: Values;
  onChange: (values: Values) => void;
  errors: NodeErrors;
  /** Where the values sit in the step (`values`, `update`), for the server's messages. */
  path: string;
}) {
  const { t } = useTranslation('automation');
  const fields = writableFields(object);
  const label = (name: string) => object?.fields.find((f) => f.name === name)?.label ?? name;
  const unused = fields.filter((f) => !(f.name in values));
  const whole = errors.get(path);
  return (
    <Fieldset legend={legend}>
      <Stack gap="xs">
        <Text size="xs" c="gray.7">
          {t('valuesHint', { example: 'Call {{ record.name }}' })}
        </Text>
        {Object.keys(values).length === 0 && (
          <Text size="sm" c="gray.7">
            {t('noFields')}
          </Text>
        )}
        {Object.entries(values).map(([field, template]) => (
          <Group key={field} gap="xs" align="end" wrap="nowrap">
            <TextInput
              style={{ flex: 1 }}
              label={t('templateFor', { field: label(field) })}
              value={template}
              onChange={(e) => onChange({ ...values, [field]: e.currentTarget.value })}
              error={errors.under(`${path}.${field}`)}
              classNames={CODE}
            />
            <ActionIcon
              variant="default"
              size="lg"
              mb={errors.under(`${path}.${field}`) ? 22 : 0}
              aria-label={t('removeField', { field: label(field) })}
              onClick={() => {
                const next = { ...values };
                delete next[field];
                onChange(next);
              }}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Select
          label={t('addField')}
          data={fieldOptions(unused)}
          value={null}
          searchable
          onChange={(name) => name && onChange({ ...values, [name]: '' })}
          error={whole}
        />
      </Stack>
    </Fieldset>
  );
}

/**
 * The object an id setting of a flow's action points at, by its name: `form_id` → forms,
 * `template_id` → task_templates (the one object whose name ends so). None when unclear.
 */
export function objectForId(setting: string, objects: ObjectMeta[]): ObjectMeta | undefined {
  const m = /^(.+)_id$/.exec(setting);
  if (!m) return undefined;
  const found = objects.filter((o) => o.name === `${m[1]}s` || o.name.endsWith(`_${m[1]}s`));
  return found.length === 1 ? found[0] : undefined;
}

/** A record of an object chosen by its title (the first 500 by title; typing narrows them). */
export function RecordSelect({
  label,
  object,
  value,
  onChange,
  error,
}: {
  label: string;
  object: ObjectMeta;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  error?: string;
}) {
  const records = useQuery({
    queryKey: ['automation', 'records', object.name],
    staleTime: 60_000,
    queryFn: async () => {
      const p = new URLSearchParams({
        limit: '500',
        fields: object.title_field,
        sort: object.title_field,
      });
      return (await api<Page>('GET', `/api/v1/${object.name}?${p.toString()}`)).data;
    },
  });
  const data = (records.data ?? []).map((r) => ({
    value: r.id,
    label: String(r[object.title_field] ?? r.id),
  }));
  if (value && !data.some((d) => d.value === value)) data.push({ value, label: value });
  return (
    <Select
      label={label}
      data={data}
      value={value ?? null}
      searchable
      clearable
      onChange={(id) => onChange(id ?? undefined)}
      error={error}
    />
  );
}
