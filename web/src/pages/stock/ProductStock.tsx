import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { useObjects } from '../../api/hooks';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import type { RecordSectionProps } from '../record/sections';
import {
  useBalances,
  useMoves,
  useRecordTitles,
  useRefreshStock,
  useStockValue,
  type Move,
} from './api';
import { Figures, mayPostStock, RecordLink, ScrollBox, useStockObjects } from './common';
import { stockMessage } from './messages';
import { PostMoveDialog } from './PostMoveDialog';
import { formatMoney, formatQuantity, fromScaled, isZero, toScaled } from './quantities';
import { SortableTable } from './SortableTable';

const LATEST = 20;
const NUMBER = {
  textAlign: 'right',
  fontVariantNumeric: 'tabular-nums',
  whiteSpace: 'nowrap',
} as const;

/** A moment in a table cell: short date and time in the user's locale and time zone. */
function shortDateTime(iso: string, locale: string, timeZone: string) {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}

/**
 * A product's stock on its record page: per warehouse on hand, reserved, available and incoming;
 * what the stock is worth and its average unit cost; the latest moves with the document each
 * came from. "Post a move" receives, adjusts or transfers; a posting made by hand can be
 * reversed. Services hold no stock and show nothing.
 */
export function ProductStock({ record, readOnly }: RecordSectionProps) {
  const { warehouses, readable } = useStockObjects();
  if (!readable || record.kind === 'service') return null;
  return <ProductStockCard record={record} readOnly={readOnly || !mayPostStock(warehouses)} />;
}

function ProductStockCard({ record, readOnly }: Pick<RecordSectionProps, 'record' | 'readOnly'>) {
  const { t } = useTranslation('stock');
  const { locale, timeZone } = useLocale();
  const heading = useId();
  const balances = useBalances({ product_id: record.id });
  const moves = useMoves(record.id, LATEST);
  const value = useStockValue({ product_id: record.id });
  const [posting, setPosting] = useState(false);
  const [reversing, setReversing] = useState<Move | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const name = String(record.name ?? '') || t('stock');
  // After a reversal its button is gone: the focus goes to the section's heading, where the
  // result is said, instead of being lost.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [focusHeading, setFocusHeading] = useState(0);
  useEffect(() => {
    if (!focusHeading) return;
    const timer = setTimeout(() => headingRef.current?.focus(), 0);
    return () => clearTimeout(timer);
  }, [focusHeading]);

  const warehouseIds = [
    ...(balances.data ?? []).map((b) => b.warehouse_id),
    ...(moves.data ?? []).map((m) => m.warehouse_id),
  ];
  const documents = (moves.data ?? []).flatMap((m) => (m.document ? [m.document] : []));
  const { titles, loading } = useRecordTitles([
    ...warehouseIds.map((id) => ({ object: 'warehouses', id })),
    ...documents.map((d) => ({ object: d.object, id: d.id })),
  ]);
  const warehouseName = (id: string) =>
    titles.get(`warehouses/${id}`) ?? (loading ? '…' : t('unknownWarehouse'));

  const rows = (balances.data ?? []).filter(
    (b) => !isZero(b.on_hand) || !isZero(b.reserved) || !isZero(b.incoming),
  );
  const total = (balances.data ?? []).reduce((sum, b) => sum + (toScaled(b.on_hand) ?? 0n), 0n);
  const worth = value.data?.products?.[0];
  const valuationCurrency =
    moves.data?.find((m) => m.value)?.value?.currency ?? worth?.value?.currency ?? null;

  return (
    <Card withBorder component="section" aria-labelledby={heading}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} size="h5" id={heading} ref={headingRef} tabIndex={-1}>
          {t('stock')}
        </Title>
        {!readOnly && (
          <Button
            size="xs"
            variant="light"
            onClick={() => {
              setDone(null);
              setPosting(true);
            }}
          >
            {t('postMove')}
          </Button>
        )}
      </Group>
      <Text role="status" size="sm" c="teal.9" mb={done ? 'xs' : 0}>
        {done}
      </Text>
      {balances.error || value.error ? (
        <ErrorNote error={balances.error ?? value.error} />
      ) : !balances.data || !value.data ? (
        <Loader size="sm" aria-label={t('loading')} />
      ) : (
        <Stack gap="xs">
          <Figures
            items={[
              { label: t('totalOnHand'), value: formatQuantity(fromScaled(total), locale) },
              {
                label: t('stockValue'),
                value: formatMoney(worth?.value, locale),
              },
              { label: t('averageCost'), value: formatMoney(worth?.average_unit_cost, locale) },
            ]}
          />
          {rows.length === 0 ? (
            <Text size="sm" c="gray.7">
              {balances.data.length ? t('nothingOnHand') : t('noStock')}
            </Text>
          ) : (
            <SortableTable
              caption={t('perWarehouse')}
              locale={locale}
              rows={rows}
              rowKey={(b) => b.warehouse_id}
              initialSort={{ key: 'warehouse' }}
              columns={[
                {
                  key: 'warehouse',
                  label: t('warehouse'),
                  sortValue: (b) => warehouseName(b.warehouse_id),
                  render: (b) => (
                    <RecordLink object="warehouses" id={b.warehouse_id}>
                      {warehouseName(b.warehouse_id)}
                    </RecordLink>
                  ),
                },
                ...(['on_hand', 'reserved', 'available', 'incoming'] as const).map((k) => ({
                  key: k,
                  label: t(k === 'on_hand' ? 'onHand' : k),
                  numeric: true,
                  sortValue: (b: (typeof rows)[number]) => b[k],
                  render: (b: (typeof rows)[number]) => formatQuantity(b[k], locale),
                })),
              ]}
            />
          )}
        </Stack>
      )}

      <Title order={3} size="h6" mt="md" mb="xs">
        {t('latestMoves')}
      </Title>
      {moves.error ? (
        <ErrorNote error={moves.error} />
      ) : !moves.data ? (
        <Loader size="sm" aria-label={t('loading')} />
      ) : moves.data.length === 0 ? (
        <Text size="sm" c="gray.7">
          {t('noMoves')}
        </Text>
      ) : (
        <MovesTable
          moves={moves.data}
          readOnly={readOnly}
          warehouseName={warehouseName}
          titles={titles}
          onReverse={setReversing}
        />
      )}
      {moves.data?.length === LATEST && (
        <Text size="xs" c="gray.7" mt={4}>
          {t('latestCount', { count: LATEST })}
        </Text>
      )}

      {posting && (
        <PostMoveDialog
          productId={record.id}
          productName={name}
          valuationCurrency={valuationCurrency}
          onClose={() => setPosting(false)}
          onPosted={() => {
            setPosting(false);
            setDone(t('posted'));
          }}
        />
      )}
      {reversing && (
        <ReverseDialog
          move={reversing}
          when={shortDateTime(reversing.occurred_at, locale, timeZone)}
          onClose={() => setReversing(null)}
          onReversed={() => {
            setReversing(null);
            setDone(t('reversedDone'));
            setFocusHeading((n) => n + 1);
          }}
        />
      )}
    </Card>
  );
}

