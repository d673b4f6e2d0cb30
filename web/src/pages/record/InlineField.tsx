import { ActionIcon, Anchor, Box, Button, Group, Text, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type FieldMeta, type ObjectMeta } from '../../api/client';
import { useTitles } from '../../api/titles';
import { useLocale } from '../../i18n';
import { changed, FieldInput, initialValue } from '../RecordForm';
import { displayValue } from './display';
import { fieldMessages, translateMessage } from './messages';
import { useUsers } from './users';

/** Types whose editor saves as soon as a value is picked (no typing to finish). */
const SAVE_ON_PICK = new Set(['select', 'relation', 'boolean', 'multi_select']);

/** The name of a record a relation points at, as a link (a person's name for users). */
export function RelationValue({ field, value }: { field: FieldMeta; value: string }) {
  const isUser = field.target === 'users';
  const titles = useTitles(isUser ? undefined : field.target, [value]);
  const users = useUsers();
  if (isUser) return <>{users.data?.find((u) => u.id === value)?.name ?? value}</>;
  return (
    <Anchor
      renderRoot={(props) => (
        <Link to="/o/$object/$id" params={{ object: field.target!, id: value }} {...props} />
      )}
    >
      {titles.data?.get(value) ?? '…'}
    </Anchor>
  );
}

/** A value as a person reads it on the record page. */
export function ValueText({ field, value }: { field: FieldMeta; value: unknown }) {
  const { t } = useTranslation('record');
  const { locale, timeZone } = useLocale();
  if (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  )
    return (
      <Text span c="gray.7">
        —
      </Text>
    );
  if (field.type === 'relation' && typeof value === 'string')
    return <RelationValue field={field} value={value} />;
  if (field.type === 'boolean') return <>{value ? t('yes') : t('no')}</>;
  return <>{displayValue(field, value, locale, timeZone)}</>;
}

/**
 * One field of a record: its label and value, and, where the user may change it, an editor in
 * place. Click the value (or focus it and press Enter) to edit; Enter or leaving the field
 * saves, Escape cancels (in long text, Ctrl+Enter saves). The save is a PATCH of this one field
 * with the record's version in If-Match: the server's message about the field shows beneath it,
 * and a change someone else saved meanwhile is reported through `onStale`, never overwritten.
 */
