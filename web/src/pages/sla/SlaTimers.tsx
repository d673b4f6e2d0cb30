import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import type { RecordSectionProps } from '../record/sections';
import { formatDateTime } from '../record/time';
import { useSlaTimers, type SlaTimer } from './api';
import { formatWorkingMinutes } from './duration';

/** Finished timers shown under the open ones: enough to see the record's recent history. */
const FINISHED_SHOWN = 3;

/**
 * A record's SLA timers: each open one with the working time left (or overdue, in red) and its
 * due time in the user's zone, then the latest finished ones. Nothing when no policy timed it.
 */
export function SlaTimers({ object, record }: RecordSectionProps) {
  const timers = useSlaTimers(object.name, record.id);
  if (timers.error) return <ErrorNote error={timers.error} />;
  if (!timers.data || timers.data.length === 0) return null;
  return <SlaTimersCard timers={timers.data} />;
}

function SlaTimersCard({ timers }: { timers: SlaTimer[] }) {
  const { t } = useTranslation('sla');
  const heading = useId();
  const open = timers.filter((x) => x.status === 'running' || x.status === 'breached');
  const finished = timers.filter((x) => !open.includes(x)).slice(0, FINISHED_SHOWN);
  return (
    <Card withBorder component="section" aria-labelledby={heading}>
      <Title order={2} size="h5" id={heading} mb="xs">
        {t('timers')}
      </Title>
      <Stack gap="xs">
        {[...open, ...finished].map((timer) => (
          <TimerLine key={timer.id} timer={timer} />
        ))}
      </Stack>
    </Card>
  );
}

function TimerLine({ timer }: { timer: SlaTimer }) {
  const { t } = useTranslation('sla');
  const { locale, timeZone } = useLocale();
  const left = timer.working_minutes_left;
  const overdue = timer.status === 'breached' || (left !== null && left < 0);
  const status =
    timer.status === 'fulfilled'
      ? timer.late
        ? { label: t('fulfilledLate'), color: 'orange.9' }
        : { label: t('fulfilled'), color: 'green.9' }
      : timer.status === 'cancelled'
        ? { label: t('cancelled'), color: 'gray.7' }
        : overdue
          ? { label: t('breached'), color: 'red.9' }
          : { label: t('running'), color: 'blue.9' };
  const open = timer.status === 'running' || timer.status === 'breached';

  return (
    <div>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>
          {timer.policy_name ?? '—'}
        </Text>
        <Badge color={status.color} variant="filled" size="sm">
          {status.label}
        </Badge>
        <Text size="sm" c="gray.7">
          {t('target', { time: formatWorkingMinutes(timer.target_minutes, t) })}
        </Text>
      </Group>
      {open && left !== null && (
        <Text size="sm" c={overdue ? 'red.9' : undefined} fw={overdue ? 600 : undefined}>
          {overdue
            ? t('overdue', { time: formatWorkingMinutes(left, t) })
            : t('timeLeft', { time: formatWorkingMinutes(left, t) })}
        </Text>
      )}
      {open && (
        <Text size="sm" c="gray.7">
          {t('dueAt', { at: formatDateTime(timer.due_at, locale, timeZone) })}
        </Text>
      )}
      {timer.status === 'fulfilled' && timer.working_minutes !== null && (
        <Text size="sm" c="gray.7">
          {t('metAfter', { time: formatWorkingMinutes(timer.working_minutes, t) })}
        </Text>
      )}
    </div>
  );
}
