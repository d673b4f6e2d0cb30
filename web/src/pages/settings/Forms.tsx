import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import { fieldErrors, FormError, useDateTime, useSettingsT } from './common';

const FIELD_TYPES = [
  'text',
  'long_text',
  'date',
  'datetime',
  'number',
  'boolean',
  'select',
  'email',
  'phone',
  'photo',
  'file',
] as const;
type FieldType = (typeof FIELD_TYPES)[number];

/** Which record field types each form field type may be written into (as the server checks). */
const TARGET_TYPES: Record<FieldType, string[]> = {
  text: ['text', 'long_text'],
  long_text: ['long_text'],
  date: ['date'],
  datetime: ['datetime'],
  number: ['integer', 'decimal'],
  boolean: ['boolean'],
  select: ['select', 'text'],
  email: ['email', 'text'],
  phone: ['phone', 'text'],
  photo: [],
  file: [],
};

interface FormField {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  options?: { value: string; label: string }[] | null;
  target_field?: string | null;
}

export interface FormDef {
  id: string;
  name: string;
  kind: 'task' | 'web';
  description: string | null;
  fields: FormField[];
  allowed_origins: string[];
  require_consent: boolean;
  consent_text: string | null;
  success_message: string | null;
  archived_at: string | null;
  embed_snippet?: string;
}

interface Submission {
  id: string;
  created_at: string;
  record_object: string | null;
  record_id: string | null;
  values: Record<string, unknown>;
  consent_at: string | null;
}

function useFormsT() {
  return useTranslation('forms').t;
}

