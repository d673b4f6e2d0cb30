import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord } from '../../api/client';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import {
  ConfirmModal,
  fieldErrors,
  FormError,
  OneTimeSecret,
  useDateTime,
} from '../settings/common';
import type { FormDef } from '../settings/Forms';
import { fromZonedInput, toZonedInput } from './time';

type LinkState = 'open' | 'sent' | 'used' | 'expired' | 'revoked';

interface FormLink {
  id: string;
  form_id: string;
  form_name: string;
  recipient_name: string | null;
  recipient_email: string | null;
  expires_at: string;
  created_at: string;
  used_at: string | null;
  state: LinkState;
}

const STATE_COLOURS: Record<LinkState, string> = {
  open: 'blue',
  sent: 'blue',
  used: 'green',
  expired: 'gray',
  revoked: 'gray',
};

const linksKey = (taskId: string) => ['form-links', taskId];

/**
 * A task's links to forms for people without a login: each with its state, revocable while
 * unused, and a dialog to send a new one that shows the link once to copy.
 */
export function FormLinks({ task, readOnly }: { task: ApiRecord; readOnly: boolean }) {
  const { t } = useTranslation('forms');
  const when = useDateTime();
  const queryClient = useQueryClient();
  const links = useQuery({
    queryKey: linksKey(task.id),
    queryFn: async () =>
      (await api<{ data: FormLink[] }>('GET', `/api/v1/tasks/${task.id}/form-links`)).data,
  });
  const [sending, setSending] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<FormLink | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: linksKey(task.id) });

  return (
    <Card withBorder padding="md" aria-label={t('links')} component="section">
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('links')}</Title>
        {!readOnly && (
          <Button size="xs" variant="light" onClick={() => setSending(true)}>
            {t('sendLink')}
          </Button>
        )}
      </Group>
      {links.error && <ErrorNote error={links.error} />}
      {!links.data && !links.error && <Loader size="sm" aria-label={t('links')} />}
      {links.data && links.data.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('noLinks')}
        </Text>
      )}
      {links.data && links.data.length > 0 && (
        <Table aria-label={t('links')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('form')}</Table.Th>
              <Table.Th>{t('recipientName')}</Table.Th>
              <Table.Th>{t('expires')}</Table.Th>
              <Table.Th>{t('state')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {links.data.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td>{l.form_name}</Table.Td>
                <Table.Td>
                  {l.recipient_name ?? l.recipient_email ?? '—'}
                  {l.recipient_name && l.recipient_email && (
                    <Text size="xs" c="dimmed">
                      {l.recipient_email}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{when(l.expires_at)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATE_COLOURS[l.state]}>
                    {t(`states.${l.state}`)}
                  </Badge>
                  {l.used_at && (
                    <Text size="xs" c="dimmed">
                      {t('usedAt', { when: when(l.used_at) })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {!readOnly && (l.state === 'open' || l.state === 'sent') && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={t('revokeNamed', {
                        name: l.recipient_name ?? l.recipient_email ?? t('anyone'),
                      })}
                      onClick={() => setRevoking(l)}
                    >
                      {t('revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Modal opened={sending} onClose={() => setSending(false)} title={t('sendLink')}>
        {sending && (
          <SendLink
            taskId={task.id}
            onCreated={async (url) => {
              setSending(false);
              setCreated(url);
              await refresh();
            }}
          />
        )}
      </Modal>
      <Modal opened={!!created} onClose={() => setCreated(null)} title={t('linkCreated')}>
        {created && (
          <Stack>
            <OneTimeSecret label={t('link')} value={created} note={t('linkNote')} />
            <Group justify="flex-end">
              <Button onClick={() => setCreated(null)}>OK</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmModal
        opened={!!revoking}
        title={t('revokeNamed', {
          name: revoking?.recipient_name ?? revoking?.recipient_email ?? t('anyone'),
        })}
        confirmLabel={t('revoke')}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await api('POST', `/api/v1/forms/links/${revoking.id}/revoke`);
          await refresh();
        }}
      >
        {t('revokeText')}
      </ConfirmModal>
    </Card>
  );
}

function SendLink({
  taskId,
  onCreated,
}: {
  taskId: string;
  onCreated: (url: string) => Promise<void>;
}) {
  const { t } = useTranslation('forms');
  const { timeZone } = useLocale();
  const forms = useQuery({
    queryKey: ['forms', 'in-use'],
    queryFn: async () => (await api<{ data: FormDef[] }>('GET', '/api/v1/forms')).data,
  });
  const [formId, setFormId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [expires, setExpires] = useState(() =>
    toZonedInput(new Date(Date.now() + 7 * 86_400_000).toISOString(), timeZone),
  );
  const [sendEmail, setSendEmail] = useState(false);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);
  if (forms.error) return <ErrorNote error={forms.error} />;
  if (!forms.data) return <Loader size="sm" aria-label={t('form')} />;
  const taskForms = forms.data.filter((f) => f.kind === 'task');
  if (taskForms.length === 0) return <Text>{t('noTaskForms')}</Text>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ url: string }>('POST', `/api/v1/tasks/${taskId}/form-links`, {
        form_id: formId ?? '',
        recipient_name: name || null,
        recipient_email: email || null,
        expires_at: fromZonedInput(expires, timeZone),
        send_email: sendEmail,
        message: sendEmail && message ? message : null,
      });
      await onCreated(res.url);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={error} shown={['form_id', 'recipient_email', 'expires_at']} />
        <Select
          label={t('form')}
          required
          data={taskForms.map((f) => ({ value: f.id, label: f.name }))}
          value={formId}
          onChange={setFormId}
          error={errors.get('form_id')}
        />
        <TextInput
          label={t('recipientName')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <TextInput
          label={t('recipientEmail')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors.get('recipient_email')}
        />
        <TextInput
          label={t('expires')}
          type="datetime-local"
          required
          value={expires}
          onChange={(e) => setExpires(e.currentTarget.value)}
          error={errors.get('expires_at')}
        />
        <Checkbox
          label={t('sendEmail')}
          checked={sendEmail}
          onChange={(e) => setSendEmail(e.currentTarget.checked)}
        />
        {sendEmail && (
          <Textarea
            label={t('message')}
            autosize
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            {t('createLink')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
