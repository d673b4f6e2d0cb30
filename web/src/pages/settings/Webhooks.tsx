import {
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { ErrorNote } from '../../layout/ErrorNote';
import { ConfirmModal, fieldErrors, FormError, OneTimeSecret, useSettingsT } from './common';
import { EVENT_KINDS, useWebhooksT, type EventKind, type Subscription } from './webhook-api';

export function useSubscriptions() {
  return useQuery({
    queryKey: ['settings', 'webhooks'],
    queryFn: async () =>
      (await api<{ data: Subscription[] }>('GET', '/api/v1/webhooks/subscriptions')).data,
  });
}

/** Webhook subscriptions: each sends an object's record events to a URL, signed. */
export function Webhooks() {
  const st = useSettingsT();
  const t = useWebhooksT();
  const queryClient = useQueryClient();
  const subs = useSubscriptions();
  const objects = useObjects();
  const [editing, setEditing] = useState<Subscription | 'new' | null>(null);
  const [secret, setSecret] = useState<Subscription | null>(null);
  const [rotating, setRotating] = useState<Subscription | null>(null);
  const [removing, setRemoving] = useState<Subscription | null>(null);

  if (subs.error) return <ErrorNote error={subs.error} />;
  if (!subs.data) return <Loader aria-label={st('loading')} />;
  const label = new Map(objects.data?.map((o) => [o.name, o.label_plural]));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['settings', 'webhooks'] });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{st('webhooks.title')}</Title>
        <Button onClick={() => setEditing('new')}>{t('create')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('intro')}
      </Text>
      <Table striped aria-label={st('webhooks.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('name')}</Table.Th>
            <Table.Th>{t('object')}</Table.Th>
            <Table.Th>{t('events')}</Table.Th>
            <Table.Th>{t('targetUrl')}</Table.Th>
            <Table.Th>{t('status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{st('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {subs.data.map((sub) => (
            <Table.Tr key={sub.id} aria-label={sub.name}>
              <Table.Td>{sub.name}</Table.Td>
              <Table.Td>{label.get(sub.object) ?? sub.object}</Table.Td>
              <Table.Td>{sub.events.map((e) => t(`event.${e}`)).join(', ')}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {sub.target_url}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="dot" color={sub.enabled ? 'teal' : 'gray'}>
                  {sub.enabled ? t('on') : t('off')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    renderRoot={(props) => (
                      <Link to="/settings/webhooks/$id" params={{ id: sub.id }} {...props} />
                    )}
                    aria-label={t('deliveriesNamed', { name: sub.name })}
                  >
                    {t('deliveries')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    aria-label={t('editNamed', { name: sub.name })}
                    onClick={() => setEditing(sub)}
                  >
                    {st('edit')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    aria-label={t('rotateNamed', { name: sub.name })}
                    onClick={() => setRotating(sub)}
                  >
                    {t('rotate')}
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={t('removeNamed', { name: sub.name })}
                    onClick={() => setRemoving(sub)}
                  >
                    {st('remove')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {subs.data.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
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
        title={
          editing === 'new' || editing === null
            ? t('create')
            : t('editNamed', { name: editing.name })
        }
      >
        {editing !== null && (
          <SubscriptionForm
            subscription={editing === 'new' ? null : editing}
            onSaved={async (saved) => {
              setEditing(null);
              if (saved.secret) setSecret(saved);
              await refresh();
            }}
          />
        )}
      </Modal>
      <Modal
        opened={!!secret}
        onClose={() => setSecret(null)}
        title={t('secretTitle', { name: secret?.name ?? '' })}
      >
        {secret?.secret && (
          <Stack>
            <OneTimeSecret label={t('secret')} value={secret.secret} note={t('secretNote')} />
            <Group justify="flex-end">
              <Button onClick={() => setSecret(null)}>{st('done')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmModal
        opened={!!rotating}
        title={t('rotateNamed', { name: rotating?.name ?? '' })}
        confirmLabel={t('rotate')}
        onClose={() => setRotating(null)}
        onConfirm={async () => {
          if (!rotating) return;
          const saved = await api<Subscription>(
            'POST',
            `/api/v1/webhooks/subscriptions/${rotating.id}/rotate-secret`,
          );
          setSecret(saved);
          await refresh();
        }}
      >
        {t('rotateText')}
      </ConfirmModal>
      <ConfirmModal
        opened={!!removing}
        title={t('removeNamed', { name: removing?.name ?? '' })}
        confirmLabel={st('remove')}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await api('DELETE', `/api/v1/webhooks/subscriptions/${removing.id}`);
          await refresh();
        }}
      >
        {t('removeText')}
      </ConfirmModal>
    </Stack>
  );
}

const FORM_PATHS = ['name', 'target_url', 'object', 'events', 'enabled'];

function SubscriptionForm({
  subscription,
  onSaved,
}: {
  subscription: Subscription | null;
  onSaved: (saved: Subscription) => Promise<void>;
}) {
  const st = useSettingsT();
  const t = useWebhooksT();
  const objects = useObjects();
  const [name, setName] = useState(subscription?.name ?? '');
  const [targetUrl, setTargetUrl] = useState(subscription?.target_url ?? '');
  const [object, setObject] = useState<string | null>(subscription?.object ?? null);
  const [events, setEvents] = useState<string[]>(subscription?.events ?? [...EVENT_KINDS]);
  const [enabled, setEnabled] = useState(subscription?.enabled ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  // Messages about one event kind (`events.1`) show under the group.
  const eventErrors = [...errors].filter(([p]) => p === 'events' || p.startsWith('events.'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      name,
      target_url: targetUrl.trim(),
      object: object ?? '',
      // In the order the server lists them, whatever order they were ticked in.
      events: EVENT_KINDS.filter((k) => events.includes(k)) as EventKind[],
      enabled,
    };
    try {
      const saved = subscription
        ? await api<Subscription>(
            'PATCH',
            `/api/v1/webhooks/subscriptions/${subscription.id}`,
            body,
          )
        : await api<Subscription>('POST', '/api/v1/webhooks/subscriptions', body);
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
        <FormError error={error} shown={[...FORM_PATHS, ...eventErrors.map(([p]) => p)]} />
        <TextInput
          label={t('name')}
          description={t('nameHint')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.get('name')}
        />
        <TextInput
          label={t('targetUrl')}
          description={t('targetUrlHint')}
          required
          type="url"
          placeholder="https://"
          value={targetUrl}
          onChange={(e) => setTargetUrl(e.currentTarget.value)}
          error={errors.get('target_url')}
        />
        <Select
          label={t('object')}
          required
          searchable
          data={(objects.data ?? []).map((o) => ({ value: o.name, label: o.label_plural }))}
          value={object}
          onChange={setObject}
          error={errors.get('object')}
        />
        <Checkbox.Group
          label={t('events')}
          required
          value={events}
          onChange={setEvents}
          error={eventErrors.map(([, m]) => m).join('; ') || undefined}
        >
          <Group mt={4}>
            {EVENT_KINDS.map((k) => (
              <Checkbox key={k} value={k} label={t(`event.${k}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <Switch
          label={t('enabled')}
          description={t('enabledHint')}
          checked={enabled}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {subscription ? st('save') : t('create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
