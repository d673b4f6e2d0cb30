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
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, type FieldMeta } from '../api/client';
import { useMe, useObjects } from '../api/hooks';
import { ErrorNote } from '../layout/ErrorNote';

const TYPES = [
  { value: 'text', label: 'Text' },
  { value: 'long_text', label: 'Long text' },
  { value: 'integer', label: 'Whole number' },
  { value: 'decimal', label: 'Decimal number' },
  { value: 'currency', label: 'Money' },
  { value: 'boolean', label: 'Yes / no' },
  { value: 'date', label: 'Date' },
  { value: 'datetime', label: 'Date and time' },
  { value: 'select', label: 'Choice' },
  { value: 'multi_select', label: 'Several choices' },
  { value: 'email', label: 'E-mail' },
  { value: 'phone', label: 'Phone' },
  { value: 'url', label: 'Web address' },
];

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

/** The constructor: an administrator adds, renames and removes fields of any object. */
export function Settings() {
  const me = useMe();
  const objects = useObjects();
  const queryClient = useQueryClient();
  const [objectName, setObjectName] = useState<string | null>('companies');
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const object = objects.data?.find((o) => o.name === objectName);

  if (objects.error) return <ErrorNote error={objects.error} />;
  if (!objects.data || !me.data) return <Loader aria-label="Loading" />;

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['metadata'] });
  const remove = async (f: FieldMeta) => {
    if (
      !window.confirm(
        `Remove the field "${f.label}"? Its values are kept aside in the database but leave every screen.`,
      )
    )
      return;
    setError(null);
    try {
      await api('DELETE', `/api/v1/metadata/objects/${objectName}/fields/${f.name}`);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const relabel = async (f: FieldMeta) => {
    const label = window.prompt('New label', f.label);
    if (!label || label === f.label) return;
    setError(null);
    try {
      await api('PATCH', `/api/v1/metadata/objects/${objectName}/fields/${f.name}`, { label });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Fields</Title>
        <Group align="end">
          <Select
            label="Object"
            data={objects.data.map((o) => ({ value: o.name, label: o.label_plural }))}
            value={objectName}
            onChange={setObjectName}
            allowDeselect={false}
            searchable
            w={220}
          />
          <Button onClick={() => setAdding(true)} disabled={!object}>
            Add field
          </Button>
        </Group>
      </Group>
      {error !== null && <ErrorNote error={error} />}
      {object && (
        <Table striped aria-label={`Fields of ${object.label_plural}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Label</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th />
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
                        custom
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {f.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>{TYPES.find((t) => t.value === f.type)?.label ?? f.type}</Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end">
                      <Button size="compact-xs" variant="subtle" onClick={() => void relabel(f)}>
                        Rename
                      </Button>
                      {f.is_custom && f.name !== object.title_field && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${f.label}`}
                          onClick={() => void remove(f)}
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
        title={`New field on ${object?.label_plural.toLowerCase() ?? ''}`}
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
    </Stack>
  );
}

function NewField({ objectName, onDone }: { objectName: string; onDone: () => Promise<void> }) {
  const [label, setLabel] = useState('');
  const [type, setType] = useState<string>('text');
  const [options, setOptions] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const choices = options
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean)
      .map((o) => ({ value: apiName(o).replace(/^f_/, '').slice(0, 60) || 'option', label: o }));
    try {
      await api('POST', `/api/v1/metadata/objects/${objectName}/fields`, {
        name: apiName(label),
        label,
        type,
        searchable: ['text', 'long_text', 'email', 'phone', 'select'].includes(type),
        ...(type === 'select' || type === 'multi_select' ? { options: choices } : {}),
      });
      await onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error !== null && <ErrorNote error={error} />}
        <TextInput
          label="Label"
          required
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          description={
            label ? `API name: ${apiName(label)}` : 'What people see, like "Region manager"'
          }
        />
        <Select
          label="Type"
          data={TYPES}
          value={type}
          onChange={(v) => v && setType(v)}
          allowDeselect={false}
        />
        {(type === 'select' || type === 'multi_select') && (
          <TextInput
            label="Choices"
            description="Separated by commas, in order"
            value={options}
            onChange={(e) => setOptions(e.currentTarget.value)}
          />
        )}
        <Button type="submit">Add field</Button>
      </Stack>
    </form>
  );
}
