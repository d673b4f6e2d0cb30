import { Card, Checkbox, Group, Loader, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import type { RecordSectionProps } from '../record/sections';
import { useBalances, useRecordTitles, type Balance } from './api';
import { RecordLink, useStockObjects } from './common';
import { formatQuantity, isZero } from './quantities';
import { SortableTable } from './SortableTable';

/**
 * The stock in a warehouse on its record page: each product's on hand, reserved, available and
 * incoming quantity, sorted in the browser by any column, each product a link to its page.
 */
export function WarehouseStock({ record }: RecordSectionProps) {
  const { readable } = useStockObjects();
  if (!readable) return null;
  return <WarehouseStockCard warehouseId={record.id} />;
}

function WarehouseStockCard({ warehouseId }: { warehouseId: string }) {
  const { t } = useTranslation('stock');
  const { locale } = useLocale();
  const heading = useId();
  const balances = useBalances({ warehouse_id: warehouseId });
  const [showEmpty, setShowEmpty] = useState(false);
  const { titles, loading } = useRecordTitles(
    (balances.data ?? []).map((b) => ({ object: 'products', id: b.product_id })),
  );
  const name = (b: Balance) =>
    titles.get(`products/${b.product_id}`) ?? (loading ? '…' : t('unknownProduct'));
  const all = balances.data ?? [];
  const empty = (b: Balance) => isZero(b.on_hand) && isZero(b.reserved) && isZero(b.incoming);
  const rows = showEmpty ? all : all.filter((b) => !empty(b));
  const hidden = all.length - all.filter((b) => !empty(b)).length;

  return (
    <Card withBorder component="section" aria-labelledby={heading}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} size="h5" id={heading}>
          {t('warehouseStock')}
        </Title>
        {balances.data && (
          <Text size="sm" c="gray.7">
            {t('productsCount', { count: rows.length })}
          </Text>
        )}
      </Group>
      {balances.error ? (
        <ErrorNote error={balances.error} />
      ) : !balances.data ? (
        <Loader size="sm" aria-label={t('loading')} />
      ) : (
        <>
          {hidden > 0 && (
            <Checkbox
              size="xs"
              mb="xs"
              label={t('showEmpty')}
              checked={showEmpty}
              onChange={(e) => setShowEmpty(e.currentTarget.checked)}
            />
          )}
          {rows.length === 0 ? (
            <Text size="sm" c="gray.7">
              {t('noWarehouseStock')}
            </Text>
          ) : (
            <SortableTable
              caption={t('warehouseStock')}
              locale={locale}
              rows={rows}
              rowKey={(b) => b.product_id}
              initialSort={{ key: 'product' }}
              columns={[
                {
                  key: 'product',
                  label: t('product'),
                  sortValue: name,
                  render: (b) => (
                    <RecordLink object="products" id={b.product_id}>
                      {name(b)}
                    </RecordLink>
                  ),
                },
                ...(['on_hand', 'reserved', 'available', 'incoming'] as const).map((k) => ({
                  key: k,
                  label: t(k === 'on_hand' ? 'onHand' : k),
                  numeric: true,
                  sortValue: (b: Balance) => b[k],
                  render: (b: Balance) => formatQuantity(b[k], locale),
                })),
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}