function MovesTable({
  moves,
  readOnly,
  warehouseName,
  titles,
  onReverse,
}: {
  moves: Move[];
  readOnly: boolean;
  warehouseName: (id: string) => string;
  titles: Map<string, string>;
  onReverse: (m: Move) => void;
}) {
  const { t } = useTranslation('stock');
  const { locale, timeZone } = useLocale();
  const objects = useObjects();
  const reversed = new Set(
    moves.flatMap((m) => (m.reverses_posting_id ? [m.reverses_posting_id] : [])),
  );
  // A posting (a transfer has two moves) is reversed as a whole: its button is on its first row.
  const offered = new Set<string>();
  return (
    <ScrollBox label={t('latestMoves')}>
      <Table verticalSpacing={6} aria-label={t('latestMoves')} fz="sm" miw={480}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('move')}</Table.Th>
            <Table.Th>{t('warehouse')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('quantity')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('value')}</Table.Th>
            <Table.Th>{t('source')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {moves.map((m) => {
            const when = shortDateTime(m.occurred_at, locale, timeZone);
            const canReverse =
              !readOnly &&
              !m.document &&
              m.kind !== 'reversal' &&
              !reversed.has(m.posting_id) &&
              !offered.has(m.posting_id);
            if (canReverse) offered.add(m.posting_id);
            const docMeta = m.document
              ? objects.data?.find((o) => o.name === m.document!.object)
              : undefined;
            return (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {t(`kind_${m.kind}`)}
                  </Text>
                  <Text size="xs" c="gray.7" style={{ whiteSpace: 'nowrap' }}>
                    {when}
                  </Text>
                  {m.note && (
                    <Text size="xs" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
                      {m.note}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{warehouseName(m.warehouse_id)}</Table.Td>
                <Table.Td style={NUMBER}>{formatQuantity(m.quantity, locale, true)}</Table.Td>
                <Table.Td style={NUMBER}>{formatMoney(m.value, locale)}</Table.Td>
                <Table.Td>
                  {m.document ? (
                    docMeta ? (
                      <RecordLink object={m.document.object} id={m.document.id}>
                        {docMeta.label_singular}{' '}
                        {titles.get(`${m.document.object}/${m.document.id}`) ?? ''}
                      </RecordLink>
                    ) : (
                      <Text size="sm">{m.document.object}</Text>
                    )
                  ) : m.kind === 'reversal' ? (
                    <Text size="xs" c="gray.7">
                      {t('reverses')}
                    </Text>
                  ) : (
                    <Stack gap={2} align="flex-start">
                      <Text size="xs" c="gray.7">
                        {t('manual')}
                      </Text>
                      {reversed.has(m.posting_id) && (
                        <Badge size="sm" color="gray" variant="light">
                          {t('reversed')}
                        </Badge>
                      )}
                      {canReverse && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          px={0}
                          aria-label={t('reverseLabel', { kind: t(`kind_${m.kind}`), when })}
                          onClick={() => onReverse(m)}
                        >
                          {t('reverse')}
                        </Button>
                      )}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollBox>
  );
}

/** Asks before reversing a posting made by hand, then reverses it once. */
function ReverseDialog({
  move,
  when,
  onClose,
  onReversed,
}: {
  move: Move;
  when: string;
  onClose: () => void;
  onReversed: () => void;
}) {
  const { t } = useTranslation('stock');
  const { t: tRecord } = useTranslation('record');
  const { locale } = useLocale();
  const refresh = useRefreshStock();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(() => crypto.randomUUID());
  const reverse = async () => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', `/api/v1/stock/postings/${move.posting_id}/reverse`, undefined, {
        'idempotency-key': key,
      });
      await refresh();
      onReversed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('reverseTitle')}
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {t(`kind_${move.kind}`)}, {when}: {formatQuantity(move.quantity, locale, true)}
        </Text>
        <Text size="sm">{t('reverseText')}</Text>
        {error !== null &&
          (error instanceof ApiError && error.errors.length > 0 ? (
            <Alert color="red" role="alert" title={error.message}>
              <List size="sm">
                {error.errors.map((e) => (
                  <List.Item key={`${e.path}:${e.message}`}>
                    {stockMessage(t, tRecord, e.message, locale)}
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : (
            <ErrorNote error={error} />
          ))}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button color="red" loading={busy} onClick={() => void reverse()} data-autofocus>
            {t('reverseConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
