import {
  Alert,
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
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  ApiError,
  type ApiRecord,
  type FieldMeta,
  type ObjectMeta,
  type Page,
} from '../api/client';
import { useMe, useObjects } from '../api/hooks';
import { useLocale } from '../i18n';
import { ErrorNote } from '../layout/ErrorNote';
import { useLeaveGuard } from './record/LeaveGuard';
import { fieldMessages } from './record/messages';
import { normaliseDecimal } from './record/numbers';
import { fromZonedInput, toZonedInput } from './record/time';
import { useUsers } from './record/users';

type Values = Record<string, unknown>;

/** The fields a person fills in: not system, not read-only. */
export function editableFields(object: ObjectMeta): FieldMeta[] {
  return object.fields.filter((f) => !f.is_system && !f.read_only);
}

/** The signed-in user's default currency for new amounts (the server's KONTOR_CURRENCY). */
export function useDefaultCurrency(): string {
  const me = useMe();
  return me.data?.default_currency ?? 'EUR';
}

let currencyCodes: string[] | undefined;
function allCurrencies(): string[] {
  currencyCodes ??= Intl.supportedValuesOf('currency');
  return currencyCodes;
}

/** What a picker of one record (a user, or a record of another object) is given. */
interface PickerProps {
  field: FieldMeta;
  value: string | null;
  onChange: (v: string | null) => void;
  error?: string;
  autoFocus?: boolean;
  label?: string;
}

/** Picks a person (owner, assignee) from the list of users, searching by name or e-mail. */
function UserPicker({ field, value, onChange, error, autoFocus, label }: PickerProps) {
  const { t } = useTranslation('record');
  const users = useUsers();
  const data = (users.data ?? []).map((u) => ({ value: u.id, label: u.name || u.email }));
  if (value && !data.some((d) => d.value === value)) data.push({ value, label: value });
  return (
    <Select
      label={label ?? field.label}
      required={field.required}
      searchable
      clearable
      autoFocus={autoFocus}
      data={data}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage={users.isFetching ? t('searching') : t('nothingFound')}
    />
  );
}

/** Picks a record of another object, asking the server as the user types. */
function RelationPicker({ field, value, onChange, error, autoFocus, label }: PickerProps) {
  const { t } = useTranslation('record');
  const objects = useObjects();
  const target = objects.data?.find((o) => o.name === field.target);
  const [search, setSearch] = useState('');
  const current = useQuery({
    queryKey: ['picker-current', field.target, value],
    enabled: !!target && !!value,
    staleTime: 60_000,
    queryFn: () =>
      api<ApiRecord>('GET', `/api/v1/${target!.name}/${value}?fields=${target!.title_field}`),
  });
  const currentLabel =
    value && current.data ? String(current.data[target!.title_field] ?? '') || value : null;
  // The input shows the chosen record's name: that is not a search.
  const typed = search === currentLabel ? '' : search.trim();
  const [q] = useDebouncedValue(typed, 250);
  const options = useQuery({
    queryKey: ['picker', field.target, q],
    enabled: !!target,
    staleTime: 10_000,
    queryFn: async () => {
      const p = new URLSearchParams({ limit: '20', fields: target!.title_field });
      if (q) p.set('q', q);
      else p.set('sort', target!.title_field);
      return api<Page>('GET', `/api/v1/${target!.name}?${p.toString()}`);
    },
  });
  const data = new Map<string, string>();
  if (value) data.set(value, currentLabel ?? value);
  for (const r of options.data?.data ?? [])
    data.set(r.id, String(r[target!.title_field] ?? '') || t('noName'));
  const pending = options.isFetching || typed !== q;
  return (
    <Select
      label={label ?? field.label}
      required={field.required}
      searchable
      clearable
      autoFocus={autoFocus}
      // The server has searched already; every option it sent matches.
      filter={({ options: o }) => o}
      searchValue={search}
      onSearchChange={setSearch}
      data={[...data].map(([v, l]) => ({ value: v, label: l }))}
      value={value}
      onChange={onChange}
      error={error}
      nothingFoundMessage={pending ? t('searching') : t('nothingFound')}
    />
  );
}

