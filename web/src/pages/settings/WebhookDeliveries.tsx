import {
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { api } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import { useDateTime, useSettingsT } from './common';
import {
  DELIVERY_STATUSES,
  STATUS_COLORS,
  useWebhooksT,
  type Delivery,
  type DeliveryDetail,
  type DeliveryStatus,
  type Subscription,
} from './webhook-api';

/** A short form of an id for tables: its last characters, which differ between neighbours. */
const shortId = (id: string) => `…${id.slice(-8)}`;

/** One webhook's delivery log, newest first, with each delivery's attempts and a replay. */
export function WebhookDeliveries() {
  const st = useSettingsT();
  const t = useWebhooksT();
  const when = useDateTime();
  const queryClient = useQueryClient();
  const { id } = useParams({ from: '/settings/webhooks/$id' });
  const [status, setStatus] = useState<'all' | DeliveryStatus>('all');
  const [detail, setDetail] = useState<string | null>(null);
  const [replayError, setReplayError] = useState<unknown>(null);
  const [replayed, setReplayed] = useState<string | null>(null);

  const sub = useQuery({
    queryKey: ['settings', 'webhooks', id],
    queryFn: () => api<Subscription>('GET', `/api/v1/webhooks/subscriptions/${id}`),
  });
  const log = useInfiniteQuery({
    queryKey: ['settings', 'webhooks', id, 'deliveries', status],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const q = new URLSearchParams();
      if (status !== 'all') q.set('status', status);
      if (pageParam) q.set('cursor', pageParam);
      return api<{ data: Delivery[]; next_cursor: string | null }>(
        'GET',
        `/api/v1/webhooks/subscriptions/${id}/deliveries?${q}`,
      );
    },
    getNextPageParam: (last) => last.next_cursor,
  });

  if (sub.error) return <ErrorNote error={sub.error} />;
  if (!sub.data) return <Loader aria-label={st('loading')} />;
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: ['settings', 'webhooks', id, 'deliveries'] });

  const replay = async (d: Delivery) => {
    setReplayError(null);
    setReplayed(null);
    try {
      await api('POST', `/api/v1/webhooks/deliveries/${d.id}/replay`);
      setReplayed(d.id);
      await refresh();
    } catch (err) {
      setReplayError(err);
    }
  };

  return (
    <Stack>
      <Anchor component={Link} to="/settings/webhooks" size="sm">
        {t('back')}
      </Anchor>
      <Group justify="space-between">
        <Title order={2}>{t('deliveriesNamed', { name: sub.data.name })}</Title>
        <Button variant="default" onClick={() => refresh()}>
          {t('refresh')}
        </Button>
      </Group>
      <Text size="sm" ff="monospace" c="dimmed">
        {sub.data.target_url}
      </Text>
      <Group gap="xs">
        <Text size="sm" id="delivery-filter">
          {t('filter')}
        </Text>
        <SegmentedControl
          aria-labelledby="delivery-filter"
          value={status}
          onChange={(v) => setStatus(v as 'all' | DeliveryStatus)}
          data={[
            { value: 'all', label: t('all') },
            ...DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`deliveryStatus.${s}`) })),
          ]}
        />
      </Group>
      {replayError !== null && <ErrorNote error={replayError} />}
      {replayed && (
        <Text size="sm" c="teal.9" role="status">
          {t('replayed')}
        </Text>
      )}
      {log.error && <ErrorNote error={log.error} />}
      <Table striped aria-label={t('deliveries')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('when')}</Table.Th>
            <Table.Th>{t('eventType')}</Table.Th>
            <Table.Th>{t('record')}</Table.Th>
            <Table.Th>{t('status')}</Table.Th>
            <Table.Th>{t('attempts')}</Table.Th>
            <Table.Th>{t('answer')}</Table.Th>
            <Table.Th>{t('lastError')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{st('actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((d) => (
            <Table.Tr key={d.id} aria-label={`${d.event_type} ${shortId(d.id)}`}>
              <Table.Td>{when(d.created_at)}</Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {d.event_type}
                </Text>
                {d.replay_of && (
                  <Badge size="xs" variant="outline" color="gray">
                    {t('replayOf')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {d.event_type.endsWith('.deleted') ? (
                  <Text size="sm" ff="monospace">
                    {shortId(d.record_id)}
                  </Text>
                ) : (
                  <Anchor
                    size="sm"
                    ff="monospace"
                    renderRoot={(props) => (
                      <Link
                        to="/o/$object/$id"
                        params={{ object: d.object, id: d.record_id }}
                        {...props}
                      />
                    )}
                  >
                    {shortId(d.record_id)}
                  </Anchor>
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="dot" color={STATUS_COLORS[d.status]}>
                  {t(`deliveryStatus.${d.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{d.attempts}</Table.Td>
              <Table.Td>{d.last_status_code ?? '—'}</Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={2} style={{ wordBreak: 'break-word' }}>
                  {d.last_error ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-sm" variant="subtle" onClick={() => setDetail(d.id)}>
                    {t('details')}
                  </Button>
                  {d.status !== 'skipped' && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      aria-label={t('replayNamed', { id: shortId(d.id) })}
                      onClick={() => replay(d)}
                    >
                      {t('replay')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
          {log.data && rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>
                <Text size="sm" c="dimmed">
                  {t('noDeliveries')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {log.isPending && <Loader aria-label={st('loading')} />}
      {log.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={log.isFetchingNextPage}
            onClick={() => log.fetchNextPage()}
          >
            {t('more')}
          </Button>
        </Group>
      )}
      <Modal
        opened={!!detail}
        onClose={() => setDetail(null)}
        title={t('detailsTitle', { id: detail ? shortId(detail) : '' })}
        size="xl"
      >
        {detail && <DeliveryDetails id={detail} />}
      </Modal>
    </Stack>
  );
}

function DeliveryDetails({ id }: { id: string }) {
  const st = useSettingsT();
  const t = useWebhooksT();
  const when = useDateTime();
  const d = useQuery({
    queryKey: ['settings', 'webhook-delivery', id],
    queryFn: () => api<DeliveryDetail>('GET', `/api/v1/webhooks/deliveries/${id}`),
  });
  if (d.error) return <ErrorNote error={d.error} />;
  if (!d.data) return <Loader aria-label={st('loading')} />;
  return (
    <Stack>
      <Table aria-label={t('attempts')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('attempt')}</Table.Th>
            <Table.Th>{t('at')}</Table.Th>
            <Table.Th>{t('answer')}</Table.Th>
            <Table.Th>{t('duration')}</Table.Th>
            <Table.Th>{t('response')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {d.data.attempt_log.map((a) => (
            <Table.Tr key={a.attempt}>
              <Table.Td>{a.attempt}</Table.Td>
              <Table.Td>{when(a.at)}</Table.Td>
              <Table.Td>
                <Badge variant="dot" color={a.ok ? 'teal' : 'red'}>
                  {a.status_code ?? '—'}
                </Badge>
              </Table.Td>
              <Table.Td>{t('durationMs', { ms: a.duration_ms })}</Table.Td>
              <Table.Td>
                <Text size="sm" style={{ wordBreak: 'break-word' }}>
                  {a.error ?? a.response_body ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" fw={600}>
        {t('body')}
      </Text>
      <Code block>{JSON.stringify(d.data.body, null, 2)}</Code>
    </Stack>
  );
}
