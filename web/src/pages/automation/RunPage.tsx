import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useObjects } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { formatDateTime } from '../record/time';
import { ConfirmModal } from '../settings/common';
import { useRecordTitles } from '../stock/api';
import { Figures, ScrollBox } from '../stock/common';
import { runAction, useRefreshAutomation, useRun, useStages } from './api';
import { FlowGraph, type NodeView } from './FlowGraph';
import { TRIGGER_NODE } from './graph';
import { RunRecord, StatusBadge } from './RunsPage';
import type { RunDetail, RunStep } from './types';
import { stepViews } from './views';

/**
 * Where each step of a run stands: the latest pass through it (a loop passes more than once).
 * Steps the run has not reached have none.
 */
export function latestVisits(steps: RunStep[]): Map<string, RunStep> {
  const out = new Map<string, RunStep>();
  for (const s of steps) {
    const seen = out.get(s.step_id);
    if (!seen || s.visit > seen.visit) out.set(s.step_id, s);
  }
  return out;
}

/** /automation/runs/$runId: a run's graph coloured by its steps, and the steps in order. */
export function RunPage() {
  const { t } = useTranslation('automation');
  const { runId } = useParams({ from: '/automation/runs/$runId' });
  const run = useRun(runId);
  if (run.error) return <ErrorNote error={run.error} />;
  if (!run.data) return <Loader aria-label={t('loading')} />;
  return <RunView run={run.data} />;
}

function RunView({ run }: { run: RunDetail }) {
  const { t } = useTranslation('automation');
  const { language, locale, timeZone } = useLocale();
  const objects = useObjects();
  const stages = useStages();
  const refresh = useRefreshAutomation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [stopping, setStopping] = useState(false);
  const when = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : '');
  const { titles } = useRecordTitles(
    run.object && run.record_id ? [{ object: run.object, id: run.record_id }] : [],
  );

  const views = useMemo(() => {
    const base = stepViews(t, language, run.definition, objects.data, stages.data?.stages);
    const visits = latestVisits(run.steps);
    const out = new Map<string, NodeView>();
    for (const [id, view] of base) {
      if (id === TRIGGER_NODE) {
        out.set(id, { ...view, status: 'done' });
        continue;
      }
      const visit = visits.get(id);
      out.set(id, {
        ...view,
        status: visit?.status ?? 'pending',
        statusLabel: visit ? t(`runStatus.${visit.status}`) : undefined,
      });
    }
    return out;
  }, [t, language, run, objects.data, stages.data]);

  const retry = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await runAction(run.id, 'retry');
      setNotice(t('retried'));
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const stepTitle = (s: RunStep) => {
    const step = run.definition.steps.find((d) => d.id === s.step_id);
    const kind = t(`stepType.${step?.type ?? s.step_type}`, { defaultValue: s.step_type });
    return `${step?.name || kind} (${s.step_id}${s.visit > 1 ? `, ${t('visit', { n: s.visit })}` : ''})`;
  };
  const ordered = [...run.steps].sort(
    (a, b) => (a.started_at ?? '').localeCompare(b.started_at ?? '') || a.visit - b.visit,
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="start">
        <div>
          <Anchor size="sm" renderRoot={(props) => <Link to="/automation/runs" {...props} />}>
            {t('backToRuns')}
          </Anchor>
          <Title order={1} size="h2">
            {t('runTitle', { process: run.process_name })}
          </Title>
          <Group gap="xs">
            <StatusBadge status={run.status} />
            <Anchor
              size="sm"
              renderRoot={(props) => (
                <Link to="/automation/$id" params={{ id: run.process_id }} {...props} />
              )}
            >
              {t('runVersion', { version: run.version })}
            </Anchor>
          </Group>
        </div>
        <Group gap="xs">
          {run.status === 'failed' && (
            <Button onClick={retry} loading={busy}>
              {t('retry')}
            </Button>
          )}
          {(run.status === 'running' || run.status === 'waiting') && (
            <Button color="red" variant="default" onClick={() => setStopping(true)}>
              {t('stop')}
            </Button>
          )}
        </Group>
      </Group>
      {notice && (
        <Alert color="green" role="status">
          {notice}
        </Alert>
      )}
      {error !== null && <ErrorNote error={error} />}
      <Figures
        items={[
          { label: t('record'), value: <RunRecord run={run} titles={titles} /> },
          { label: t('started'), value: when(run.started_at) },
          { label: t('finished'), value: when(run.finished_at) || '—' },
        ]}
      />
      {run.error && (
        <Alert color="red" title={t('error')}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {run.error}
          </Text>
        </Alert>
      )}
      <FlowGraph definition={run.definition} views={views} label={t('runGraph')} height={420} />
      <Title order={2} size="h4">
        {t('timeline')}
      </Title>
      {ordered.length === 0 ? (
        <Text>{t('noSteps')}</Text>
      ) : (
        <ScrollBox label={t('timeline')}>
          <Table aria-label={t('timeline')} miw={860} verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('when')}</Table.Th>
                <Table.Th>{t('step')}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
                <Table.Th>{t('attempts')}</Table.Th>
                <Table.Th>{t('input')}</Table.Th>
                <Table.Th>{t('output')}</Table.Th>
                <Table.Th>{t('error')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ordered.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{when(s.started_at)}</Table.Td>
                  <Table.Td>{stepTitle(s)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={s.status} />
                  </Table.Td>
                  <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{s.attempts}</Table.Td>
                  <Table.Td>
                    <Json value={s.input} label={`${t('input')}: ${s.step_id}`} />
                  </Table.Td>
                  <Table.Td>
                    <Json value={s.output} label={`${t('output')}: ${s.step_id}`} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="red.9" style={{ whiteSpace: 'pre-wrap' }}>
                      {s.error ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollBox>
      )}
      <ConfirmModal
        opened={stopping}
        title={t('stopTitle')}
        confirmLabel={t('stop')}
        onClose={() => setStopping(false)}
        onConfirm={async () => {
          await runAction(run.id, 'stop');
          setNotice(t('stopped'));
          await refresh();
        }}
      >
        {t('stopText')}
      </ConfirmModal>
    </Stack>
  );
}

/** JSON folded under a "Show" that opens it. */
function Json({ value, label }: { value: unknown; label: string }) {
  const { t } = useTranslation('automation');
  if (value === null || value === undefined) return null;
  return (
    <details>
      <summary aria-label={label}>{t('showJson')}</summary>
      <pre className="kontor-json">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}
