import { Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ApiRecord, type ObjectMeta } from '../../api/client';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { normaliseDecimal } from '../record/numbers';
import { DANGER, findField } from './config';
import { fromThousandths, toThousandths } from './quantity';
import { lineOfPath, Quantity, RecordName, translateStockMessage } from './shared';

const q = (v: unknown) => toThousandths(v) ?? 0n;

/**
 * Ships an order: one quantity per line, each starting at what is reserved for it (what the
 * warehouse holds for this order), never more than is left to ship. Lines left at zero are not
 * sent.
 */
export function ShipDialog({
  lines,
  linesMeta,
  busy,
  onClose,
  onShip,
}: {
  lines: ApiRecord[];
  linesMeta: ObjectMeta | undefined;
  busy: boolean;
  onClose: () => void;
  onShip: (body: { lines: { line_id: string; quantity: string }[] }) => Promise<unknown>;
}) {
  const { t } = useTranslation('documents');
  const { locale } = useLocale();
  const shippedName = findField(linesMeta, 'shipped_quantity')?.name ?? 'shipped_quantity';
  const reservedName = findField(linesMeta, 'reserved_quantity')?.name ?? 'reserved_quantity';
  const left = (l: ApiRecord) => {
    const rest = q(l.quantity) - q(l[shippedName]);
    return rest > 0n ? rest : 0n;
  };
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      lines.map((l) => {
        const reserved = q(l[reservedName]);
        const rest = left(l);
        return [l.id, fromThousandths(reserved < rest ? reserved : rest)];
      }),
    ),
  );
  const [error, setError] = useState<unknown>(null);
  const open = lines.filter((l) => left(l) > 0n);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const chosen = open
      .map((l) => ({ line_id: l.id, quantity: normaliseDecimal(values[l.id] ?? '') || '0' }))
      .filter((x) => (toThousandths(x.quantity) ?? 1n) !== 0n);
    if (chosen.length === 0) {
      setError(new Error(t('nothingToShip')));
      return;
    }
    try {
      await onShip({ lines: chosen });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('shipTitle')} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error instanceof ApiError ? (
            <LineErrors error={error} lines={lines} locale={locale} />
          ) : error ? (
            <ErrorNote error={error} />
          ) : null}
          <Table aria-label={t('shipTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('product')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('ordered')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('shipped')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('reserved')}
                </Table.Th>
                <Table.Th scope="col">{t('toShip')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((l) => {
                const i = lines.indexOf(l);
                return (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      {i + 1}. <RecordName target="products" id={l.product_id} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Quantity value={l.quantity} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Quantity value={l[shippedName]} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Quantity value={l[reservedName]} />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        w={110}
                        inputMode="decimal"
                        aria-label={t('toShipLine', { n: i + 1 })}
                        value={values[l.id] ?? ''}
                        onChange={(e) => {
                          const v = e.currentTarget.value;
                          setValues((cur) => ({ ...cur, [l.id]: v }));
                        }}
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {open.length === 0 && <Text size="sm">{t('nothingLeftToShip')}</Text>}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('close')}
            </Button>
            <Button type="submit" loading={busy} disabled={open.length === 0}>
              {t('shipButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Receives a purchase order: per line the quantity that came (starting at what is still
 * expected) and its unit cost (starting at the order's price). More or less than ordered is
 * allowed; the server reports the difference.
 */
export function ReceiveDialog({
  lines,
  linesMeta,
  currency,
  busy,
  onClose,
  onReceive,
}: {
  lines: ApiRecord[];
  linesMeta: ObjectMeta | undefined;
  currency: string | undefined;
  busy: boolean;
  onClose: () => void;
  onReceive: (body: {
    lines: {
      line_id: string;
      quantity: string;
      unit_cost?: { amount: string; currency: string };
    }[];
  }) => Promise<unknown>;
}) {
  const { t } = useTranslation('documents');
  const { locale } = useLocale();
  const receivedName = findField(linesMeta, 'received_quantity')?.name ?? 'received_quantity';
  const priceName = findField(linesMeta, 'unit_price', 'unit_cost', 'price')?.name ?? 'unit_price';
  const left = (l: ApiRecord) => {
    const rest = q(l.quantity) - q(l[receivedName]);
    return rest > 0n ? rest : 0n;
  };
  const [qty, setQty] = useState<Record<string, string>>(() =>
    Object.fromEntries(lines.map((l) => [l.id, fromThousandths(left(l))])),
  );
  const [cost, setCost] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      lines.map((l) => [l.id, (l[priceName] as { amount?: string } | null)?.amount ?? '']),
    ),
  );
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const chosen = lines
      .map((l) => {
        const quantity = normaliseDecimal(qty[l.id] ?? '') || '0';
        const amount = normaliseDecimal(cost[l.id] ?? '');
        const cur =
          (l[priceName] as { currency?: string } | null)?.currency ?? currency ?? undefined;
        return {
          line_id: l.id,
          quantity,
          ...(amount && cur ? { unit_cost: { amount, currency: cur } } : {}),
        };
      })
      .filter((x) => (toThousandths(x.quantity) ?? 1n) !== 0n);
    if (chosen.length === 0) {
      setError(new Error(t('nothingToReceive')));
      return;
    }
    try {
      await onReceive({ lines: chosen });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('receiveTitle')} size="xl">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error instanceof ApiError ? (
            <LineErrors error={error} lines={lines} locale={locale} />
          ) : error ? (
            <ErrorNote error={error} />
          ) : null}
          <Table aria-label={t('receiveTitle')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('product')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('ordered')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('received')}
                </Table.Th>
                <Table.Th scope="col">{t('toReceive')}</Table.Th>
                <Table.Th scope="col">{t('unitCost')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l, i) => (
                <Table.Tr key={l.id}>
                  <Table.Td>
                    {i + 1}. <RecordName target="products" id={l.product_id} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Quantity value={l.quantity} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Quantity value={l[receivedName]} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      w={110}
                      inputMode="decimal"
                      aria-label={t('toReceiveLine', { n: i + 1 })}
                      value={qty[l.id] ?? ''}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setQty((cur) => ({ ...cur, [l.id]: v }));
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      w={120}
                      inputMode="decimal"
                      aria-label={t('unitCostLine', { n: i + 1 })}
                      rightSection={
                        <Text size="xs" c="gray.7">
                          {(l[priceName] as { currency?: string } | null)?.currency ?? currency}
                        </Text>
                      }
                      rightSectionWidth={42}
                      value={cost[l.id] ?? ''}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setCost((cur) => ({ ...cur, [l.id]: v }));
                      }}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('close')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('receiveButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A refused ship or receive: each message beside the line it is about. */
function LineErrors({
  error,
  lines,
  locale,
}: {
  error: ApiError;
  lines: ApiRecord[];
  locale: string;
}) {
  const { t } = useTranslation('documents');
  if (error.errors.length === 0) return <ErrorNote error={error} />;
  return (
    <ErrorNoteList
      title={error.status === 409 ? t('notDone') : t('checkQuantities')}
      items={error.errors.map((e) => {
        const line = lineOfPath(e.path, lines);
        const n = line ? lines.indexOf(line) + 1 : null;
        const text = translateStockMessage(t, e.message, locale);
        return n ? `${t('lineN', { n })}: ${text}` : `${e.path}: ${text}`;
      })}
    />
  );
}

function ErrorNoteList({ title, items }: { title: string; items: string[] }) {
  return (
    <div role="alert" className="kontor-error-list">
      <Text fw={700} c={DANGER} size="sm">
        {title}
      </Text>
      <ul style={{ margin: 0 }}>
        {items.map((x) => (
          <li key={x}>
            <Text size="sm" c={DANGER} span>
              {x}
            </Text>
          </li>
        ))}
      </ul>
    </div>
  );
}
