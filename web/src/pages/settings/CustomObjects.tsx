import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api, type ObjectMeta } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import { apiName } from '../Settings';
import { ConfirmModal, fieldErrors, FormError, useSettingsT } from './common';

/** Custom objects: created, renamed and removed; each gets a table, an API and a sidebar entry. */
export function CustomObjects() {
  const t = useSettingsT();
  const objects = useObjects();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ObjectMeta | null>(null);
  const [removing, setRemoving] = useState<ObjectMeta | null>(null);
  const [created, setCreated] = useState<ObjectMeta | null>(null);

  if (objects.error) return <ErrorNote error={objects.error} />;
  if (!objects.data) return <Loader aria-label={t('loading')} />;
  // The sidebar is built from the same query: it shows a change at once.
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['metadata'] });
  const custom = objects.data.filter((o) => o.is_custom);
  const standard = objects.data.filter((o) => !o.is_custom);

  const row = (o: ObjectMeta) => (
    <Table.Tr key={o.name}>
      <Table.Td>
        {o.label_plural}{' '}
        {o.is_custom ? (
          <Badge size="xs" variant="light">
            {t('objects.custom')}
          </Badge>
        ) : (
          <Badge size="xs" variant="outline" color="gray">
            {t('objects.standard')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{o.label_singular}</Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {o.name}
        </Text>
      </Table.Td>
      <Table.Td>
        {t('objects.fieldCount', { count: o.fields.filter((f) => !f.is_system).length })}
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          <Anchor
            renderRoot={(props) => (
              <Link to="/settings/fields" search={{ object: o.name }} {...props} />
            )}
            size="sm"
            aria-label={t('objects.fieldsOf', { label: o.label_plural })}
          >
            {t('objects.fields')}
          </Anchor>
          {o.is_custom && (
            <>
              <Button
                size="compact-sm"
                variant="subtle"
                aria-label={t('objects.renameNamed', { label: o.label_plural })}
                onClick={() => setEditing(o)}
              >
                {t('objects.rename')}
              </Button>
              <Button
                size="compact-sm"
                variant="subtle"
                color="red"
                aria-label={t('objects.removeNamed', { label: o.label_plural })}
                onClick={() => setRemoving(o)}
              >
                {t('remove')}
              </Button>
            </>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('objects.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('objects.create')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('objects.intro')}
      </Text>
      {created && (
        <Alert color="teal" withCloseButton onClose={() => setCreated(null)} role="status">
          {t('objects.createdText', { label: created.label_plural })}{' '}
          <Anchor
            renderRoot={(props) => (
              <Link to="/settings/fields" search={{ object: created.name }} {...props} />
            )}
          >
            {t('objects.addFields')}
          </Anchor>
        </Alert>
      )}
      <Table striped aria-label={t('objects.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('objects.labelPlural')}</Table.Th>
            <Table.Th>{t('objects.labelSingular')}</Table.Th>
            <Table.Th>{t('objects.name')}</Table.Th>
            <Table.Th>{t('objects.fieldsColumn')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {custom.map(row)}
          {custom.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text size="sm" c="dimmed">
                  {t('objects.noneYet')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {standard.map(row)}
        </Table.Tbody>
      </Table>

      <Modal opened={creating} onClose={() => setCreating(false)} title={t('objects.create')}>
        <ObjectForm
          onSaved={async (o) => {
            setCreating(false);
            await refresh();
            setCreated(o);
          }}
        />
      </Modal>
      <Modal
        opened={!!editing}
        onClose={() => setEditing(null)}
        title={t('objects.renameNamed', { label: editing?.label_plural ?? '' })}
      >
        {editing && (
          <ObjectForm
            object={editing}
            onSaved={async () => {
              setEditing(null);
              await refresh();
            }}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={!!removing}
        title={t('objects.removeNamed', { label: removing?.label_plural ?? '' })}
        confirmLabel={t('remove')}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await api('DELETE', `/api/v1/metadata/objects/${removing.name}`);
          if (created?.name === removing.name) setCreated(null);
          await refresh();
        }}
      >
        {t('objects.removeText', { label: removing?.label_plural ?? '' })}
      </ConfirmModal>
    </Stack>
  );
}

const PATHS = ['name', 'label_singular', 'label_plural'];

/** A new custom object, or new labels (and API name) for one. */
function ObjectForm({
  object,
  onSaved,
}: {
  object?: ObjectMeta;
  onSaved: (o: ObjectMeta) => Promise<void>;
}) {
  const t = useSettingsT();
  const [singular, setSingular] = useState(object?.label_singular ?? '');
  const [plural, setPlural] = useState(object?.label_plural ?? '');
  const [name, setName] = useState(object?.name ?? '');
  // The API name follows the plural label until someone types one.
  const [nameTouched, setNameTouched] = useState(!!object);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  const shownName = nameTouched ? name : plural ? apiName(plural) : '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = object
        ? await api<ObjectMeta>('PATCH', `/api/v1/metadata/objects/${object.name}`, {
            ...(singular !== object.label_singular ? { label_singular: singular } : {}),
            ...(plural !== object.label_plural ? { label_plural: plural } : {}),
            ...(shownName !== object.name ? { name: shownName } : {}),
          })
        : await api<ObjectMeta>('POST', '/api/v1/metadata/objects', {
            name: shownName,
            label_singular: singular,
            label_plural: plural,
          });
      await onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={PATHS} />
        <TextInput
          label={t('objects.labelSingular')}
          description={t('objects.labelSingularHint')}
          required
          value={singular}
          onChange={(e) => setSingular(e.currentTarget.value)}
          error={errors.get('label_singular')}
        />
        <TextInput
          label={t('objects.labelPlural')}
          description={t('objects.labelPluralHint')}
          required
          value={plural}
          onChange={(e) => setPlural(e.currentTarget.value)}
          error={errors.get('label_plural')}
        />
        <TextInput
          label={t('objects.name')}
          description={object ? t('objects.renameWarning') : t('objects.nameHint')}
          required
          ff="monospace"
          value={shownName}
          onChange={(e) => {
            setNameTouched(true);
            setName(e.currentTarget.value);
          }}
          error={errors.get('name')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {object ? t('save') : t('objects.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
