import { Badge, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useObjects } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { fromZonedInput } from '../record/time';
import { useSlaReport, type PolicyReport } from './api';
import { formatWorkingMinutes } from './duration';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The day after a `YYYY-MM-DD` date. */
function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * How each SLA policy was kept: per policy, the timers started in the days the user picks (in
 * their own time zone), met in time or late, breached, running; and the time to meet them.
 */
export function SlaReport() {
  const { t } = useTranslation('sla');
  const { locale, timeZone } = useLocale();
  const objects = useObjects();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = {
    from: DATE.test(from) ? fromZonedInput(`${from}T00:00`, timeZone) : null,
    to: DATE.test(to) ? fromZonedInput(`${nextDay(to)}T00:00`, timeZone) : null,
  };
  const report = useSlaReport(range);
  const objectLabel = (name: string) =>
    objects.data?.find((o) => o.name === name)?.label_plural ?? name;
  const minutes = (m: number | null) => (m === null ? '—' : formatWorkingMinutes(m, t));
  const count = (n: number) => new Intl.NumberFormat(locale).format(n);

  const columns: { label: string; value: (r: PolicyReport) => string; numeric?: boolean }[] = [
    { label: t('object'), value: (r) => objectLabel(r.object) },
    { label: t('started'), value: (r) => count(r.started), numeric: true },
    { label: t('fulfilledCol'), value: (r) => count(r.fulfilled), numeric: true },
    { label: t('lateCol'), value: (r) => count(r.fulfilled_late), numeric: true },
    { label: t('breachedCol'), value: (r) => count(r.breached), numeric: true },
    { label: t('runningCol'), value: (r) => count(r.running), numeric: true },
    { label: t('cancelledCol'), value: (r) => count(r.cancelled), numeric: true },
    { label: t('median'), value: (r) => minutes(r.median_minutes), numeric: true },
    { label: t('p95'), value: (r) => minutes(r.p95_minutes), numeric: true },
  ];

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          {t('pageTitle')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('pageText')}
        </Text>
      </div>
      <Group gap="sm" align="end">
        <TextInput
          type="date"
          label={t('from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('to')}
          value={to}
          min={from || undefined}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      {report.error ? (
        <ErrorNote error={report.error} />
      ) : !report.data ? (
        <Loader size="sm" aria-label={t('loading')} />
      ) : report.data.length === 0 ? (
        <Text size="sm">{t('noPolicies')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing={6} aria-label={t('pageTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('policy')}</Table.Th>
                {columns.map((c) => (
                  <Table.Th key={c.label} scope="col" ta={c.numeric ? 'right' : undefined}>
                    {c.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.data.map((r) => (
                <Table.Tr key={r.policy_id}>
                  <Table.Th scope="row" fw={600}>
                    <Group gap={6} wrap="nowrap">
                      {r.name}
                      {!r.enabled && (
                        <Badge size="xs" color="gray.7" variant="outline">
                          {t('disabled')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Th>
                  {columns.map((c) => (
                    <Table.Td key={c.label} ta={c.numeric ? 'right' : undefined}>
                      {c.value(r)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
