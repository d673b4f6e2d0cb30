import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { formatDateTime } from '../record/time';
import { useRecordTitles } from '../stock/api';
import { ScrollBox } from '../stock/common';
import { useProcesses, useRuns, type RunFilter } from './api';
import { RUN_STATUSES, type RunStatus, type RunStepStatus } from './types';

export interface RunsSearch {
  process_id?: string;
  status?: RunStatus;
}

export function runsSearch(raw: Record<string, unknown>): RunsSearch {
  const out: RunsSearch = {};
  if (typeof raw.process_id === 'string' && raw.process_id) out.process_id = raw.process_id;
  if (RUN_STATUSES.includes(raw.status as RunStatus)) out.status = raw.status as RunStatus;
  return out;
}

const COLORS: Record<RunStatus | RunStepStatus, string> = {
  running: 'blue',
  waiting: 'yellow',
  done: 'green',
  failed: 'red',
  stopped: 'gray',
  skipped: 'gray',
};

/** A run's or a step's status as a badge: a coloured ground, its text dark enough to read. */
export function StatusBadge({ status }: { status: RunStatus | RunStepStatus }) {
  const { t } = useTranslation('automation');
  const color = COLORS[status];
  return (
    <Badge variant="light" color={color} c="gray.9">
      {t(`runStatus.${status}`)}
    </Badge>
  );
}

/** /automation/runs: every run the user may read, newest first, by status and process. */
export function RunsPage() {
  const { t } = useTranslation('automation');
  const search = useSearch({ strict: false }) as RunsSearch;
  const navigate = useNavigate();
  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          {t('runsTitle')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('runsIntro')}
        </Text>
      </div>
      <RunsTable
        filter={search}
        onFilter={(f) => void navigate({ to: '/automation/runs', search: runsSearch({ ...f }) })}
      />
    </Stack>
  );
}

/** The runs of one process (its Runs tab), filtered by status in the page's own state. */
export function RunsList({ processId }: { processId: string }) {
  const [status, setStatus] = useState<RunStatus | undefined>();
  return (
    <RunsTable
      filter={{ process_id: processId, status }}
      fixedProcess
      onFilter={(f) => setStatus(f.status as RunStatus | undefined)}
    />
  );
}

function RunsTable({
  filter,
  onFilter,
  fixedProcess = false,
}: {
  filter: RunFilter;
  onFilter: (filter: RunFilter) => void;
  fixedProcess?: boolean;
}) {
  const { t } = useTranslation('automation');
  const { locale, timeZone } = useLocale();
  const me = useMe();
  // Only administrators list processes; others filter by status alone.
  const processes = useProcesses(!fixedProcess && !!me.data?.is_admin);
  const runs = useRuns(filter);
  const rows = runs.data?.pages.flatMap((p) => p.data) ?? [];
  const { titles } = useRecordTitles(
    rows.flatMap((r) => (r.object && r.record_id ? [{ object: r.object, id: r.record_id }] : [])),
  );
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : '');

  return (
    <Stack gap="sm">
      <Group gap="sm" align="end">
        <NativeSelect
          label={t('status')}
          data={[
            { value: '', label: t('anyStatus') },
            ...RUN_STATUSES.map((s) => ({ value: s, label: t(`runStatus.${s}`) })),
          ]}
          value={filter.status ?? ''}
          onChange={(e) => onFilter({ ...filter, status: e.currentTarget.value || undefined })}
        />
        {!fixedProcess && processes.data && (
          <NativeSelect
            label={t('process')}
            data={[
              { value: '', label: t('anyProcess') },
              ...processes.data.map((p) => ({ value: p.id, label: p.name })),
            ]}
            value={filter.process_id ?? ''}
            onChange={(e) =>
              onFilter({ ...filter, process_id: e.currentTarget.value || undefined })
            }
          />
        )}
      </Group>
      {runs.error ? (
        <ErrorNote error={runs.error} />
      ) : !runs.data ? (
        <Loader aria-label={t('loading')} />
      ) : rows.length === 0 ? (
        <Text>{t('noRuns')}</Text>
      ) : (
        <ScrollBox label={t('runsTable')}>
          <Table striped highlightOnHover aria-label={t('runsTable')} miw={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('started')}</Table.Th>
                {!fixedProcess && <Table.Th>{t('process')}</Table.Th>}
                <Table.Th>{t('record')}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
                <Table.Th>{t('atStep')}</Table.Th>
                <Table.Th>{t('finished')}</Table.Th>
                <Table.Th>{t('error')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Anchor
                      size="sm"
                      aria-label={t('openRun', {
                        process: run.process_name,
                        when: when(run.started_at),
                      })}
                      renderRoot={(props) => (
                        <Link to="/automation/runs/$runId" params={{ runId: run.id }} {...props} />
                      )}
                    >
                      {when(run.started_at)}
                    </Anchor>
                  </Table.Td>
                  {!fixedProcess && <Table.Td>{run.process_name}</Table.Td>}
                  <Table.Td>
                    <RunRecord run={run} titles={titles} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={run.status} />
                  </Table.Td>
                  <Table.Td>{run.current_step ?? ''}</Table.Td>
                  <Table.Td>{when(run.finished_at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2} maw={280}>
                      {run.error ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollBox>
      )}
      {runs.hasNextPage && (
        <Group>
          <Button
            variant="default"
            loading={runs.isFetchingNextPage}
            onClick={() => void runs.fetchNextPage()}
          >
            {t('more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The record a run is about, as a link to its page. */
export function RunRecord({
  run,
  titles,
}: {
  run: { object: string | null; record_id: string | null; record_title?: string | null };
  /** Titles read by useRecordTitles, keyed `object/id`. */
  titles: Map<string, string>;
}) {
  if (!run.object || !run.record_id) return null;
  return (
    <Anchor
      size="sm"
      renderRoot={(props) => (
        <Link to="/o/$object/$id" params={{ object: run.object!, id: run.record_id! }} {...props} />
      )}
    >
      {run.record_title || titles.get(`${run.object}/${run.record_id}`) || run.record_id}
    </Anchor>
  );
}
