import {
  Alert,
  Anchor,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type ObjectMeta } from '../../api/client';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { InlineField } from '../record/InlineField';
import { useLeaveGuard } from '../record/LeaveGuard';
import { RecordTimeline } from '../record/RecordTimeline';
import { RelatedLists } from '../record/RelatedLists';
import '../record/record.css';
import './documents.css';
import { DANGER, mayUpdate, OK, WARN } from './config';
import { toThousandths } from './quantity';
import {
  availabilityKey,
  Quantity,
  RecordName,
  StatusBadge,
  translateStockMessage,
  useRefreshDocument,
} from './shared';

type ProductionAction = 'confirm' | 'start' | 'complete' | 'cancel';

/** What each status allows; the server has the last word and says why it refuses. */
const ACTIONS: { name: ProductionAction; when: string[]; primary?: boolean }[] = [
  { name: 'confirm', when: ['draft'], primary: true },
  { name: 'start', when: ['confirmed'] },
  { name: 'complete', when: ['confirmed', 'in_progress'], primary: true },
  { name: 'cancel', when: ['draft', 'confirmed', 'in_progress'] },
];

/** What an order makes, how much and where are fixed once it is confirmed. */
const FIXED_AFTER_DRAFT = ['bom_id', 'product_id', 'quantity', 'warehouse_id'];

/** One component's need against the stock of the order's warehouse. */
interface Need {
  component_id: string;
  name: string | null;
  sku: string | null;
  needed: string;
  reserved: string;
  available: string;
  incoming: string;
  short: string;
}

/**
 * A production order: what it makes and where, the components it needs with what is short
 * before it starts, and confirm (reserves the components), complete (consumes them and produces
 * the goods at their cost) and cancel.
 */
