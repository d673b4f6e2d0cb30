import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  api,
  ApiError,
  type ApiRecord,
  type FieldMeta,
  type ObjectMeta,
  type Page,
} from '../api/client';
import { useObjects } from '../api/hooks';
import { ErrorNote } from '../layout/ErrorNote';

type Values = Record<string, unknown>;

/** The fields a person fills in: not system, not read-only. */
export function editableFields(object: ObjectMeta): FieldMeta[] {
  return object.fields.filter((f) => !f.is_system && !f.read_only);
}

/** Picks a record of another object, searching as the user types. */
function RelationPicker({
  field,
  value,
  onChange,
  error,
}: {
  field: FieldMeta;
  value: string | null;
  onChange: (v: string | null) => void;
  error?: string;
}) {
  const objects = useObjects();
  const target = objects.data?.find((o) => o.name === field.target);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const options = useQuery({
    queryKey: ['picker', field.target, q],
    enabled: !!target,
    queryFn: async () => {
      const p = new URLSearchParams({ limit: '20', fields: target!.title_field });
      if (q.trim()) p.set('q', q.trim());
      return api<Page>('GET', `/api/v1/${target!.name}?${p.toString()}`);
    },
  });
  const current = useQuery({
    queryKey: ['picker-current', field.target, value],
    enabled: !!target && !!value,
    queryFn: () =>
      api<ApiRecord>('GET', `/api/v1/${target!.name}/${value}?fields=${target!.title_field}`),
  });
  const data = new Map<string, string>();
  if (value && current.data) data.set(value, String(current.data[target!.title_field] ?? value));
  for (const r of options.data?.data ?? []) data.set(r.id, String(r[target!.title_field] ?? r.id));
  if (field.target === 'users') {
    return (
      <TextInput
        label={field.label}
        value={value ?? ''}
        onChange={(e) => onChange(e.currentTarget.value || null)}
        error={error}
        description="User id"
      />
    );
  }
  return (
    <Select
      label={field.label}
      searchable
      clearable
      filter={({ options: o }) => o}
      searchValue={search}
      onSearchChange={setSearch}
      data={[...data].map(([v, label]) => ({ value: v, label }))}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage={options.isFetching ? 'Searching…' : 'Nothing found'}
    />
  );
}

/** One input for one field, by its type; the server's message about it shows beneath it. */
export function FieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: FieldMeta;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string;
}) {
  const common = { label: field.label, required: field.required, error };
  switch (field.type) {
    case 'long_text':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'integer':
      return (
        <NumberInput
          {...common}
          allowDecimal={false}
          value={(value as number) ?? ''}
          onChange={(v) => onChange(v === '' ? null : Number(v))}
        />
      );
    case 'decimal':
      return (
        <TextInput
          {...common}
          inputMode="decimal"
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'currency': {
      const m = (value as { amount?: string; currency?: string } | null) ?? null;
      return (
        <Group grow align="start" gap="xs">
          <TextInput
            {...common}
            inputMode="decimal"
            value={m?.amount ?? ''}
            onChange={(e) =>
              onChange(
                e.currentTarget.value
                  ? { amount: e.currentTarget.value, currency: m?.currency ?? 'EUR' }
                  : null,
              )
            }
          />
          <TextInput
            label="Currency"
            maxLength={3}
            value={m?.currency ?? 'EUR'}
            onChange={(e) =>
              onChange({ amount: m?.amount ?? '0', currency: e.currentTarget.value.toUpperCase() })
            }
          />
        </Group>
      );
    }
    case 'boolean':
      return (
        <Checkbox
          mt="lg"
          label={field.label}
          checked={!!value}
          onChange={(e) => onChange(e.currentTarget.checked)}
          error={error}
        />
      );
    case 'date':
      // A date-only value stays the text YYYY-MM-DD: no time zone can move it.
      return (
        <TextInput
          {...common}
          type="date"
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'datetime':
      return (
        <TextInput
          {...common}
          type="datetime-local"
          value={value ? toLocalInput(String(value)) : ''}
          onChange={(e) =>
            onChange(e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : null)
          }
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          clearable
          data={(field.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
          value={(value as string) ?? null}
          onChange={(v) => onChange(v)}
        />
      );
    case 'multi_select':
      return (
        <MultiSelect
          {...common}
          data={(field.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
          value={(value as string[]) ?? []}
          onChange={(v) => onChange(v)}
        />
      );
    case 'relation':
      return (
        <RelationPicker
          field={field}
          value={(value as string) ?? null}
          onChange={onChange}
          error={error}
        />
      );
    case 'email':
      return (
        <TextInput
          {...common}
          type="email"
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'phone':
      return (
        <TextInput
          {...common}
          type="tel"
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'url':
      return (
        <TextInput
          {...common}
          type="url"
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The input form of a value as the API returns it (money carries amount and currency). */
function initialValue(field: FieldMeta, v: unknown): unknown {
  if (field.type === 'currency' && v && typeof v === 'object') {
    const m = v as { amount: string; currency: string };
    return { amount: m.amount, currency: m.currency };
  }
  return v ?? null;
}

/**
 * Creates a record or changes one. Only changed fields are sent; an edit carries the version it
 * started from, so a change someone else saved meanwhile is reported, not overwritten.
 */
export function RecordForm({
  object,
  record,
  onSaved,
  onCancel,
}: {
  object: ObjectMeta;
  record?: ApiRecord;
  onSaved: (r: ApiRecord) => void;
  onCancel: () => void;
}) {
  const fields = editableFields(object);
  const [values, setValues] = useState<Values>(() =>
    Object.fromEntries(fields.map((f) => [f.name, initialValue(f, record?.[f.name])])),
  );
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form: however often Save is pressed, the server creates the record once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const fieldErrors = new Map<string, string>();
  if (error instanceof ApiError)
    for (const e of error.errors) fieldErrors.set(e.path.split('.')[0], e.message);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const body: Values = {};
      for (const f of fields) {
        const before = JSON.stringify(initialValue(f, record?.[f.name]));
        const now = values[f.name];
        if (
          JSON.stringify(now ?? null) !== before &&
          !(record === undefined && (now === null || now === ''))
        )
          body[f.name] = now === '' ? null : now;
      }
      const saved = record
        ? await api<ApiRecord>('PATCH', `/api/v1/${object.name}/${record.id}`, body, {
            'if-match': `"${record.version}"`,
          })
        : await api<ApiRecord>('POST', `/api/v1/${object.name}`, body, {
            'idempotency-key': idempotencyKey,
          });
      onSaved(saved);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {error && <ErrorNote error={error} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {fields.map((f) => (
            <FieldInput
              key={f.name}
              field={f}
              value={values[f.name]}
              error={fieldErrors.get(f.name)}
              onChange={(v) => setValues((cur) => ({ ...cur, [f.name]: v }))}
            />
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