/** An amount in major units (12.50) and its currency; the API takes `{amount, currency}`. */
function MoneyInput({
  field,
  value,
  onChange,
  error,
  autoFocus,
  label,
}: {
  field: FieldMeta;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string;
  autoFocus?: boolean;
  label?: string;
}) {
  const { t } = useTranslation('record');
  const fallback = useDefaultCurrency();
  const m = (value as { amount?: string; currency?: string } | null) ?? null;
  const currency = m?.currency ?? fallback;
  const [text, setText] = useState(m?.amount ?? '');
  // A value changed from outside (a reload) replaces what is typed.
  const last = useRef(m?.amount ?? '');
  useEffect(() => {
    if ((m?.amount ?? '') !== last.current) {
      last.current = m?.amount ?? '';
      setText(m?.amount ?? '');
    }
  }, [m?.amount]);
  const emit = (amountText: string, code: string) => {
    const amount = normaliseDecimal(amountText);
    last.current = amount;
    onChange(amount ? { amount, currency: code } : null);
  };
  return (
    <Group grow align="start" gap="xs" wrap="nowrap">
      <TextInput
        label={label ?? field.label}
        required={field.required}
        error={error}
        inputMode="decimal"
        autoFocus={autoFocus}
        style={{ flexGrow: 2 }}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          emit(e.currentTarget.value, currency);
        }}
      />
      <Select
        label={t('currencyOf', { field: label ?? field.label })}
        searchable
        allowDeselect={false}
        data={allCurrencies()}
        value={currency}
        onChange={(code) => code && emit(text, code)}
        maw={110}
        comboboxProps={{ width: 120 }}
      />
    </Group>
  );
}

/** A decimal as typed ("1 250,5" stays on screen as typed); the API gets "1250.5". */
function DecimalInput({
  common,
  value,
  onChange,
}: {
  common: { label: string; required: boolean; error?: string; autoFocus?: boolean };
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const outside = value === null || value === undefined ? '' : String(value);
  const [text, setText] = useState(outside);
  const last = useRef(outside);
  useEffect(() => {
    if (outside !== last.current) {
      last.current = outside;
      setText(outside);
    }
  }, [outside]);
  return (
    <TextInput
      {...common}
      inputMode="decimal"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        last.current = normaliseDecimal(e.currentTarget.value);
        onChange(last.current || null);
      }}
    />
  );
}

