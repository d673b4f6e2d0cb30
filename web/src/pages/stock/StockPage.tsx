import { Card, Group, Loader, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { formatDate, todayIn } from '../record/time';
import { endOfDay } from './dates';
import { useRecordTitles, useStockValue, type ProductValue, type StockValue } from './api';
import { RecordLink } from './common';
import { formatMoney, formatQuantity } from './quantities';
import { SortableTable } from './SortableTable';

/**
 * What the stock is worth: the totals now and at the end of a day the user picks, per currency
 * of valuation, and the products that make it up (quantity, value, average unit cost).
 */
export function StockPage() {
  const { t } = useTranslation('stock');
  const { locale, timeZone } = useLocale();
  const [date, setDate] = useState('');
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const at = valid ? endOfDay(date, timeZone) : null;
  const now = useStockValue({});
  const then = useStockValue({ at });
  const dateId = useId();
  const shownDate = valid ? formatDate(date, locale) : '';

  return (
    <Stack gap="md">
      <div>
        <Title order={1} size="h2">
          {t('pageTitle')}
        </Title>
        <Text size="sm" c="gray.7">
          {t('pageText')}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <Card withBorder component="section" aria-label={t('valueNow')}>
          <Title order={2} size="h5" mb="xs">
            {t('valueNow')}
          </Title>
          <Totals value={now.data} error={now.error} />
        </Card>
        <Card withBorder component="section" aria-labelledby={dateId}>
          <Title order={2} size="h5" mb="xs" id={dateId}>
            {valid ? t('valueAtDate', { date: shownDate }) : t('valueAt')}
          </Title>
          <TextInput
            type="date"
            label={t('date')}
            description={t('dateHint', { zone: timeZone })}
            max={todayIn(timeZone)}
            value={date}
            onChange={(e) => setDate(e.currentTarget.value)}
            maw={260}
            mb="xs"
          />
          {valid && <Totals value={then.data} error={then.error} />}
        </Card>
      </SimpleGrid>
      <Card withBorder component="section" aria-label={t('perProduct')}>
        <Title order={2} size="h5" mb="xs">
          {valid ? t('perProductAt', { date: shownDate }) : t('perProductNow')}
        </Title>
        <ProductList value={valid ? then.data : now.data} error={valid ? then.error : now.error} />
      </Card>
    </Stack>
  );
}

function Totals({ value, error }: { value: StockValue | undefined; error: unknown }) {
  const { t } = useTranslation('stock');
  const { locale } = useLocale();
  if (error) return <ErrorNote error={error} />;
  if (!value) return <Loader size="sm" aria-label={t('loading')} />;
  if (value.totals.length === 0)
    return (
      <Text fw={600} size="xl">
        {t('noValue')}
      </Text>
    );
  return (
    <Group gap="lg">
      {value.totals.map((m) => (
        <Text key={m.currency} fw={600} size="xl" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatMoney(m, locale)}
        </Text>
      ))}
    </Group>
  );
}

function ProductList({ value, error }: { value: StockValue | undefined; error: unknown }) {
  const { t } = useTranslation('stock');
  const { locale } = useLocale();
  const rows = value?.products ?? [];
  const { titles, loading } = useRecordTitles(
    rows.map((p) => ({ object: 'products', id: p.product_id })),
  );
  const name = (p: ProductValue) =>
    titles.get(`products/${p.product_id}`) ?? (loading ? '…' : t('unknownProduct'));
  if (error) return <ErrorNote error={error} />;
  if (!value) return <Loader size="sm" aria-label={t('loading')} />;
  if (!value.products)
    return (
      <Text size="sm" c="gray.7">
        {t('tooMany')}
      </Text>
    );
  if (rows.length === 0)
    return (
      <Text size="sm" c="gray.7">
        {t('noProducts')}
      </Text>
    );
  return (
    <SortableTable
      caption={t('perProduct')}
      locale={locale}
      rows={rows}
      rowKey={(p) => p.product_id}
      initialSort={{ key: 'value', descending: true }}
      columns={[
        {
          key: 'product',
          label: t('product'),
          sortValue: name,
          render: (p) => (
            <RecordLink object="products" id={p.product_id}>
              {name(p)}
            </RecordLink>
          ),
        },
        {
          key: 'quantity',
          label: t('quantity'),
          numeric: true,
          sortValue: (p) => p.quantity,
          render: (p) => formatQuantity(p.quantity, locale),
        },
        {
          key: 'value',
          label: t('value'),
          numeric: true,
          sortValue: (p) => p.value?.amount ?? '0',
          render: (p) => formatMoney(p.value, locale),
        },
        {
          key: 'average',
          label: t('averageCost'),
          numeric: true,
          sortValue: (p) => p.average_unit_cost?.amount ?? '0',
          render: (p) => formatMoney(p.average_unit_cost, locale),
        },
      ]}
    />
  );
}
