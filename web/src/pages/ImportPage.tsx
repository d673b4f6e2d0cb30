import {
  Alert,
  Button,
  FileInput,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { ApiError, csrfHeaders } from '../api/client';
import { useObject } from '../api/hooks';
import { ErrorNote } from '../layout/ErrorNote';
import { useTranslation } from 'react-i18next';

interface Report {
  rows: number;
  created: number;
  updated: number;
  failed: number;
  dry_run: boolean;
  mapping: Record<string, string | null>;
  errors: { line: number; field: string; message: string }[];
  warnings: string[];
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends the file to the importer; a dry run checks every row and writes nothing. */
async function upload(
  object: string,
  file: File,
  mapping: Record<string, string>,
  dryRun: boolean,
): Promise<Report> {
  const params = new URLSearchParams({ dry_run: String(dryRun) });
  if (Object.keys(mapping).length) params.set('mapping', JSON.stringify(mapping));
  const res = await fetch(`/api/v1/${object}/import?${params.toString()}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': file.name.toLowerCase().endsWith('.xlsx') ? XLSX : 'text/csv',
      ...csrfHeaders(),
    },
    body: await file.arrayBuffer(),
  });
  const data = (await res.json()) as Record<string, unknown>;
  if (res.ok) return data as unknown as Report;
  if (data.report) return data.report as Report;
  throw new ApiError(
    res.status,
    String(data.detail ?? res.statusText),
    (data.errors as ApiError['errors']) ?? [],
  );
}

/** Import a CSV or XLSX file: columns matched by header (changeable), a check of every row, then the import. */
export function ImportPage() {
  const { object: name } = useParams({ from: '/import/$object' });
  const object = useObject(name);
  const { t } = useTranslation(['transfer', 'shell', 'common']);
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (object.error) return <ErrorNote error={object.error} />;
  if (!object.data)
    return object.isPending ? (
      <Loader aria-label={t('common:loading')} />
    ) : (
      <ErrorNote error={t('shell:noObject', { name })} />
    );
  const fields = object.data.fields.filter(
    (f) => !f.read_only && (!f.is_system || f.name === 'owner_id'),
  );

  const run = async (f: File, m: Record<string, string>, dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const r = await upload(name, f, m, dryRun);
      setReport(r);
      if (!dryRun && !r.failed) await queryClient.invalidateQueries({ queryKey: ['list', name] });
    } catch (err) {
      setReport(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const choose = (f: File | null) => {
    setFile(f);
    setMapping({});
    setReport(null);
    if (f) void run(f, {}, true);
  };
  const remap = (header: string, field: string | null) => {
    const next = { ...mapping, [header]: field ?? '-' };
    setMapping(next);
    if (file) void run(file, next, true);
  };
  const done = report && !report.dry_run && report.failed === 0;

  return (
    <Stack maw={900}>
      <Title order={2}>{t('importTitle', { object: object.data.label_plural })}</Title>
      <FileInput
        label={t('file')}
        accept=".csv,.xlsx,text/csv"
        value={file}
        onChange={choose}
        clearable
      />
      {error !== null && <ErrorNote error={error} />}
      {busy && <Loader size="sm" aria-label={t('checking')} />}
      {report && (
        <>
          <Table aria-label={t('columns')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('columnInFile')}</Table.Th>
                <Table.Th>{t('field')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {Object.entries(report.mapping).map(([header, field]) => (
                <Table.Tr key={header}>
                  <Table.Td>{header}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('fieldFor', { header })}
                      data={[
                        { value: '-', label: t('skipColumn') },
                        ...fields.map((f) => ({ value: f.name, label: f.label })),
                      ]}
                      value={field ?? '-'}
                      onChange={(v) => remap(header, v)}
                      allowDeselect={false}
                      searchable
                      disabled={!!done}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {report.warnings.map((w) => (
            <Alert key={w} color="yellow">
              {w}
            </Alert>
          ))}
          {report.errors.length > 0 && (
            <Alert
              color="red"
              title={t('rowsWithProblems', { failed: report.failed, rows: report.rows })}
            >
              <ul>
                {report.errors.slice(0, 50).map((e) => (
                  <li key={`${e.line}:${e.field}:${e.message}`}>
                    {t('lineError', {
                      line: e.line,
                      field: fields.find((f) => f.name === e.field)?.label ?? e.field,
                      message: e.message,
                    })}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {done ? (
            <Alert color="green" title={t('imported')}>
              {t('importedText', { created: report.created, updated: report.updated })}{' '}
              <Link to="/o/$object" params={{ object: name }}>
                {t('open', { object: object.data.label_plural })}
              </Link>
            </Alert>
          ) : (
            <Group>
              <Text size="sm">
                {report.failed === 0
                  ? t('allReady', { count: report.rows })
                  : t('someReady', { ready: report.rows - report.failed, rows: report.rows })}
              </Text>
              <Button
                disabled={report.failed > 0 || busy || !file}
                onClick={() => file && void run(file, mapping, false)}
              >
                {t('importRows', { count: report.rows })}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
