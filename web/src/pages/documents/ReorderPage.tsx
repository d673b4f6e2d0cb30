import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import { normaliseDecimal } from '../record/numbers';
import './documents.css';
import { OK, DANGER } from './config';
import { fromThousandths, toThousandths } from './quantity';
import { Money, Quantity, RecordName } from './shared';

/** One product short in one warehouse, as the reorder list gives it. */
interface ReorderRow {
  reorder_point_id: string;
  product_id: string;
  product_name: string;
  sku: string | null;
  warehouse_id: string;
  min_quantity: string;
  reorder_quantity: string;
  on_hand: string;
  reserved: string;
  available: string;
  incoming: string;
  suggested_quantity: string;
  supplier_id: string | null;
  supplier_price: { price: { amount: string; currency: string } | null } | null;
  best_price: { supplier_id: string; price: { amount: string; currency: string } | null } | null;
}

const key = (r: ReorderRow) => `${r.product_id}/${r.warehouse_id}`;

/**
 * What to reorder: every product whose available and incoming stock is below its reorder point,
 * with a suggested quantity the user may change. One click drafts purchase orders, one per
 * supplier, and lists them.
 */
export function ReorderPage() {
  const { t } = useTranslation('documents');
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['stock', 'reorder'],
    queryFn: async () => (await api<{ data: ReorderRow[] }>('GET', '/api/v1/stock/reorder')).data,
  });
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [drafted, setDrafted] = useState<ApiRecord[] | null>(null);
  const rows = list.data ?? [];
  // A row with a supplier is chosen until unticked; one without cannot be ordered.
  const isChosen = (r: ReorderRow) => chosen[key(r)] ?? !!r.supplier_id;
  const quantityOf = (r: ReorderRow) => quantities[key(r)] ?? r.suggested_quantity;
  const picked = rows.filter(isChosen);
  const all = rows.length > 0 && picked.length === rows.length;

  const draft = async () => {
    setBusy(true);
    setError(null);
    setDrafted(null);
    try {
      const res = await api<{ data: ApiRecord[] }>(
        'POST',
        '/api/v1/stock/reorder/purchase-orders',
        {
          items: picked.map((r) => ({
            product_id: r.product_id,
            warehouse_id: r.warehouse_id,
            quantity: normaliseDecimal(quantityOf(r)),
          })),
        },
        { 'idempotency-key': crypto.randomUUID() },
      );
      setDrafted(res.data);
      // Drafts do not count as incoming until confirmed: unticked, the rows are not drafted twice.
      setChosen(Object.fromEntries(picked.map((r) => [key(r), false])));
      setQuantities({});
      void queryClient.invalidateQueries({ queryKey: ['list', 'purchase_orders'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** A refused draft names items by index: show them by product. */
  const itemError = (path: string) => {
    const m = /items\[(\d+)\]/.exec(path);
    return m ? picked[Number(m[1])] : undefined;
  };
  const errorsByRow = new Map<string, string>();
  if (error instanceof ApiError)
    for (const e of error.errors) {
      const r = itemError(e.path);
      if (r && !errorsByRow.has(key(r))) errorsByRow.set(key(r), e.message);
    }

  return (
    <Stack gap="md">
      <div>
        <Anchor
          size="sm"
          renderRoot={(props) => (
            <Link to="/o/$object" params={{ object: 'purchase_orders' }} {...props} />
          )}
        >
          {t('purchaseOrders')}
        </Anchor>
        <Title order={1} size="h2">
          {t('reorderTitle')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('reorderIntro')}
        </Text>
      </div>
      {drafted && (
        <Alert color={OK} role="status" title={t('draftedTitle', { count: drafted.length })}>
          <ul style={{ margin: 0 }}>
            {drafted.map((o) => (
              <li key={o.id}>
                <Anchor
                  renderRoot={(props) => (
                    <Link
                      to="/o/$object/$id"
                      params={{ object: 'purchase_orders', id: o.id }}
                      {...props}
                    />
                  )}
                >
                  {String(o.number ?? o.id)}
                </Anchor>{' '}
                — <RecordName target="companies" id={o.supplier_id} />,{' '}
                {t('linesCount', { count: Array.isArray(o.lines) ? o.lines.length : 0 })}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {error !== null && !(error instanceof ApiError && errorsByRow.size > 0) && (
        <ErrorNote error={error} />
      )}
      {error instanceof ApiError && errorsByRow.size > 0 && (
        <Alert color={DANGER} role="alert" title={t('checkQuantities')}>
          {t('reorderRowsRefused')}
        </Alert>
      )}
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : list.isPending ? (
        <Loader aria-label={t('loading')} />
      ) : rows.length === 0 ? (
        <Text>{t('nothingToReorder')}</Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table striped aria-label={t('reorderTitle')} className="kontor-doc-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">
                    <Checkbox
                      aria-label={t('chooseAll')}
                      checked={all}
                      indeterminate={picked.length > 0 && !all}
                      onChange={(e) => {
                        const on = e.currentTarget.checked;
                        setChosen(Object.fromEntries(rows.map((r) => [key(r), on])));
                      }}
                    />
                  </Table.Th>
                  <Table.Th scope="col">{t('product')}</Table.Th>
                  <Table.Th scope="col">{t('warehouse')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('available')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('incoming')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('reorderPoint')}
                  </Table.Th>
                  <Table.Th scope="col">{t('supplier')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('supplierPrice')}
                  </Table.Th>
                  <Table.Th scope="col">{t('orderQuantity')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => {
                  const k = key(r);
                  const name = r.sku ? `${r.product_name} (${r.sku})` : r.product_name;
                  const typed = quantityOf(r);
                  const valid = (toThousandths(normaliseDecimal(typed)) ?? 0n) > 0n;
                  const refused = errorsByRow.get(k);
                  return (
                    <Table.Tr key={k} data-product={r.product_id}>
                      <Table.Td>
                        <Checkbox
                          aria-label={t('chooseRow', { name })}
                          checked={isChosen(r)}
                          onChange={(e) => {
                            const on = e.currentTarget.checked;
                            setChosen((cur) => ({ ...cur, [k]: on }));
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Anchor
                          size="sm"
                          renderRoot={(props) => (
                            <Link
                              to="/o/$object/$id"
                              params={{ object: 'products', id: r.product_id }}
                              {...props}
                            />
                          )}
                        >
                          {name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <RecordName target="warehouses" id={r.warehouse_id} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Quantity value={r.available} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Quantity value={r.incoming} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Quantity value={r.min_quantity} />
                      </Table.Td>
                      <Table.Td>
                        {r.supplier_id ? (
                          <RecordName target="companies" id={r.supplier_id} link />
                        ) : (
                          <Text span size="sm" c={DANGER}>
                            {t('noSupplier')}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">
                        <Money field={undefined} value={r.supplier_price?.price ?? null} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          w={120}
                          inputMode="decimal"
                          aria-label={t('orderQuantityOf', { name })}
                          value={
                            typed === r.suggested_quantity
                              ? fromThousandths(toThousandths(typed) ?? 0n)
                              : typed
                          }
                          error={refused ?? (valid ? undefined : t('quantityAboveZero'))}
                          onChange={(e) => {
                            const v = e.currentTarget.value;
                            setQuantities((cur) => ({ ...cur, [k]: v }));
                          }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group>
            <Button
              onClick={() => void draft()}
              loading={busy}
              disabled={
                picked.length === 0 ||
                picked.some((r) => (toThousandths(normaliseDecimal(quantityOf(r))) ?? 0n) <= 0n)
              }
            >
              {t('draftPurchaseOrders')}
            </Button>
            <Text size="sm" c="gray.7">
              {t('chosenCount', { count: picked.length })}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}
