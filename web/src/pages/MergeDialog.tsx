import { Button, Group, Radio, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type ApiRecord, type ObjectMeta } from '../api/client';
import { formatValue } from '../format';
import { ErrorNote } from '../layout/ErrorNote';
import { editableFields } from './RecordForm';

/**
 * Merges the selected records: one survives, and for each field where they differ the user
 * picks the value it keeps. Whatever pointed at the others then points at the survivor.
 */
export function MergeDialog({
  object,
  records,
  locale,
  onDone,
}: {
  object: ObjectMeta;
  records: ApiRecord[];
  locale: string;
  onDone: (survivorId: string) => void;
}) {
  const { t } = useTranslation(['transfer', 'common']);
  const [survivor, setSurvivor] = useState(records[0].id);
  const fields = editableFields(object).filter(
    (f) => new Set(records.map((r) => JSON.stringify(r[f.name] ?? null))).size > 1,
  );
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  // A field keeps the survivor's value, unless only another record has one.
  const empty = (v: unknown) =>
    v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  const chosen = (field: string) => {
    if (choice[field]) return choice[field];
    const own = records.find((r) => r.id === survivor)!;
    if (!empty(own[field])) return survivor;
    return records.find((r) => !empty(r[field]))?.id ?? survivor;
  };

  const merge = async () => {
    setError(null);
    const values: Record<string, unknown> = {};
    for (const f of fields) {
      const from = records.find((r) => r.id === chosen(f.name))!;
      if (from.id === survivor) continue;
      const v = from[f.name];
      values[f.name] =
        f.type === 'currency' && v && typeof v === 'object'
          ? {
              amount_minor: (v as { amount_minor: number }).amount_minor,
              currency: (v as { currency: string }).currency,
            }
          : v;
    }
    try {
      await api('POST', `/api/v1/${object.name}/merge`, {
        survivor_id: survivor,
        merged_ids: records.filter((r) => r.id !== survivor).map((r) => r.id),
        values,
      });
      onDone(survivor);
    } catch (err) {
      setError(err);
    }
  };

  const name = (r: ApiRecord) => String(r[object.title_field] ?? '') || r.id;
  return (
    <Stack>
      {error !== null && <ErrorNote error={error} />}
      <Radio.Group label={t('survivor')} value={survivor} onChange={setSurvivor}>
        <Stack gap={4} mt="xs">
          {records.map((r) => (
            <Radio key={r.id} value={r.id} label={name(r)} />
          ))}
        </Stack>
      </Radio.Group>
      {fields.length === 0 ? (
        <Text size="sm">{t('sameValues')}</Text>
      ) : (
        <Table aria-label={t('valuesToKeep')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('field')}</Table.Th>
              {records.map((r) => (
                <Table.Th key={r.id}>{name(r)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map((f) => (
              <Table.Tr key={f.name}>
                <Table.Td>{f.label}</Table.Td>
                {records.map((r) => (
                  <Table.Td key={r.id}>
                    <Radio
                      name={`keep-${f.name}`}
                      aria-label={t('keep', { field: f.label, record: name(r) })}
                      checked={chosen(f.name) === r.id}
                      onChange={() => setChoice({ ...choice, [f.name]: r.id })}
                      label={formatValue(f, r[f.name], locale) || t('common:none')}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="flex-end">
        <Button onClick={() => void merge()}>{t('mergeRecords', { count: records.length })}</Button>
      </Group>
    </Stack>
  );
}
