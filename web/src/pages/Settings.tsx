import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, type FieldMeta } from '../api/client';
import { useObjects } from '../api/hooks';
import { ErrorNote } from '../layout/ErrorNote';
import { ConfirmModal, fieldErrors, FormError, useSettingsT } from './settings/common';

const TYPES = [
  'text',
  'long_text',
  'integer',
  'decimal',
  'currency',
  'boolean',
  'date',
  'datetime',
  'select',
  'multi_select',
  'email',
  'phone',
  'url',
] as const;
type FieldType = (typeof TYPES)[number];

const isChoice = (type: string) => type === 'select' || type === 'multi_select';

type Option = { value: string; label: string; color?: string };

/** The API name a label suggests: "Region manager" → region_manager. */
export function apiName(label: string): string {
  const base = label
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48);
  return /^[a-z]/.test(base) ? base : `f_${base}`.slice(0, 48);
}

/** A value for a new choice from its label, unlike the values already taken. */
export function optionValue(label: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const base = apiName(label).replace(/^f_/, '').replace(/^_+/, '').slice(0, 56) || 'option';
  let value = base;
  for (let i = 2; used.has(value); i++) value = `${base}_${i}`;
  return value;
}

/** `?object=deals` picks the object whose fields are shown. */
export function fieldsSearch(search: Record<string, unknown>): { object?: string } {
  return typeof search.object === 'string' ? { object: search.object } : {};
}