/** A datetime typed as the wall-clock time of the user's time zone, sent as an instant. */
function DateTimeInput({
  common,
  value,
  onChange,
  autoFocus,
}: {
  common: { label: string; required: boolean; error?: string };
  value: unknown;
  onChange: (v: unknown) => void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('record');
  const { timeZone } = useLocale();
  return (
    <TextInput
      {...common}
      type="datetime-local"
      autoFocus={autoFocus}
      description={t('inTimeZone', { zone: timeZone })}
      value={value ? toZonedInput(String(value), timeZone) : ''}
      onChange={(e) =>
        onChange(e.currentTarget.value ? fromZonedInput(e.currentTarget.value, timeZone) : null)
      }
    />
  );
}

/**
 * One input for one field, by its type; the server's message about it shows beneath it.
 * `autoFocus` and `label` are optional extras for editing in place.
 */
export function FieldInput({
  field,
  value,
  onChange,
  error,
  autoFocus,
  label,
}: {
  field: FieldMeta;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string;
  autoFocus?: boolean;
  label?: string;
}) {
  const common = { label: label ?? field.label, required: field.required, error, autoFocus };
  switch (field.type) {
    case 'long_text':
      return (
        <Textarea
          {...common}
          autosize
          minRows={2}
          maxRows={12}
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
      return <DecimalInput common={common} value={value} onChange={onChange} />;
    case 'currency':
      return (
        <MoneyInput
          field={field}
          value={value}
          onChange={onChange}
          error={error}
          autoFocus={autoFocus}
          label={label}
        />
      );
    case 'boolean':
      return (
        <Checkbox
          mt="lg"
          label={common.label}
          checked={!!value}
          autoFocus={autoFocus}
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
        <DateTimeInput common={common} value={value} onChange={onChange} autoFocus={autoFocus} />
      );
    case 'select':
      return (
        <Select
          {...common}
          clearable={!field.required}
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
      return field.target === 'users' ? (
        <UserPicker
          field={field}
          value={(value as string) ?? null}
          onChange={onChange}
          error={error}
          autoFocus={autoFocus}
          label={label}
        />
      ) : (
        <RelationPicker
          field={field}
          value={(value as string) ?? null}
          onChange={onChange}
          error={error}
          autoFocus={autoFocus}
          label={label}
        />
      );
    case 'email':
      return (
        <TextInput
          {...common}
          type="email"
          autoComplete="off"
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'phone':
      return (
        <TextInput
          {...common}
          type="tel"
          autoComplete="off"
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

/** The input form of a value as the API returns it (money carries amount and currency). */
export function initialValue(field: FieldMeta, v: unknown): unknown {
  if (field.type === 'currency' && v && typeof v === 'object') {
    const m = v as { amount: string; currency: string };
    return { amount: m.amount, currency: m.currency };
  }
  return v ?? null;
}

/** Whether an input value differs from the record's (an empty text equals no value). */
export function changed(field: FieldMeta, now: unknown, stored: unknown): boolean {
  const norm = (v: unknown) => (v === '' || v === undefined ? null : v);
  return JSON.stringify(norm(now)) !== JSON.stringify(norm(initialValue(field, stored)));
}

/**
 * Creates a record or changes one. Only changed fields are sent; an edit carries the version it
 * started from, so a change someone else saved meanwhile is reported (with a way to load it),
 * not overwritten. Leaving with unsaved changes asks first.
 *
 * `initial` fills fields of a new record (a related list's "Add" fills the relation); fields
 * named in `hidden` are sent but not shown (the `related_object`/`related_id` of a task).
 * `onDirtyChange` tells a surrounding dialog whether closing it would lose something.
 */
export function RecordForm({
  object,
  record,
  onSaved,
  onCancel,
  initial,
  hidden,
  onDirtyChange,
}: {
  object: ObjectMeta;
  record?: ApiRecord;
  onSaved: (r: ApiRecord) => void;
  onCancel: () => void;
  initial?: Values;
  hidden?: string[];
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const { t } = useTranslation('record');
  const queryClient = useQueryClient();
  const fields = useMemo(() => editableFields(object), [object]);
  const [base, setBase] = useState<ApiRecord | undefined>(record);
  const start = (r: ApiRecord | undefined) =>
    Object.fromEntries(
      fields.map((f) => [
        f.name,
        r ? initialValue(f, r[f.name]) : initialValue(f, initial?.[f.name] ?? null),
      ]),
    );
  const [values, setValues] = useState<Values>(() => start(record));
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form: however often Save is pressed, the server creates the record once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const fieldErrors = error instanceof ApiError ? fieldMessages(t, error.errors) : new Map();
  const stale = error instanceof ApiError && error.status === 412;

  const body = (): Values => {
    const out: Values = {};
    for (const f of fields) {
      const now = values[f.name];
      if (base) {
        if (changed(f, now, base[f.name])) out[f.name] = now === '' ? null : now;
      } else if (now !== null && now !== '' && now !== undefined) {
        out[f.name] = now;
      }
    }
    return out;
  };
  const done = useRef(false);
  const dirty = () => {
    if (done.current) return false;
    const b = body();
    if (base) return Object.keys(b).length > 0;
    // A new record is dirty once the user typed something beyond what was filled in for them.
    return Object.keys(b).some(
      (k) =>
        JSON.stringify(b[k]) !==
        JSON.stringify(
          initialValue(
            fields.find((f) => f.name === k)!,
            initial?.[k] ?? null,
          ),
        ),
    );
  };
  const isDirty = dirty();
  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange]);
  const guard = useLeaveGuard(dirty);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = base
        ? await api<ApiRecord>('PATCH', `/api/v1/${object.name}/${base.id}`, body(), {
            'if-match': `"${base.version}"`,
          })
        : await api<ApiRecord>('POST', `/api/v1/${object.name}`, body(), {
            'idempotency-key': idempotencyKey,
          });
      done.current = true;
      onDirtyChange?.(false);
      onSaved(saved);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  /** After a 412: the record as it is now; what was typed here is dropped. */
  const reload = async () => {
    if (!base) return;
    try {
      const fresh = await api<ApiRecord>('GET', `/api/v1/${object.name}/${base.id}`);
      queryClient.setQueryData(['record', object.name, base.id], fresh);
      setBase(fresh);
      setValues(start(fresh));
      setError(null);
    } catch (err) {
      setError(err as Error);
    }
  };

  const cancel = async () => {
    if (await guard.confirm()) {
      done.current = true;
      onCancel();
    }
  };

  const shown = fields.filter((f) => !hidden?.includes(f.name));
  const unshownErrors =
    error instanceof ApiError
      ? error.errors.filter((x) => !shown.some((f) => f.name === x.path.split('.')[0]))
      : [];
  return (
    <form onSubmit={submit} noValidate>
      {guard.dialog}
      <Stack gap="sm">
        {stale ? (
          <Alert color="orange" title={t('staleTitle')} role="alert">
            <Stack gap="xs" align="flex-start">
              {t('staleText')}
              <Button size="xs" variant="light" onClick={() => void reload()}>
                {t('reloadRecord')}
              </Button>
            </Stack>
          </Alert>
        ) : error instanceof ApiError && error.errors.length > 0 && unshownErrors.length === 0 ? (
          <Alert color="red" role="alert">
            {t('checkFields')}
          </Alert>
        ) : (
          error && <ErrorNote error={error} />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {shown.map((f) => (
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
          <Button variant="default" onClick={() => void cancel()}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={busy}>
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
