import { Alert, Button, Checkbox, Group, List, Select, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type FieldMeta, type ObjectMeta } from '../../api/client';
import { FieldInput } from '../RecordForm';
import { apiValue, MAX_BATCH, sameValue, sendInParts } from './edits';

type WritableField = FieldMeta & { writable?: boolean };

/** The fields a bulk edit may set: those the user may write, of the types a person fills in. */
export function bulkFields(object: ObjectMeta): FieldMeta[] {
  return object.fields.filter((f) => {
    const w = f as WritableField;
    return !w.is_system && !w.read_only && w.type !== 'computed' && w.writable !== false;
  });
}

interface Failure {
  id: string;
  name: string;
  message: string;
}

interface Outcome {
  done: number;
  total: number;
  parts: number;
  /** The part that failed (1-based), when one did. */
  failedPart?: number;
  left: number;
  failures: Failure[];
}

/**
 * Sets one field of the selected records to one value (or clears it) through the batch
 * endpoint, each update carrying the version the record had when selected, so a change someone
 * else made meanwhile stops the edit instead of being overwritten. More than 1,000 changes go
 * in parts of 1,000, one after another; the outcome says exactly which parts were saved.
 */
export function BulkEditDialog({
  object,
  records,
  onSaved,
  onClose,
}: {
  object: ObjectMeta;
  records: ApiRecord[];
  /** Called with the records as saved, after every part that was saved. */
  onSaved: (saved: ApiRecord[]) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('tableEdit');
  const { t: tc } = useTranslation();
  const queryClient = useQueryClient();
  const fields = bulkFields(object);
  // Not the name by default: one value given to every selected record's name is rarely meant.
  const [fieldName, setFieldName] = useState<string | null>(
    (fields.find((f) => f.name !== object.title_field) ?? fields[0])?.name ?? null,
  );
  const field = fields.find((f) => f.name === fieldName);
  const [value, setValue] = useState<unknown>(null);
  const [clear, setClear] = useState(false);
  const [current, setCurrent] = useState(() => new Map(records.map((r) => [r.id, r])));
  const [skipped, setSkipped] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  if (!field)
    return (
      <Stack>
        <Text>{t('bulkNoField')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {tc('close')}
          </Button>
        </Group>
      </Stack>
    );

  const next = clear ? null : apiValue(value);
  const candidates = [...current.values()].filter((r) => !skipped.has(r.id));
  const changing = candidates.filter((r) => !sameValue(field, r[field.name], next));
  const unchanged = candidates.length - changing.length;
  const parts = Math.ceil(changing.length / MAX_BATCH);
  // Once everything was saved, the dialog reports it and offers only to close.
  const finished = !!outcome && outcome.failures.length === 0;
  const nameOf = (r: ApiRecord | undefined, id: string) =>
    String(r?.[object.title_field] ?? '') || id;

  const apply = async () => {
    setBusy(true);
    setOutcome(null);
    const all = changing.map((r) => ({
      op: 'update' as const,
      id: r.id,
      version: r.version,
      data: { [field.name]: next },
    }));
    const sent = await sendInParts(
      all,
      async (part) =>
        (
          await api<{ data: ApiRecord[] }>('POST', `/api/v1/${object.name}/batch`, {
            operations: part,
          })
        ).data,
      (err) =>
        err instanceof ApiError && typeof err.body.failed_index === 'number'
          ? err.body.failed_index
          : undefined,
    );
    const saved = sent.saved;
    const result: Outcome = {
      done: sent.done,
      total: sent.total,
      parts: sent.parts,
      failedPart: sent.failed?.part,
      left: sent.left,
      failures: [],
    };
    // Limitation: a failed part names only its first failing record (the server stops there);
    // "leave it out and try again" finds the next one, if any.
    if (sent.failed) {
      const { error: err, op } = sent.failed;
      result.failures.push({
        id: op?.id ?? '',
        name: op ? nameOf(current.get(op.id), op.id) : '',
        message:
          err instanceof ApiError && err.status === 412
            ? t('bulkStale')
            : err instanceof ApiError && err.errors.length
              ? err.errors.map((e) => e.message).join('; ')
              : err instanceof Error
                ? err.message
                : String(err),
      });
    }
    if (saved.length) {
      setCurrent((cur) => {
        const m = new Map(cur);
        for (const r of saved) m.set(r.id, { ...m.get(r.id), ...r });
        return m;
      });
      onSaved(saved);
      await queryClient.invalidateQueries({ queryKey: ['list', object.name] });
    }
    setOutcome(result);
    setBusy(false);
  };

  return (
    <Stack gap="sm">
      <Select
        label={t('bulkField')}
        data={fields.map((f) => ({ value: f.name, label: f.label }))}
        value={fieldName}
        onChange={(v) => {
          if (!v) return;
          setFieldName(v);
          setValue(null);
          setClear(false);
          setOutcome(null);
        }}
        searchable
        allowDeselect={false}
      />
      {!clear && (
        <FieldInput
          key={field.name}
          field={field}
          value={value}
          onChange={(v) => {
            setValue(v);
            setOutcome(null);
          }}
        />
      )}
      {!field.required && (
        <Checkbox
          label={t('bulkClear')}
          checked={clear}
          onChange={(e) => {
            setClear(e.currentTarget.checked);
            setOutcome(null);
          }}
        />
      )}
      {!finished && (
        <Text size="sm" aria-live="polite">
          {!clear && next === null
            ? t('bulkNeedsValue')
            : changing.length === 0
              ? t('bulkNothing')
              : `${t('bulkWillChange', { count: changing.length })} ${
                  unchanged > 0 ? t('bulkAlready', { count: unchanged }) : ''
                }`}
        </Text>
      )}
      {parts > 1 && (
        <Alert color="blue" p="xs">
          <Text size="sm">{t('bulkSplit', { max: MAX_BATCH.toLocaleString(), parts })}</Text>
        </Alert>
      )}
      {outcome && outcome.failures.length === 0 && (
        <Alert color="green" p="xs" role="status">
          {t('bulkDone', { count: outcome.done })}
        </Alert>
      )}
      {outcome && outcome.failures.length > 0 && (
        <Alert color="red" p="xs" role="alert">
          <Text size="sm">
            {outcome.done === 0
              ? t('bulkNoneChanged')
              : t('bulkPartial', {
                  done: outcome.done,
                  total: outcome.total,
                  parts: outcome.parts,
                  failed: outcome.failedPart,
                  left: outcome.left,
                })}
          </Text>
          <List size="sm" mt={4}>
            {outcome.failures.map((f) => (
              <List.Item key={f.id}>
                {f.name}: {f.message}
              </List.Item>
            ))}
          </List>
          <Button
            size="xs"
            variant="light"
            mt="xs"
            onClick={() => {
              setSkipped((cur) => new Set([...cur, ...outcome.failures.map((f) => f.id)]));
              setOutcome(null);
            }}
          >
            {t('bulkSkip', { count: outcome.failures.length })}
          </Button>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {outcome && outcome.failures.length === 0 ? tc('close') : tc('cancel')}
        </Button>
        {!finished && (
          <Button
            onClick={() => void apply()}
            loading={busy}
            disabled={changing.length === 0 || (!clear && next === null)}
          >
            {t('bulkApply', { count: changing.length })}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