/** The constructor: an administrator adds, renames and removes fields of any object. */
export function Settings() {
  const t = useSettingsT();
  const objects = useObjects();
  const queryClient = useQueryClient();
  const search = useSearch({ from: '/settings/fields' });
  const navigate = useNavigate({ from: '/settings/fields' });
  const objectName = search.object ?? 'companies';
  const [adding, setAdding] = useState(false);
  const [relabeling, setRelabeling] = useState<FieldMeta | null>(null);
  const [removing, setRemoving] = useState<FieldMeta | null>(null);
  const [choices, setChoices] = useState<FieldMeta | null>(null);
  const object = objects.data?.find((o) => o.name === objectName);

  if (objects.error) return <ErrorNote error={objects.error} />;
  if (!objects.data) return <Loader aria-label={t('loading')} />;

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['metadata'] });
  const typeLabel = (type: string) =>
    (TYPES as readonly string[]).includes(type) ? t(`fields.type.${type as FieldType}`) : type;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('fields.title')}</Title>
        <Group align="end">
          <Select
            label={t('fields.object')}
            data={objects.data.map((o) => ({ value: o.name, label: o.label_plural }))}
            value={object ? objectName : null}
            onChange={(v) => v && void navigate({ search: { object: v } })}
            allowDeselect={false}
            searchable
            w={220}
          />
          <Button onClick={() => setAdding(true)} disabled={!object}>
            {t('fields.add')}
          </Button>
        </Group>
      </Group>
      {!object && <Text>{t('fields.unknownObject', { name: objectName })}</Text>}
      {object && (
        <Table striped aria-label={t('fields.tableLabel', { label: object.label_plural })}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.label')}</Table.Th>
              <Table.Th>{t('fields.name')}</Table.Th>
              <Table.Th>{t('fields.typeColumn')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {object.fields
              .filter((f) => !f.is_system)
              .map((f) => (
                <Table.Tr key={f.name}>
                  <Table.Td>
                    {f.label}{' '}
                    {f.is_custom && (
                      <Badge size="xs" variant="light">
                        {t('fields.custom')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {f.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {typeLabel(f.type)}
                    {isChoice(f.type) && f.options && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({f.options.map((o) => o.label).join(', ')})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {isChoice(f.type) && !f.read_only && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          aria-label={t('fields.choicesOf', { label: f.label })}
                          onClick={() => setChoices(f)}
                        >
                          {t('fields.choices')}
                        </Button>
                      )}
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        aria-label={t('fields.renameNamed', { label: f.label })}
                        onClick={() => setRelabeling(f)}
                      >
                        {t('fields.rename')}
                      </Button>
                      {f.is_custom && f.name !== object.title_field && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('fields.removeNamed', { label: f.label })}
                          onClick={() => setRemoving(f)}
                        >
                          ×
                        </ActionIcon>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        opened={adding}
        onClose={() => setAdding(false)}
        title={t('fields.newOn', { label: object?.label_plural ?? '' })}
      >
        {object && (
          <NewField
            objectName={object.name}
            onDone={async () => {
              setAdding(false);
              await refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={!!relabeling}
        onClose={() => setRelabeling(null)}
        title={t('fields.renameNamed', { label: relabeling?.label ?? '' })}
      >
        {relabeling && object && (
          <Relabel
            objectName={object.name}
            field={relabeling}
            onDone={async () => {
              setRelabeling(null);
              await refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={!!choices}
        onClose={() => setChoices(null)}
        title={t('fields.choicesOf', { label: choices?.label ?? '' })}
        size="lg"
      >
        {choices && object && (
          <ChoicesEditor
            objectName={object.name}
            field={choices}
            onDone={async () => {
              setChoices(null);
              await refresh();
            }}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={!!removing}
        title={t('fields.removeNamed', { label: removing?.label ?? '' })}
        confirmLabel={t('remove')}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing || !object) return;
          await api('DELETE', `/api/v1/metadata/objects/${object.name}/fields/${removing.name}`);
          await refresh();
        }}
      >
        {t('fields.removeText', { label: removing?.label ?? '' })}
      </ConfirmModal>
    </Stack>
  );
}

function NewField({ objectName, onDone }: { objectName: string; onDone: () => Promise<void> }) {
  const t = useSettingsT();
  const [label, setLabel] = useState('');
  const [type, setType] = useState<string>('text');
  const [options, setOptions] = useState('');
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const choices: Option[] = [];
    for (const o of options
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean))
      choices.push({
        value: optionValue(
          o,
          choices.map((c) => c.value),
        ),
        label: o,
      });
    try {
      await api('POST', `/api/v1/metadata/objects/${objectName}/fields`, {
        name: apiName(label),
        label,
        type,
        searchable: ['text', 'long_text', 'email', 'phone', 'select'].includes(type),
        ...(isChoice(type) ? { options: choices } : {}),
      });
      await onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={['label', 'options']} />
        <TextInput
          label={t('fields.label')}
          required
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          description={
            label ? t('fields.apiNameIs', { name: apiName(label) }) : t('fields.labelHint')
          }
          error={errors.get('label') ?? errors.get('name')}
        />
        <Select
          label={t('fields.typeColumn')}
          data={TYPES.map((x) => ({ value: x, label: t(`fields.type.${x}`) }))}
          value={type}
          onChange={(v) => v && setType(v)}
          allowDeselect={false}
        />
        {isChoice(type) && (
          <TextInput
            label={t('fields.choices')}
            description={t('fields.choicesHint')}
            value={options}
            onChange={(e) => setOptions(e.currentTarget.value)}
            error={errors.get('options')}
          />
        )}
        <Button type="submit">{t('fields.add')}</Button>
      </Stack>
    </form>
  );
}

function Relabel({
  objectName,
  field,
  onDone,
}: {
  objectName: string;
  field: FieldMeta;
  onDone: () => Promise<void>;
}) {
  const t = useSettingsT();
  const [label, setLabel] = useState(field.label);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      if (label !== field.label)
        await api('PATCH', `/api/v1/metadata/objects/${objectName}/fields/${field.name}`, {
          label,
        });
      await onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={['label']} />
        <TextInput
          label={t('fields.newLabel')}
          required
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          error={fieldErrors(error).get('label')}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button type="submit">{t('save')}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The choices of a select field, in order: add, relabel, reorder, remove. Values stay as they
 * are (records store them); the server refuses to remove a choice that records still use.
 */
function ChoicesEditor({
  objectName,
  field,
  onDone,
}: {
  objectName: string;
  field: FieldMeta;
  onDone: () => Promise<void>;
}) {
  const t = useSettingsT();
  const [options, setOptions] = useState<Option[]>(field.options ?? []);
  const [newLabel, setNewLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  const existing = new Set((field.options ?? []).map((o) => o.value));

  const move = (i: number, by: -1 | 1) =>
    setOptions((cur) => {
      const next = [...cur];
      const [item] = next.splice(i, 1);
      next.splice(i + by, 0, item);
      return next;
    });
  const add = () => {
    const label = newLabel.trim();
    if (!label) return;
    setOptions((cur) => [
      ...cur,
      {
        value: optionValue(
          label,
          cur.map((o) => o.value),
        ),
        label,
      },
    ]);
    setNewLabel('');
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('PATCH', `/api/v1/metadata/objects/${objectName}/fields/${field.name}`, {
        options,
      });
      await onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={save} noValidate>
      <Stack gap="xs">
        <FormError error={error} shown={[]} />
        <Text size="sm" c="dimmed">
          {t('fields.choicesHelp')}
        </Text>
        <Stack gap={4} component="ol" p={0} m={0} style={{ listStyle: 'none' }}>
          {options.map((o, i) => (
            <Group key={o.value} component="li" gap="xs" wrap="nowrap" aria-label={o.label}>
              <TextInput
                aria-label={t('fields.choiceLabel', { value: o.value })}
                value={o.label}
                onChange={(e) => {
                  const label = e.currentTarget.value;
                  setOptions((cur) => cur.map((x, j) => (j === i ? { ...x, label } : x)));
                }}
                error={errors.get(`options.${i}.label`)}
                style={{ flex: 1 }}
              />
              <Text size="xs" ff="monospace" c="dimmed" w={140} truncate>
                {o.value}
                {!existing.has(o.value) && ` (${t('fields.newChoice')})`}
              </Text>
              <ActionIcon
                variant="subtle"
                aria-label={t('fields.moveUp', { label: o.label })}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                aria-label={t('fields.moveDown', { label: o.label })}
                disabled={i === options.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('fields.removeChoice', { label: o.label })}
                disabled={options.length === 1}
                onClick={() => setOptions((cur) => cur.filter((_, j) => j !== i))}
              >
                ×
              </ActionIcon>
            </Group>
          ))}
        </Stack>
        <Group align="end" gap="xs">
          <TextInput
            label={t('fields.newChoiceLabel')}
            value={newLabel}
            onChange={(e) => setNewLabel(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            style={{ flex: 1 }}
          />
          <Button variant="default" onClick={add} disabled={!newLabel.trim()}>
            {t('fields.addChoice')}
          </Button>
        </Group>
        <Group justify="flex-end" mt="sm">
          <Button type="submit" loading={busy}>
            {t('save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