export function InlineField({
  object,
  record,
  field,
  editable,
  onSaved,
  onStale,
  onDirty,
  track,
}: {
  object: ObjectMeta;
  record: ApiRecord;
  field: FieldMeta;
  editable: boolean;
  onSaved: (r: ApiRecord) => void;
  onStale: () => void;
  onDirty: (name: string, dirty: boolean) => void;
  /** Told of each save while it is on its way. */
  track?: (saving: Promise<unknown>) => void;
}) {
  const { t } = useTranslation('record');
  const queryClient = useQueryClient();
  const labelId = useId();
  const valueId = useId();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const latest = useRef<unknown>(null);
  const busy = useRef(false);
  // The value the server last refused: leaving the field does not send it again.
  const refused = useRef<string | null>(null);
  const valueBox = useRef<HTMLDivElement>(null);
  const stored = record[field.name];
  const dirty = editing && changed(field, value, stored);
  useEffect(() => onDirty(field.name, dirty), [dirty, field.name, onDirty]);
  useEffect(() => () => onDirty(field.name, false), [field.name, onDirty]);

  const start = () => {
    const v = initialValue(field, stored);
    refused.current = null;
    latest.current = v;
    setValue(v);
    setMessage(null);
    setEditing(true);
  };
  const close = () => {
    setEditing(false);
    setMessage(null);
    // Back to the value, so the keyboard stays where it was.
    setTimeout(() => valueBox.current?.focus(), 0);
  };
  const save = (v: unknown = latest.current, fromBlur = false): Promise<void> => {
    if (busy.current) return Promise.resolve();
    if (!changed(field, v, stored)) {
      close();
      return Promise.resolve();
    }
    if (fromBlur && refused.current === JSON.stringify(v)) return Promise.resolve();
    const p = send(v);
    track?.(p);
    return p;
  };
  const send = async (v: unknown) => {
    busy.current = true;
    setSaving(true);
    try {
      const saved = await api<ApiRecord>(
        'PATCH',
        `/api/v1/${object.name}/${record.id}`,
        { [field.name]: v === '' ? null : v },
        { 'if-match': `"${record.version}"` },
      );
      queryClient.setQueryData(['record', object.name, record.id], saved);
      // Nothing is unsaved any more, before the page re-renders (a link may be waiting on it).
      onDirty(field.name, false);
      onSaved(saved);
      setEditing(false);
      setMessage(null);
      setTimeout(() => valueBox.current?.focus(), 0);
    } catch (err) {
      refused.current = JSON.stringify(v);
      if (err instanceof ApiError && err.status === 412) {
        setMessage(t('staleField'));
        onStale();
      } else if (err instanceof ApiError) {
        const own = fieldMessages(t, err.errors).get(field.name);
        setMessage(own ?? translateMessage(t, err.message));
      } else {
        setMessage((err as Error).message);
      }
    } finally {
      busy.current = false;
      setSaving(false);
    }
  };
  const change = (v: unknown) => {
    latest.current = v;
    setValue(v);
    setMessage(null);
    if (SAVE_ON_PICK.has(field.type) && field.type !== 'multi_select') void save(v);
  };
  const cancel = () => {
    latest.current = initialValue(field, stored);
    close();
  };
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancel();
      return;
    }
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    if ((e.target as HTMLElement).tagName === 'BUTTON') return;
    if (field.type === 'long_text' && !(e.ctrlKey || e.metaKey)) return;
    // A picker uses Enter to choose an option, which saves on its own.
    if (SAVE_ON_PICK.has(field.type) && field.type !== 'boolean') return;
    e.preventDefault();
    void save();
  };
  const blur = (e: FocusEvent<HTMLDivElement>) => {
    const next = e.relatedTarget as Node | null;
    if (next && e.currentTarget.contains(next)) return;
    // A picker's list of options lives outside the editor; choosing from it is not leaving.
    if (next && (next as HTMLElement).closest?.('[role="listbox"], [data-combobox-dropdown]'))
      return;
    if (saving || busy.current) return;
    void save(latest.current, true);
  };

  const label = field.label;
  if (editing) {
    return (
      <Box onKeyDown={keys} onBlur={blur} data-editing={field.name}>
        <FieldInput
          field={field}
          value={value}
          onChange={change}
          error={message ?? undefined}
          autoFocus
          label={label}
        />
        <Group gap={6} mt={6}>
          <Button size="compact-xs" onClick={() => void save()} loading={saving}>
            {t('save')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={cancel}>
            {t('cancel')}
          </Button>
          <Text size="xs" c="gray.7" visibleFrom="sm">
            {field.type === 'long_text' ? t('hintLongText') : t('hintInline')}
          </Text>
        </Group>
      </Box>
    );
  }

  const shown = <ValueText field={field} value={stored} />;
  return (
    <div>
      <Text size="xs" c="gray.7" id={labelId}>
        {label}
      </Text>
      {!editable ? (
        <Text
          size="sm"
          aria-labelledby={labelId}
          style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        >
          {shown}
        </Text>
      ) : field.type === 'relation' ? (
        <Group gap={4} wrap="nowrap" align="center">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }} ref={valueBox} tabIndex={-1}>
            {shown}
          </Text>
          <ActionIcon
            variant="subtle"
            size="sm"
            color="gray"
            aria-label={t('changeField', { field: label })}
            onClick={start}
          >
            <span aria-hidden>✎</span>
          </ActionIcon>
        </Group>
      ) : (
        <UnstyledButton
          ref={valueBox as never}
          onClick={start}
          aria-label={t('changeField', { field: label })}
          aria-describedby={valueId}
          title={t('clickToEdit')}
          w="100%"
          px={4}
          mx={-4}
          style={{ borderRadius: 4, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
          className="kontor-inline-value"
        >
          <Text size="sm" span id={valueId}>
            {shown}
          </Text>
        </UnstyledButton>
      )}
    </div>
  );
}
