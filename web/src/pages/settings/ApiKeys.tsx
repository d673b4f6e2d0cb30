import {
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
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import {
  ConfirmModal,
  fieldErrors,
  FormError,
  OneTimeSecret,
  useDateTime,
  useSettingsT,
  useUsers,
} from './common';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** API keys: each acts as the user who made it; the key itself is shown once. */
export function ApiKeys() {
  const t = useSettingsT();
  const when = useDateTime();
  const queryClient = useQueryClient();
  const users = useUsers();
  const keys = useQuery({
    queryKey: ['settings', 'api-keys'],
    queryFn: async () => (await api<{ data: ApiKey[] }>('GET', '/api/v1/api-keys')).data,
  });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  if (keys.error) return <ErrorNote error={keys.error} />;
  if (!keys.data) return <Loader aria-label={t('loading')} />;
  const owner = new Map(users.data?.map((u) => [u.id, u.name]));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['settings', 'api-keys'] });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('apiKeys.title')}</Title>
        <Button onClick={() => setCreating(true)}>{t('apiKeys.create')}</Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('apiKeys.intro')}
      </Text>
      <Table striped aria-label={t('apiKeys.title')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('apiKeys.name')}</Table.Th>
            <Table.Th>{t('apiKeys.key')}</Table.Th>
            <Table.Th>{t('apiKeys.owner')}</Table.Th>
            <Table.Th>{t('apiKeys.created')}</Table.Th>
            <Table.Th>{t('apiKeys.lastUsed')}</Table.Th>
            <Table.Th>{t('apiKeys.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.data.map((k) => (
            <Table.Tr key={k.id} aria-label={k.name}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  kontor_{k.prefix}_…
                </Text>
              </Table.Td>
              <Table.Td>{owner.get(k.user_id) ?? '—'}</Table.Td>
              <Table.Td>{when(k.created_at)}</Table.Td>
              <Table.Td>{k.last_used_at ? when(k.last_used_at) : t('apiKeys.never')}</Table.Td>
              <Table.Td>
                {k.revoked_at ? (
                  <Badge variant="light" color="gray">
                    {t('apiKeys.revokedAt', { when: when(k.revoked_at) })}
                  </Badge>
                ) : (
                  <Badge variant="light" color="green">
                    {t('apiKeys.active')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!k.revoked_at && (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={t('apiKeys.revokeNamed', { name: k.name })}
                    onClick={() => setRevoking(k)}
                  >
                    {t('apiKeys.revoke')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {keys.data.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed">
                  {t('apiKeys.none')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>

      <Modal opened={creating} onClose={() => setCreating(false)} title={t('apiKeys.create')}>
        <NewKey
          onCreated={async (name, key) => {
            setCreating(false);
            setCreated({ name, key });
            await refresh();
          }}
        />
      </Modal>
      <Modal
        opened={!!created}
        onClose={() => setCreated(null)}
        title={t('apiKeys.createdTitle', { name: created?.name ?? '' })}
      >
        {created && (
          <Stack>
            <OneTimeSecret
              label={t('apiKeys.key')}
              value={created.key}
              note={t('apiKeys.keyNote')}
            />
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>{t('done')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmModal
        opened={!!revoking}
        title={t('apiKeys.revokeNamed', { name: revoking?.name ?? '' })}
        confirmLabel={t('apiKeys.revoke')}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await api('DELETE', `/api/v1/api-keys/${revoking.id}`);
          await refresh();
        }}
      >
        {t('apiKeys.revokeText')}
      </ConfirmModal>
    </Stack>
  );
}

function NewKey({ onCreated }: { onCreated: (name: string, key: string) => Promise<void> }) {
  const t = useSettingsT();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ name: string; key: string }>('POST', '/api/v1/api-keys', { name });
      await onCreated(res.name, res.key);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={['name']} />
        <TextInput
          label={t('apiKeys.name')}
          description={t('apiKeys.nameHint')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldErrors(error).get('name')}
        />
        <Text size="sm" c="dimmed">
          {t('apiKeys.actsAsYou')}
        </Text>
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t('apiKeys.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
