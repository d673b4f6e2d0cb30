import {
  Anchor,
  Badge,
  Card,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../api/client';
import { useMe, useObject } from '../../api/hooks';
import { useTitles } from '../../api/titles';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { formatDateTime, fromZonedInput, todayIn } from '../record/time';
import { useUsers } from '../record/users';
import { UNFINISHED, useQueues, useTaskList } from './api';
import { QueueBoardAnchor } from './QueueBoardLink';

type Scope = 'mine' | 'all';

/** The day after `day` (YYYY-MM-DD), as a calendar date. */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * What a person has to do: tasks assigned to them or waiting in their queues (or everyone's they
 * may see), split into overdue, due today and the rest; and the boards of the departments.
 */
export function MyTasks() {
  const { t } = useTranslation('tasks');
  const me = useMe();
  const { timeZone } = useLocale();
  const [scope, setScope] = useState<Scope>('mine');
  const queues = useQueues(me.data?.id);
  const userId = me.data?.id ?? '';

  const base: [string, string][] = [['filter[status][in]', UNFINISHED.join(',')]];
  if (scope === 'mine') {
    base.push(['filter[or][0][assignee_id]', userId]);
    if (queues.mine.length)
      base.push(['filter[or][1][queue_id][in]', queues.mine.map((q) => q.id).join(',')]);
  }
  const ready = !!me.data && (scope === 'all' || !queues.isPending);
  const now = new Date().toISOString();
  const today = todayIn(timeZone);
  const startOfTomorrow = fromZonedInput(`${nextDay(today)}T00:00`, timeZone) ?? now;
  const key = [scope, userId, queues.mine.map((q) => q.id).join(',')];
  const overdue = useTaskList(
    ['overdue', ...key, now.slice(0, 16)],
    [...base, ['filter[due_effective_at][lt]', now]],
    ready,
  );
  const dueToday = useTaskList(
    ['today', ...key, today, now.slice(0, 16)],
    [
      ...base,
      ['filter[due_effective_at][gte]', now],
      ['filter[due_effective_at][lt]', startOfTomorrow],
    ],
    ready,
  );
  const all = useTaskList(['all', ...key], base, ready);
  const listed = new Set([...(overdue.data ?? []), ...(dueToday.data ?? [])].map((r) => r.id));
  const rest = (all.data ?? []).filter((r) => !listed.has(r.id));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        <SegmentedControl
          aria-label={t('scope')}
          value={scope}
          onChange={(v) => setScope(v as Scope)}
          data={[
            { value: 'mine', label: t('scopeMine') },
            { value: 'all', label: t('scopeAll') },
          ]}
        />
      </Group>
      {queues.error && <ErrorNote error={queues.error} />}
      <TaskList title={t('overdue')} query={overdue} tone="red" />
      <TaskList title={t('dueToday')} query={dueToday} tone="orange" />
      <TaskList title={t('open')} query={{ ...all, data: rest }} />
      <Card withBorder component="section">
        <Title order={2} size="h5" mb="xs">
          {t('allQueues')}
        </Title>
        {queues.isPending ? (
          <Loader size="sm" />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {queues.all.map((q) => (
              <Group key={q.id} gap="xs">
                <QueueBoardAnchor id={q.id} label={t('board', { name: String(q.name) })} />
                {queues.mine.some((m) => m.id === q.id) && (
                  <Badge size="sm" variant="light">
                    {t('myQueues')}
                  </Badge>
                )}
              </Group>
            ))}
          </SimpleGrid>
        )}
        {!queues.isPending && queues.mine.length === 0 && (
          <Text size="sm" c="gray.7" mt="xs">
            {t('noQueues')}
          </Text>
        )}
      </Card>
    </Stack>
  );
}

function TaskList({
  title,
  query,
  tone,
}: {
  title: string;
  query: { data?: ApiRecord[]; error: unknown; isPending: boolean };
  tone?: string;
}) {
  const { t } = useTranslation('tasks');
  const heading = useId();
  const { locale, timeZone } = useLocale();
  const tasks = useObject('tasks');
  const users = useUsers();
  const rows = query.data ?? [];
  const queueTitles = useTitles(
    'queues',
    rows.flatMap((r) => (r.queue_id ? [String(r.queue_id)] : [])),
  );
  const statusLabel = (v: unknown) =>
    tasks.data?.fields.find((f) => f.name === 'status')?.options?.find((o) => o.value === v)
      ?.label ?? String(v);
  return (
    <Card withBorder component="section" aria-labelledby={heading}>
      <Group gap="xs" mb="xs">
        <Title order={2} size="h5" id={heading}>
          {title}
        </Title>
        {query.data && (
          <Badge variant="light" color={tone ?? 'gray'}>
            {rows.length}
          </Badge>
        )}
      </Group>
      {query.error ? (
        <ErrorNote error={query.error} />
      ) : query.isPending ? (
        <Loader size="sm" />
      ) : rows.length === 0 ? (
        <Text size="sm" c="gray.7">
          {t('noTasks')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{tasks.data?.fields.find((f) => f.name === 'title')?.label}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
                <Table.Th>{t('due')}</Table.Th>
                <Table.Th>{t('assignee')}</Table.Th>
                <Table.Th>{t('queue')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => (
                        <Link
                          to="/o/$object/$id"
                          params={{ object: 'tasks', id: r.id }}
                          {...props}
                        />
                      )}
                    >
                      {String(r.title)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{statusLabel(r.status)}</Table.Td>
                  <Table.Td>
                    {r.due_effective_at
                      ? formatDateTime(String(r.due_effective_at), locale, timeZone)
                      : ''}
                  </Table.Td>
                  <Table.Td>{users.data?.find((u) => u.id === r.assignee_id)?.name ?? ''}</Table.Td>
                  <Table.Td>
                    {r.queue_id ? (queueTitles.data?.get(String(r.queue_id)) ?? '…') : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