/** Forms for people without a login: their definitions, snippets and what they received. */
export function Forms() {
  const t = useFormsT();
  const st = useSettingsT();
  const queryClient = useQueryClient();
  const forms = useQuery({
    queryKey: ['forms', 'all'],
    queryFn: async () =>
      (await api<{ data: FormDef[] }>('GET', '/api/v1/forms?include_archived=true')).data,
  });
  const [editing, setEditing] = useState<FormDef | 'new' | null>(null);
  const [viewing, setViewing] = useState<FormDef | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (forms.error) return <ErrorNote error={forms.error} />;
  if (!forms.data) return <Loader aria-label={st('loading')} />;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['forms'] });
  const archive = async (f: FormDef) => {
    setError(null);
    try {
      if (f.archived_at) await api('POST', `/api/v1/forms/${f.id}/restore`);
      else await api('DELETE', `/api/v1/forms/${f.id}`);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        <Button onClick={() => setEditing('new')}>{t('create')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      {error !== null && <ErrorNote error={error} />}
      <Table striped aria-label={t('title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('name')}</Table.Th>
            <Table.Th>{t('kind')}</Table.Th>
            <Table.Th>{t('fields')}</Table.Th>
            <Table.Th>{t('state')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{st('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {forms.data.map((f) => (
            <Table.Tr key={f.id} aria-label={f.name}>
              <Table.Td>{f.name}</Table.Td>
              <Table.Td>{t(`kinds.${f.kind}`)}</Table.Td>
              <Table.Td>{f.fields.map((x) => x.label).join(', ')}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={f.archived_at ? 'gray' : 'green'}>
                  {f.archived_at ? t('archived') : t('inUse')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-sm" variant="subtle" onClick={() => setEditing(f)}>
                    {st('edit')}
                  </Button>
                  <Button size="compact-sm" variant="subtle" onClick={() => setViewing(f)}>
                    {t('submissions')}
                  </Button>
                  <Button size="compact-sm" variant="subtle" onClick={() => void archive(f)}>
                    {f.archived_at ? t('restore') : t('archive')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {forms.data.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed">
                  {t('none')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        size="xl"
        title={editing === 'new' ? t('create') : t('editNamed', { name: editing?.name ?? '' })}
      >
        {editing !== null && (
          <FormEditor
            form={editing === 'new' ? null : editing}
            onSaved={async () => {
              setEditing(null);
              await refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={viewing !== null}
        onClose={() => setViewing(null)}
        size="xl"
        title={t('submissionsOf', { name: viewing?.name ?? '' })}
      >
        {viewing && <Submissions form={viewing} />}
      </Modal>
    </Stack>
  );
}

interface FieldDraft {
  name: string;
  label: string;
  type: FieldType;
  required: boolean;
  target_field: string | null;
  optionsText: string;
}

function toDraft(f: FormField): FieldDraft {
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    required: f.required,
    target_field: f.target_field ?? null,
    optionsText: (f.options ?? []).map((o) => `${o.value}=${o.label}`).join('\n'),
  };
}

function parseOptions(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf('=');
      return i < 0
        ? { value: l, label: l }
        : { value: l.slice(0, i).trim(), label: l.slice(i + 1).trim() };
    });
}

const EMPTY_FIELD: FieldDraft = {
  name: '',
  label: '',
  type: 'text',
  required: false,
  target_field: null,
  optionsText: '',
};

function FormEditor({ form, onSaved }: { form: FormDef | null; onSaved: () => Promise<void> }) {
  const t = useFormsT();
  const st = useSettingsT();
  const objects = useObjects();
  const [name, setName] = useState(form?.name ?? '');
  const [kind, setKind] = useState<'task' | 'web'>(form?.kind ?? 'task');
  const [description, setDescription] = useState(form?.description ?? '');
  const [fields, setFields] = useState<FieldDraft[]>(
    form ? form.fields.map(toDraft) : [{ ...EMPTY_FIELD }],
  );
  const [origins, setOrigins] = useState((form?.allowed_origins ?? []).join('\n'));
  const [requireConsent, setRequireConsent] = useState(form?.require_consent ?? false);
  const [consentText, setConsentText] = useState(form?.consent_text ?? '');
  const [success, setSuccess] = useState(form?.success_message ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);

  const targetsFor = (type: FieldType) =>
    (objects.data ?? [])
      .filter((o) => (kind === 'web' ? o.name === 'leads' : true))
      .map((o) => ({
        group: o.label_plural,
        items: o.fields
          .filter((f) => !f.read_only && !f.is_system && TARGET_TYPES[type].includes(f.type))
          .map((f) => ({ value: `${o.name}.${f.name}`, label: `${o.label_singular}: ${f.label}` })),
      }))
      .filter((g) => g.items.length > 0);

  const setField = (i: number, patch: Partial<FieldDraft>) =>
    setFields((fs) => fs.map((f, j) => (j === i ? { ...f, ...patch } : f)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      name,
      kind,
      description: description || null,
      fields: fields.map((f) => ({
        name: f.name,
        label: f.label,
        type: f.type,
        required: f.required,
        target_field: f.target_field,
        ...(f.type === 'select' ? { options: parseOptions(f.optionsText) } : {}),
      })),
      allowed_origins:
        kind === 'web'
          ? origins
              .split('\n')
              .map((o) => o.trim())
              .filter(Boolean)
          : [],
      require_consent: kind === 'web' && requireConsent,
      consent_text: kind === 'web' && consentText ? consentText : null,
      success_message: success || null,
    };
    try {
      if (form) await api('PATCH', `/api/v1/forms/${form.id}`, body);
      else await api('POST', '/api/v1/forms', body);
      await onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const shown = [
    'name',
    'kind',
    'allowed_origins',
    'consent_text',
    ...fields.flatMap((_, i) =>
      ['name', 'label', 'type', 'options', 'target_field'].map((k) => `fields.${i}.${k}`),
    ),
    ...origins.split('\n').map((_, i) => `allowed_origins.${i}`),
  ];
  const originError = [...errors.entries()]
    .filter(([p]) => p.startsWith('allowed_origins'))
    .map(([, m]) => m)
    .join('; ');

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={shown} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.get('name')}
          />
          <Select
            label={t('kind')}
            data={(['task', 'web'] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            value={kind}
            allowDeselect={false}
            onChange={(v) => setKind((v as 'task' | 'web') ?? 'task')}
            error={errors.get('kind')}
          />
        </SimpleGrid>
        <Textarea
          label={t('description')}
          value={description}
          autosize
          minRows={2}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Title order={4}>{t('fields')}</Title>
        {fields.map((f, i) => (
          <Paper key={i} withBorder p="sm" aria-label={`${t('fields')} ${i + 1}`}>
            <Group align="start" wrap="nowrap">
              <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} style={{ flex: 1 }}>
                <TextInput
                  label={t('fieldLabel')}
                  required
                  value={f.label}
                  onChange={(e) => {
                    const label = e.currentTarget.value;
                    // A new field's key follows its label until the key is typed by hand.
                    const auto =
                      !form?.fields[i] &&
                      f.name ===
                        f.label
                          .toLowerCase()
                          .replace(/[^a-z0-9]+/g, '_')
                          .replace(/^_+|_+$/g, '');
                    setField(i, {
                      label,
                      ...(auto
                        ? {
                            name: label
                              .toLowerCase()
                              .replace(/[^a-z0-9]+/g, '_')
                              .replace(/^_+|_+$/g, ''),
                          }
                        : {}),
                    });
                  }}
                  error={errors.get(`fields.${i}.label`)}
                />
                <TextInput
                  label={t('fieldName')}
                  description={t('fieldNameHint')}
                  required
                  value={f.name}
                  onChange={(e) => setField(i, { name: e.currentTarget.value })}
                  error={errors.get(`fields.${i}.name`)}
                />
                <Select
                  label={t('fieldType')}
                  data={FIELD_TYPES.map((x) => ({ value: x, label: t(`types.${x}`) }))}
                  value={f.type}
                  allowDeselect={false}
                  onChange={(v) =>
                    setField(i, { type: (v as FieldType) ?? 'text', target_field: null })
                  }
                  error={errors.get(`fields.${i}.type`)}
                />
                <Select
                  label={t('fieldTarget')}
                  placeholder={t('fieldTargetNone')}
                  data={targetsFor(f.type)}
                  value={f.target_field}
                  clearable
                  searchable
                  disabled={TARGET_TYPES[f.type].length === 0}
                  onChange={(v) => setField(i, { target_field: v })}
                  error={errors.get(`fields.${i}.target_field`)}
                />
                {f.type === 'select' && (
                  <Textarea
                    label={t('fieldOptions')}
                    autosize
                    minRows={2}
                    value={f.optionsText}
                    onChange={(e) => setField(i, { optionsText: e.currentTarget.value })}
                    error={errors.get(`fields.${i}.options`)}
                  />
                )}
                <Checkbox
                  mt="lg"
                  label={t('fieldRequired')}
                  checked={f.required}
                  onChange={(e) => setField(i, { required: e.currentTarget.checked })}
                />
              </SimpleGrid>
              <ActionIcon
                variant="subtle"
                color="red"
                mt="lg"
                aria-label={t('removeField', { n: i + 1 })}
                disabled={fields.length === 1}
                onClick={() => setFields((fs) => fs.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          </Paper>
        ))}
        <Group>
          <Button variant="default" onClick={() => setFields((fs) => [...fs, { ...EMPTY_FIELD }])}>
            {t('addField')}
          </Button>
        </Group>
        {kind === 'web' && (
          <>
            <Textarea
              label={t('origins')}
              description={t('originsHint')}
              autosize
              minRows={2}
              value={origins}
              onChange={(e) => setOrigins(e.currentTarget.value)}
              error={originError || undefined}
            />
            <Checkbox
              label={t('requireConsent')}
              checked={requireConsent}
              onChange={(e) => setRequireConsent(e.currentTarget.checked)}
            />
            {requireConsent && (
              <Textarea
                label={t('consentText')}
                required
                autosize
                value={consentText}
                onChange={(e) => setConsentText(e.currentTarget.value)}
                error={errors.get('consent_text')}
              />
            )}
          </>
        )}
        <Textarea
          label={t('successMessage')}
          autosize
          value={success}
          onChange={(e) => setSuccess(e.currentTarget.value)}
        />
        {form?.embed_snippet && (
          <Stack gap={4}>
            <Text fw={600} size="sm">
              {t('snippet')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('snippetHint')}
            </Text>
            <Code block>{form.embed_snippet}</Code>
            <CopyButton value={form.embed_snippet}>
              {({ copied, copy }) => (
                <Button variant="default" size="xs" onClick={copy} w="fit-content">
                  {copied ? st('copied') : st('copy')}
                </Button>
              )}
            </CopyButton>
          </Stack>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {st('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Submissions({ form }: { form: FormDef }) {
  const t = useFormsT();
  const st = useSettingsT();
  const when = useDateTime();
  const subs = useQuery({
    queryKey: ['forms', form.id, 'submissions'],
    queryFn: async () =>
      (await api<{ data: Submission[] }>('GET', `/api/v1/forms/${form.id}/submissions`)).data,
  });
  if (subs.error) return <ErrorNote error={subs.error} />;
  if (!subs.data) return <Loader aria-label={st('loading')} />;
  if (subs.data.length === 0) return <Text c="dimmed">{t('noSubmissions')}</Text>;
  const label = new Map(form.fields.map((f) => [f.name, f.label]));
  return (
    <Table striped aria-label={t('submissions')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('received')}</Table.Th>
          <Table.Th>{t('values')}</Table.Th>
          <Table.Th>{t('record')}</Table.Th>
          {form.require_consent && <Table.Th>{t('consentAt')}</Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {subs.data.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>{when(s.created_at)}</Table.Td>
            <Table.Td>
              {Object.entries(s.values)
                .filter(([, v]) => v !== null && v !== '')
                .map(([k, v]) => (
                  <Text size="sm" key={k}>
                    <b>{label.get(k) ?? k}:</b> {Array.isArray(v) ? v.length : String(v)}
                  </Text>
                ))}
            </Table.Td>
            <Table.Td>
              {s.record_object && s.record_id && (
                <Anchor
                  renderRoot={(props) => (
                    <Link
                      to="/o/$object/$id"
                      params={{ object: s.record_object!, id: s.record_id! }}
                      {...props}
                    />
                  )}
                >
                  {t('record')}
                </Anchor>
              )}
            </Table.Td>
            {form.require_consent && <Table.Td>{when(s.consent_at)}</Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
