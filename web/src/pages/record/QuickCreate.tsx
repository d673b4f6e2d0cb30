import { Alert, Button, Group, Modal, SimpleGrid, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type ObjectMeta } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import { changed, FieldInput } from '../RecordForm';
import { useLeaveGuard } from './LeaveGuard';
import { fieldMessages } from './messages';

type Values = Record<string, unknown>;

/**
 * A small dialog that creates one record of another object from a few of its fields (a note, a
 * call, a task): `fixed` values are sent without being shown (the kind, the record it belongs
 * to), `initial` ones fill the inputs. Closing it with something typed asks first.
 */
export function QuickCreate({
  object,
  title,
  fields,
  fixed,
  initial,
  required = [],
  submitLabel,
  onClose,
  onCreated,
}: {
  object: ObjectMeta;
  title: string;
  fields: string[];
  fixed: Values;
  initial: Values;
  /** Fields that must be filled for this purpose though the object does not require them. */
  required?: string[];
  submitLabel: string;
  onClose: () => void;
  onCreated: (r: ApiRecord) => void;
}) {
  const { t } = useTranslation('record');
  const shown = fields
    .map((name) => object.fields.find((f) => f.name === name))
    .filter((f): f is NonNullable<typeof f> => !!f && !f.read_only)
    .map((f) => (required.includes(f.name) ? { ...f, required: true } : f));
  const [values, setValues] = useState<Values>(initial);
  const [error, setError] = useState<Error | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [key] = useState(() => crypto.randomUUID());
  const [done, setDone] = useState(false);
  const dirty = () =>
    !done && shown.some((f) => changed(f, values[f.name], initial[f.name] ?? null));
  const guard = useLeaveGuard(dirty);
  const messages = error instanceof ApiError ? fieldMessages(t, error.errors) : new Map();
  for (const name of missing) messages.set(name, t('errRequired'));

  const close = async () => {
    if (await guard.confirm()) onClose();
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const empty = shown
      .filter((f) => f.required)
      .filter(
        (f) => values[f.name] === null || values[f.name] === undefined || values[f.name] === '',
      )
      .map((f) => f.name);
    setMissing(empty);
    if (empty.length) return;
    setBusy(true);
    setError(null);
    try {
      const body: Values = { ...fixed };
      for (const f of shown) {
        const v = values[f.name];
        if (v !== null && v !== undefined && v !== '') body[f.name] = v;
      }
      const created = await api<ApiRecord>('POST', `/api/v1/${object.name}`, body, {
        'idempotency-key': key,
      });
      setDone(true);
      onCreated(created);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const unshown =
    error instanceof ApiError
      ? error.errors.filter((x) => !shown.some((f) => f.name === x.path.split('.')[0]))
      : [];
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('close') }}
      opened
      onClose={() => void close()}
      title={title}
      size="lg"
    >
      {guard.dialog}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error &&
            (error instanceof ApiError && error.errors.length > 0 && unshown.length === 0 ? (
              <Alert color="red" role="alert">
                {t('checkFields')}
              </Alert>
            ) : (
              <ErrorNote error={error} />
            ))}
          <SimpleGrid cols={{ base: 1, sm: shown.length > 2 ? 2 : 1 }} spacing="sm">
            {shown.map((f, i) => (
              <div
                key={f.name}
                style={
                  f.type === 'long_text' && shown.length > 2 ? { gridColumn: '1 / -1' } : undefined
                }
              >
                <FieldInput
                  field={f}
                  value={values[f.name] ?? null}
                  autoFocus={i === 0}
                  error={messages.get(f.name)}
                  onChange={(v) => {
                    setValues((cur) => ({ ...cur, [f.name]: v }));
                    setMissing((m) => m.filter((x) => x !== f.name));
                  }}
                />
              </div>
            ))}
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void close()}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {submitLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
