import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useObjects } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { ScrollBox } from '../stock/common';
import { setEnabled, useProcesses, useRefreshAutomation, useStages } from './api';
import { triggerSummary } from './summary';
import type { Process } from './types';

/** Every process: what starts it, whether it is on, its version and how its runs stand. */
export function ProcessesPage() {
  const { t } = useTranslation('automation');
  const processes = useProcesses();

  return (
    <Stack gap="md">
      <Group justify="space-between" align="start">
        <div>
          <Title order={1} size="h2">
            {t('processesTitle')}
          </Title>
          <Text size="sm" c="gray.7" maw={720}>
            {t('processesIntro')}
          </Text>
        </div>
        <Group gap="xs">
          <Button
            variant="default"
            renderRoot={(props) => <Link to="/automation/runs" {...props} />}
          >
            {t('allRuns')}
          </Button>
          <Button renderRoot={(props) => <Link to="/automation/new" {...props} />}>
            {t('newProcess')}
          </Button>
        </Group>
      </Group>
      {processes.error ? (
        <ErrorNote error={processes.error} />
      ) : !processes.data ? (
        <Loader aria-label={t('loading')} />
      ) : processes.data.length === 0 ? (
        <Text>{t('noProcesses')}</Text>
      ) : (
        <ProcessTable processes={processes.data} />
      )}
    </Stack>
  );
}

function ProcessTable({ processes }: { processes: Process[] }) {
  const { t } = useTranslation('automation');
  const { language } = useLocale();
  const objects = useObjects();
  const stages = useStages();
  return (
    <ScrollBox label={t('processesTable')}>
      <Table striped highlightOnHover aria-label={t('processesTable')} miw={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('name')}</Table.Th>
            <Table.Th>{t('trigger')}</Table.Th>
            <Table.Th>{t('enabled')}</Table.Th>
            <Table.Th>{t('version')}</Table.Th>
            <Table.Th>{t('runs')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {processes.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                <Anchor
                  renderRoot={(props) => (
                    <Link to="/automation/$id" params={{ id: p.id }} {...props} />
                  )}
                >
                  {p.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {triggerSummary(t, language, p.trigger, objects.data, stages.data?.stages)}
              </Table.Td>
              <Table.Td>
                <EnabledSwitch process={p} />
              </Table.Td>
              <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{p.version}</Table.Td>
              <Table.Td>
                <RunCounts process={p} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollBox>
  );
}

/** Turns a process on or off at once; a refusal (a definition that no longer holds) is shown. */
export function EnabledSwitch({ process, label }: { process: Process; label?: string }) {
  const { t } = useTranslation('automation');
  const refresh = useRefreshAutomation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Stack gap={4}>
      <Switch
        checked={process.enabled}
        disabled={busy}
        label={label}
        aria-label={label ? undefined : t('enabledFor', { name: process.name })}
        onChange={async (e) => {
          const on = e.currentTarget.checked;
          setBusy(true);
          setError(null);
          try {
            await setEnabled(process.id, on);
            await refresh();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      />
      {error !== null && <ErrorNote error={error} />}
    </Stack>
  );
}

function RunCounts({ process }: { process: Process }) {
  const { t } = useTranslation('automation');
  const counts = [
    { status: 'running', color: 'blue', label: t('runningCount', { count: process.runs.running }) },
    {
      status: 'waiting',
      color: 'yellow',
      label: t('waitingCount', { count: process.runs.waiting }),
    },
    { status: 'failed', color: 'red', label: t('failedCount', { count: process.runs.failed }) },
  ] as const;
  return (
    <Group gap={6}>
      {counts.map((c) => (
        <Anchor
          key={c.status}
          size="sm"
          renderRoot={(props) => (
            <Link
              to="/automation/runs"
              search={{ process_id: process.id, status: c.status }}
              {...props}
            />
          )}
        >
          <Badge
            variant={process.runs[c.status] ? 'light' : 'outline'}
            color={process.runs[c.status] ? c.color : 'gray'}
            c="gray.9"
            style={{ cursor: 'pointer' }}
          >
            {c.label}
          </Badge>
        </Anchor>
      ))}
    </Group>
  );
}
