import { Anchor, Badge, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord, type Page } from '../../api/client';
import { useTitles } from '../../api/titles';
import { ErrorNote } from '../../layout/ErrorNote';
import type { RecordSectionProps } from '../record/sections';
import { AUTOMATION } from './api';
import type { Run } from './types';

/** How often the section asks again: production and installation move while the page is open. */
const REFRESH_MS = 5000;

const STATUS_COLOR: Record<string, string> = {
  open: 'blue.9',
  in_progress: 'orange.9',
  waiting: 'gray.7',
  done: 'green.9',
  cancelled: 'gray.7',
  running: 'blue.9',
  failed: 'red.9',
  stopped: 'gray.7',
};

/**
 * The work under way on a record, kept live: its tasks by department with their status, and the
 * processes running for it with the step each has reached. On a won deal this is where the sales
 * manager sees how far production, purchasing and installation have got.
 */
export function RecordWork({ object, record }: RecordSectionProps) {
  const { t } = useTranslation('automation');
  const heading = useId();
  const tasks = useQuery({
    queryKey: ['record-work', 'tasks', record.id],
    refetchInterval: REFRESH_MS,
    queryFn: async () => {
      const p = new URLSearchParams({ limit: '200', sort: 'created_at' });
      p.set('filter[related_id][eq]', record.id);
      return (await api<Page>('GET', `/api/v1/tasks?${p.toString()}`)).data;
    },
    enabled: object.name !== 'tasks',
  });
  const runs = useQuery({
    queryKey: [AUTOMATION, 'record-runs', object.name, record.id],
    refetchInterval: REFRESH_MS,
    queryFn: async () => {
      const p = new URLSearchParams({ object: object.name, record_id: record.id, limit: '20' });
      return (await api<{ data: Run[] }>('GET', `/api/v1/automation/runs?${p.toString()}`)).data;
    },
    enabled: object.name !== 'tasks',
    // Who may not list runs still sees the tasks.
    retry: false,
  });
  const queueIds = (tasks.data ?? [])
    .map((x) => x.queue_id)
    .filter((x): x is string => typeof x === 'string');
  const queues = useTitles('queues', queueIds);
  if (object.name === 'tasks') return null;
  if (tasks.error) return <ErrorNote error={tasks.error} />;
  const taskList = tasks.data ?? [];
  const runList = runs.data ?? [];
  if (taskList.length === 0 && runList.length === 0) return null;

  const groups = new Map<string, ApiRecord[]>();
  for (const task of taskList) {
    const key = typeof task.queue_id === 'string' ? task.queue_id : '';
    groups.set(key, [...(groups.get(key) ?? []), task]);
  }
  return (
    <Card withBorder component="section" aria-labelledby={heading}>
      <Title order={2} size="h5" id={heading}>
        {t('work.title')}
      </Title>
      <Text size="sm" c="gray.7" mb="sm">
        {t('work.intro')}
      </Text>
      <Stack gap="md">
        {[...groups].map(([queue, list]) => {
          const done = list.filter((x) => x.status === 'done').length;
          const name = queue ? (queues.data?.get(queue) ?? '…') : t('work.noQueue');
          return (
            <div key={queue}>
              <Group justify="space-between" mb={4}>
                <Text fw={600} size="sm">
                  {name}
                </Text>
                <Text size="sm" c="gray.7">
                  {t('work.progress', { done, total: list.length })}
                </Text>
              </Group>
              <Progress
                value={(done / list.length) * 100}
                size="sm"
                mb={6}
                aria-label={`${name}: ${t('work.progress', { done, total: list.length })}`}
              />
              <Table>
                <Table.Tbody>
                  {list.map((task) => (
                    <Table.Tr key={task.id}>
                      <Table.Td>
                        <Anchor
                          size="sm"
                          renderRoot={(props) => (
                            <Link
                              to="/o/$object/$id"
                              params={{ object: 'tasks', id: task.id }}
                              {...props}
                            />
                          )}
                        >
                          {String(task.title)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td w={130}>
                        <Badge
                          variant="filled"
                          size="sm"
                          color={STATUS_COLOR[String(task.status)] ?? 'gray.7'}
                        >
                          {t(`work.taskStatus.${String(task.status)}` as 'work.taskStatus.open', {
                            defaultValue: String(task.status),
                          })}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          );
        })}
        {runList.length > 0 && (
          <div>
            <Text fw={600} size="sm" mb={4}>
              {t('work.processes')}
            </Text>
            <Stack gap={4}>
              {runList.map((run) => (
                <Group key={run.id} gap="xs">
                  <Anchor
                    size="sm"
                    renderRoot={(props) => (
                      <Link to="/automation/runs/$runId" params={{ runId: run.id }} {...props} />
                    )}
                  >
                    {t('work.openRun', { process: run.process_name ?? '' })}
                  </Anchor>
                  <Badge variant="filled" size="sm" color={STATUS_COLOR[run.status] ?? 'gray.7'}>
                    {t(`runStatus.${run.status}` as 'runStatus.running')}
                  </Badge>
                  {run.current_step && (run.status === 'running' || run.status === 'waiting') && (
                    <Text size="sm" c="gray.7">
                      {t('work.atStep', { step: run.current_step })}
                    </Text>
                  )}
                </Group>
              ))}
            </Stack>
          </div>
        )}
      </Stack>
    </Card>
  );
}
