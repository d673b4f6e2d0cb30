import { Anchor, Badge, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useCallback } from 'react';
import type { ApiRecord, FieldMeta, ObjectMeta } from '../../api/client';
import { useTitles } from '../../api/titles';
import { formatValue } from '../../format';
import { useLocale } from '../../i18n';
import { timelineKey } from '../record/RecordTimeline';
import { statusColor } from './config';
import { formatQuantity } from './quantity';

/** The query key of a document's lines. */
export function linesKey(object: string, id: string) {
  return ['document-lines', object, id];
}
/** The query key of a document's per-line stock figures. */
export function availabilityKey(object: string, id: string) {
  return ['document-availability', object, id];
}

/** Refreshes everything a change to a document may have changed: it, its lines, stock, lists. */
export function useRefreshDocument(object: string, id: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (saved?: ApiRecord) => {
      if (saved && saved.id === id) queryClient.setQueryData(['record', object, id], saved);
      else void queryClient.invalidateQueries({ queryKey: ['record', object, id] });
      void queryClient.invalidateQueries({ queryKey: linesKey(object, id) });
      void queryClient.invalidateQueries({ queryKey: availabilityKey(object, id) });
      void queryClient.invalidateQueries({ queryKey: timelineKey(object, id) });
      void queryClient.invalidateQueries({ queryKey: ['list'] });
      void queryClient.invalidateQueries({ queryKey: ['related'] });
      void queryClient.invalidateQueries({ queryKey: ['stock'] });
    },
    [queryClient, object, id],
  );
}

/** The status of a document as a coloured badge, in the user's language (from metadata). */
export function StatusBadge({ object, status }: { object: ObjectMeta; status: unknown }) {
  const field = object.fields.find((f) => f.name === 'status');
  const label = field?.options?.find((o) => o.value === status)?.label ?? String(status ?? '');
  if (!status) return null;
  return (
    <Badge color={statusColor(status)} variant="filled" size="lg" data-status={String(status)}>
      {label}
    </Badge>
  );
}

/** The name of a related record as plain text (a unit, a tax), or as a link when `link`. */
export function RecordName({
  target,
  id,
  link,
}: {
  target: string | undefined;
  id: unknown;
  link?: boolean;
}) {
  const titles = useTitles(target, typeof id === 'string' ? [id] : []);
  if (typeof id !== 'string' || !id) return null;
  const name = titles.data?.get(id) ?? '…';
  if (!link || !target) return <>{name}</>;
  return (
    <Anchor
      size="sm"
      renderRoot={(props) => (
        <Link to="/o/$object/$id" params={{ object: target, id }} {...props} />
      )}
    >
      {name}
    </Anchor>
  );
}

/** A money value ({amount, currency}) of a field, in the user's locale. */
export function Money({ field, value }: { field: FieldMeta | undefined; value: unknown }) {
  const { locale } = useLocale();
  if (value === null || value === undefined || value === '')
    return (
      <Text span c="gray.7">
        —
      </Text>
    );
  return <>{formatValue(field ?? moneyField, value, locale)}</>;
}
const moneyField: FieldMeta = {
  name: 'amount',
  label: '',
  type: 'currency',
  required: false,
  read_only: true,
  is_system: false,
  is_custom: false,
};

/** A quantity in the user's locale; a dash for none. */
export function Quantity({ value }: { value: unknown }) {
  const { locale } = useLocale();
  const text = formatQuantity(value, locale);
  if (!text)
    return (
      <Text span c="gray.7">
        —
      </Text>
    );
  return <>{text}</>;
}

export { lineOfPath, translateStockMessage } from './stock-messages';