export function ProductionPage({ object, record }: { object: ObjectMeta; record: ApiRecord }) {
  const { t } = useTranslation('documents');
  const { locale } = useLocale();
  const refresh = useRefreshDocument(object.name, record.id);
  const status = String(record.status ?? '');
  const deleted = !!record.deleted_at;
  const canUpdate = mayUpdate(object);
  const draft = status === 'draft' && !deleted && canUpdate;
  const [busy, setBusy] = useState<ProductionAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [stale, setStale] = useState(false);
  const dirtyFields = useRef(new Set<string>());
  const onDirty = useCallback((name: string, dirty: boolean) => {
    if (dirty) dirtyFields.current.add(name);
    else dirtyFields.current.delete(name);
  }, []);
  const guard = useLeaveGuard(() => dirtyFields.current.size > 0);

  const open = ['draft', 'confirmed', 'in_progress'].includes(status) && !deleted;
  const needs = useQuery({
    queryKey: availabilityKey(object.name, record.id),
    enabled: open,
    queryFn: async () => {
      const res = await api<{ data: Need[] }>(
        'GET',
        `/api/v1/production_orders/${record.id}/shortages`,
      );
      return res.data;
    },
  });

  const act = async (name: ProductionAction) => {
    setBusy(name);
    setError(null);
    try {
      const res = await api<Record<string, unknown>>(
        'POST',
        `/api/v1/production_orders/${record.id}/${name}`,
        {},
        { 'idempotency-key': crypto.randomUUID() },
      );
      setConfirmCancel(false);
      const own = [res, res.production_order, res.order].find(
        (x) => (x as ApiRecord | undefined)?.id === record.id,
      ) as ApiRecord | undefined;
      refresh(own);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) setStale(true);
      else setError(err);
    } finally {
      setBusy(null);
    }
  };

  const title = String(record[object.title_field] ?? '') || t('noNumber');
  const headerFields = object.fields.filter(
    (x) => !x.is_system && x.name !== 'number' && x.name !== 'status',
  );
  const allowed = deleted || !canUpdate ? [] : ACTIONS.filter((a) => a.when.includes(status));
  const rows = needs.data ?? [];
  const short = rows.filter((r) => (toThousandths(r.short) ?? 0n) > 0n);

  return (
    <Stack gap="md">
      {guard.dialog}
      <Group justify="space-between" align="flex-start" gap="sm">
        <div style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Anchor
            size="sm"
            renderRoot={(props) => (
              <Link to="/o/$object" params={{ object: object.name }} {...props} />
            )}
          >
            {object.label_plural}
          </Anchor>
          <Group gap="xs" align="center">
            <Title order={1} size="h2">
              {object.label_singular} {title}
            </Title>
            <StatusBadge object={object} status={record.status} />
          </Group>
        </div>
        <Group gap="xs" wrap="wrap" role="group" aria-label={t('documentActions')}>
          {allowed.map((a) => (
            <Button
              key={a.name}
              size="xs"
              variant={a.primary ? 'filled' : 'light'}
              color={a.name === 'cancel' ? 'red' : undefined}
              loading={busy === a.name}
              disabled={busy !== null && busy !== a.name}
              onClick={() => (a.name === 'cancel' ? setConfirmCancel(true) : void act(a.name))}
            >
              {t(`production_${a.name}`)}
            </Button>
          ))}
        </Group>
      </Group>

      {stale && (
        <Alert color={WARN} title={t('staleTitle')} role="alert">
          <Group gap="xs">
            <Text size="sm">{t('staleText')}</Text>
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                setStale(false);
                refresh();
              }}
            >
              {t('reload')}
            </Button>
          </Group>
        </Alert>
      )}
      {error instanceof ApiError && error.errors.length > 0 ? (
        <Alert color={DANGER} role="alert" title={t('notDone')}>
          <ul style={{ margin: 0 }}>
            {error.errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>{translateStockMessage(t, e.message, locale)}</li>
            ))}
          </ul>
        </Alert>
      ) : error !== null ? (
        <ErrorNote error={error} />
      ) : null}
      {confirmCancel && (
        <Alert color={DANGER} title={t('cancelTitle', { name: title })} role="alertdialog">
          <Text size="sm">{t('cancelText_production_orders')}</Text>
          <Group mt="sm" gap="xs">
            <Button
              size="xs"
              color="red"
              loading={busy === 'cancel'}
              onClick={() => void act('cancel')}
            >
              {t('cancelConfirm')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setConfirmCancel(false)}>
              {t('keep')}
            </Button>
          </Group>
        </Alert>
      )}

      <Card withBorder component="section" aria-label={t('header')}>
        <Title order={2} size="h5" mb="xs">
          {t('header')}
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="sm">
          {headerFields.map((field) => (
            <InlineField
              key={field.name}
              object={object}
              record={record}
              field={field}
              editable={
                !field.read_only &&
                !deleted &&
                canUpdate &&
                status !== 'done' &&
                (draft || !FIXED_AFTER_DRAFT.includes(field.name))
              }
              onSaved={(saved) => refresh(saved)}
              onStale={() => setStale(true)}
              onDirty={onDirty}
            />
          ))}
        </SimpleGrid>
      </Card>

      {open && (
        <Card withBorder component="section" aria-label={t('components')}>
          <Title order={2} size="h5" mb="xs">
            {t('components')}
          </Title>
          {needs.error ? (
            <ErrorNote error={needs.error} />
          ) : needs.isPending ? (
            <Loader size="sm" aria-label={t('loading')} />
          ) : rows.length === 0 ? (
            <Text size="sm" c="gray.7">
              {t('noComponents')}
            </Text>
          ) : (
            <>
              {short.length > 0 ? (
                <Alert color={WARN} role="status" mb="sm">
                  {t('componentsShort', { count: short.length })}
                </Alert>
              ) : (
                <Text size="sm" c={OK} mb="sm" role="status">
                  {t('componentsReady')}
                </Text>
              )}
              <Table.ScrollContainer minWidth={560}>
                <Table striped aria-label={t('components')} className="kontor-doc-lines">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t('component')}</Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('needed')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('reserved')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('available')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('incoming')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('shortage')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r) => {
                      const s = toThousandths(r.short) ?? 0n;
                      return (
                        <Table.Tr key={r.component_id} data-component={r.component_id}>
                          <Table.Td>
                            <RecordName target="products" id={r.component_id} link />
                            {r.sku && (
                              <Text span size="xs" c="gray.7">
                                {' '}
                                ({r.sku})
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td ta="right">
                            <Quantity value={r.needed} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Quantity value={r.reserved} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Quantity value={r.available} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Quantity value={r.incoming} />
                          </Table.Td>
                          <Table.Td ta="right">
                            {s > 0n ? (
                              <Text span c={DANGER} fw={700} size="sm">
                                <Quantity value={r.short} />
                              </Text>
                            ) : (
                              <Text span c={OK} size="sm">
                                {t('noShortage')}
                              </Text>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </Card>
      )}

      <Grid>
        {object.related_lists.length > 0 && (
          <Grid.Col span={{ base: 12, md: 7 }}>
            <RelatedLists
              object={object}
              record={record}
              lists={object.related_lists}
              readOnly={deleted}
            />
          </Grid.Col>
        )}
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RecordTimeline object={object} id={record.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
