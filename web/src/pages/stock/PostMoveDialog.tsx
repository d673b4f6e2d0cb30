import {
  Alert,
  Button,
  Group,
  Modal,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type FieldMeta } from '../../api/client';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { FieldInput, useDefaultCurrency } from '../RecordForm';
import { useActiveWarehouses, useRefreshStock } from './api';
import { stockMessage } from './messages';
import { typedDecimal, type Money } from './quantities';

type Kind = 'receipt' | 'adjustment' | 'transfer';
const KINDS: Kind[] = ['receipt', 'adjustment', 'transfer'];
/** The fields this dialog shows; a server message about any other goes above them. */
const SHOWN = new Set(['kind', 'warehouse_id', 'to_warehouse_id', 'quantity', 'unit_cost', 'note']);

/**
 * Posts a receipt (with an optional unit cost), an adjustment (plus or minus) or a transfer of
 * one product between two warehouses. What the server refuses shows next to its field: a
 * quantity more than there is on hand, a missing warehouse, a cost on stock that goes out.
 */
export function PostMoveDialog({
  productId,
  productName,
  valuationCurrency,
  onClose,
  onPosted,
}: {
  productId: string;
  productName: string;
  /** The currency the product's stock is valued in, once it has had a value. */
  valuationCurrency: string | null;
  onClose: () => void;
  onPosted: () => void;
}) {
  const { t } = useTranslation('stock');
  const { t: tRecord } = useTranslation('record');
  const { locale } = useLocale();
  // A product's stock is valued in one currency: a cost comes in that one.
  const fallback = useDefaultCurrency();
  const currency = valuationCurrency ?? fallback;
  const warehouses = useActiveWarehouses();
  const refresh = useRefreshStock();
  const [kind, setKind] = useState<Kind>('receipt');
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [toWarehouseId, setToWarehouseId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState('');
  const [unitCost, setUnitCost] = useState<Money | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per dialog: a retry after a lost answer never posts twice.
  const [key] = useState(() => crypto.randomUUID());

  const options = (warehouses.data ?? []).map((w) => ({
    value: w.id,
    label: String(w.name ?? '') + (w.code ? ` (${String(w.code)})` : ''),
  }));
  // With one warehouse there is nothing to choose.
  const from = warehouseId ?? (options.length === 1 ? options[0].value : null);

  const messages = new Map<string, string>();
  if (error instanceof ApiError)
    for (const e of error.errors) {
      const name = e.path.split('.')[0];
      if (!messages.has(name)) messages.set(name, stockMessage(t, tRecord, e.message, locale));
    }
  for (const name of missing) messages.set(name, t('errRequired'));
  const unshown =
    error instanceof ApiError ? error.errors.filter((e) => !SHOWN.has(e.path.split('.')[0])) : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const empty = [
      ...(from ? [] : ['warehouse_id']),
      ...(kind === 'transfer' && !toWarehouseId ? ['to_warehouse_id'] : []),
      ...(quantity.trim() ? [] : ['quantity']),
    ];
    setMissing(empty);
    if (empty.length) return;
    setBusy(true);
    setError(null);
    try {
      await api(
        'POST',
        '/api/v1/stock/moves',
        {
          kind,
          product_id: productId,
          warehouse_id: from,
          ...(kind === 'transfer' ? { to_warehouse_id: toWarehouseId } : {}),
          quantity: typedDecimal(quantity),
          ...(kind !== 'transfer' && unitCost ? { unit_cost: unitCost } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
        { 'idempotency-key': key },
      );
      await refresh();
      onPosted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const costField: FieldMeta = {
    name: 'unit_cost',
    label: t('unitCost'),
    type: 'currency',
    required: false,
    read_only: false,
    is_system: false,
    is_custom: false,
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('postMoveTitle', { product: productName })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {error !== null &&
            (error instanceof ApiError && error.errors.length > 0 && unshown.length === 0 ? (
              <Alert color="red" role="alert">
                {t('checkFields')}
              </Alert>
            ) : (
              <ErrorNote error={error} />
            ))}
          {warehouses.error && <ErrorNote error={warehouses.error} />}
          {warehouses.data && options.length === 0 && (
            <Alert color="orange" role="status">
              {t('noWarehouses')}
            </Alert>
          )}
          <Radio.Group
            label={t('moveKind')}
            value={kind}
            onChange={(v) => {
              setKind(v as Kind);
              setError(null);
            }}
            error={messages.get('kind')}
          >
            <Group gap="md" mt={4}>
              {KINDS.map((k) => (
                <Radio
                  key={k}
                  value={k}
                  label={t(`kind_${k}`)}
                  data-autofocus={k === kind || undefined}
                />
              ))}
            </Group>
          </Radio.Group>
          <SimpleGrid cols={{ base: 1, sm: kind === 'transfer' ? 2 : 1 }} spacing="sm">
            <Select
              label={kind === 'transfer' ? t('fromWarehouse') : t('warehouse')}
              required
              searchable
              data={options}
              value={from}
              onChange={(v) => {
                setWarehouseId(v);
                setMissing((m) => m.filter((x) => x !== 'warehouse_id'));
              }}
              error={messages.get('warehouse_id')}
              nothingFoundMessage={tRecord('nothingFound')}
            />
            {kind === 'transfer' && (
              <Select
                label={t('toWarehouse')}
                required
                searchable
                data={options.filter((o) => o.value !== from)}
                value={toWarehouseId}
                onChange={(v) => {
                  setToWarehouseId(v);
                  setMissing((m) => m.filter((x) => x !== 'to_warehouse_id'));
                }}
                error={messages.get('to_warehouse_id')}
                nothingFoundMessage={tRecord('nothingFound')}
              />
            )}
          </SimpleGrid>
          <TextInput
            label={t('quantity')}
            required
            inputMode="decimal"
            autoComplete="off"
            description={kind === 'adjustment' ? t('adjustmentHint') : undefined}
            value={quantity}
            onChange={(e) => {
              setQuantity(e.currentTarget.value);
              setMissing((m) => m.filter((x) => x !== 'quantity'));
            }}
            error={messages.get('quantity')}
          />
          {kind !== 'transfer' && (
            <div>
              <FieldInput
                field={costField}
                value={unitCost ?? { amount: '', currency }}
                onChange={(v) => setUnitCost((v as Money | null) ?? null)}
                error={messages.get('unit_cost')}
              />
              <Text size="xs" c="gray.7" mt={4}>
                {t('unitCostHint')}
              </Text>
            </div>
          )}
          <Textarea
            label={t('note')}
            autosize
            minRows={2}
            maxRows={6}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={messages.get('note')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={options.length === 0}>
              {t('post')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
