import {
  ActionIcon,
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
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type ObjectMeta, type Page } from '../../api/client';
import { useObject } from '../../api/hooks';
import { useTitles } from '../../api/titles';
import { useLocale } from '../../i18n';
import { ErrorNote } from '../../layout/ErrorNote';
import { InlineField } from '../record/InlineField';
import { useLeaveGuard } from '../record/LeaveGuard';
import { RecordTimeline } from '../record/RecordTimeline';
import { RelatedLists } from '../record/RelatedLists';
import '../record/record.css';
import './documents.css';
import {
  DANGER,
  findField,
  mayUpdate,
  OK,
  TOTAL_FIELDS,
  type ActionName,
  type DocumentConfig,
  WARN,
} from './config';
import { LineEditor } from './LineEditor';
import { ReceiveDialog, ShipDialog } from './dialogs';
import { formatQuantity, toThousandths } from './quantity';
import {
  availabilityKey,
  lineOfPath,
  linesKey,
  Money,
  Quantity,
  RecordName,
  StatusBadge,
  translateStockMessage,
  useRefreshDocument,
} from './shared';

/** Per line stock figures of a sales document, from its availability endpoint. */
export interface LineAvailability {
  line_id: string;
  on_hand: string | null;
  available: string | null;
  incoming: string | null;
  shortage: string;
}

/** Fields shown in their own places (title, badge, totals, lines), not among the header's. */
const OWN_PLACE = new Set(['number', 'status', ...Object.values(TOTAL_FIELDS).flat()]);

/**
 * A document with lines (a quote, a sales order, a purchase order): its header fields edited in
 * place, its lines in a grid that is editable while the document is a draft, its totals as the
 * server computed them, its status, and the actions that status allows.
 */
export function DocumentPage({
  object,
  record,
  config,
}: {
  object: ObjectMeta;
  record: ApiRecord;
  config: DocumentConfig;
}) {
  const { t } = useTranslation('documents');
  const { locale } = useLocale();
  const navigate = useNavigate();
  const linesMeta = useObject(config.lines).data;
  const refresh = useRefreshDocument(object.name, record.id);
  const status = String(record.status ?? '');
  const deleted = !!record.deleted_at;
  const canUpdate = mayUpdate(object);
  const draft = config.editable.includes(status) && !deleted && canUpdate;
  const [editing, setEditing] = useState<ApiRecord | null>(null);
  const [dialog, setDialog] = useState<'ship' | 'receive' | 'cancel' | null>(null);
  const [busy, setBusy] = useState<ActionName | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [shortage, setShortage] = useState<ApiError | null>(null);
  const [report, setReport] = useState<Record<string, unknown> | null>(null);
  const [stale, setStale] = useState(false);
  const [added, setAdded] = useState(0);

  // Edits in place: leaving with one unsaved asks first.
  const dirtyFields = useRef(new Set<string>());
  const onDirty = useCallback((name: string, dirty: boolean) => {
    if (dirty) dirtyFields.current.add(name);
    else dirtyFields.current.delete(name);
  }, []);
  const onLineDirty = useCallback((dirty: boolean) => onDirty('line', dirty), [onDirty]);
  const guard = useLeaveGuard(() => dirtyFields.current.size > 0);

  const lines = useQuery({
    queryKey: linesKey(object.name, record.id),
    queryFn: async () => {
      const p = new URLSearchParams({ limit: '500', sort: 'position' });
      p.set(`filter[${config.parent}]`, record.id);
      return (await api<Page>('GET', `/api/v1/${config.lines}?${p.toString()}`)).data;
    },
  });
  const showAvailability = config.availability.includes(status) && !deleted;
  const showFulfilment = config.fulfilment.includes(status);
  // An order waiting for backordered stock shows what is on its way to the warehouse.
  const showIncoming =
    showFulfilment &&
    ['confirmed', 'partly_shipped'].includes(status) &&
    (lines.data ?? []).some((l) => (toThousandths(l.backorder_quantity) ?? 0n) > 0n);
  const availability = useQuery({
    queryKey: availabilityKey(object.name, record.id),
    enabled: (showAvailability || showIncoming) && (lines.data?.length ?? 0) > 0,
    queryFn: async () => {
      const res = await api<{ data: LineAvailability[] }>(
        'GET',
        `/api/v1/${object.name}/${record.id}/availability`,
      );
      return new Map(res.data.map((a) => [a.line_id, a]));
    },
  });
  const showReceiving = config.receiving.includes(status);

  const f = (...names: string[]) => findField(linesMeta, ...names);
  const productField = f('product_id');
  const unitField = f('unit_id');
  const taxField = f('tax_id');
  const priceField = f('unit_price', 'unit_cost', 'price');
  const netField = f(...TOTAL_FIELDS.net);
  const taxAmountField = f(...TOTAL_FIELDS.tax);
  const totalField = f(...TOTAL_FIELDS.total);
  const reservedField = f('reserved_quantity');
  const backorderField = f('backorder_quantity');
  const shippedField = f('shipped_quantity');
  const receivedField = f('received_quantity');

  const docNet = findField(object, ...TOTAL_FIELDS.net);
  const docTax = findField(object, ...TOTAL_FIELDS.tax);
  const docTotal = findField(object, ...TOTAL_FIELDS.total);
  const currency = String(record.currency ?? '') || undefined;

  const act = async (name: ActionName, body: unknown = {}, quiet = false) => {
    setBusy(name);
    setActionError(null);
    setReport(null);
    try {
      const res = await api<Record<string, unknown>>(
        'POST',
        `/api/v1/${object.name}/${record.id}/${name}`,
        body,
        { 'idempotency-key': crypto.randomUUID() },
      );
      setShortage(null);
      setDialog(null);
      const own = pickRecord(res, record.id);
      refresh(own);
      if (name === 'convert') {
        const orderId = convertedOrderId(res);
        if (orderId)
          void navigate({ to: '/o/$object/$id', params: { object: 'sales_orders', id: orderId } });
      }
      return res;
    } catch (err) {
      // A dialog shows its own errors.
      if (quiet) throw err;
      if (
        name === 'confirm' &&
        object.name === 'sales_orders' &&
        err instanceof ApiError &&
        err.status === 409 &&
        err.body.code_detail === 'insufficient_stock'
      ) {
        setShortage(err);
      } else if (err instanceof ApiError && err.status === 412) {
        setStale(true);
      } else {
        setActionError(err);
      }
      throw err;
    } finally {
      setBusy(null);
    }
  };
  const press = (name: ActionName) => {
    if (name === 'ship') return setDialog('ship');
    if (name === 'receive') return setDialog('receive');
    if (name === 'cancel') return setDialog('cancel');
    void act(name).catch(() => undefined);
  };

  const removeLine = async (line: ApiRecord) => {
    setActionError(null);
    try {
      await api('DELETE', `/api/v1/${config.lines}/${line.id}`, undefined, {
        'if-match': `"${line.version}"`,
      });
      if (editing?.id === line.id) setEditing(null);
      refresh();
    } catch (err) {
      setActionError(err);
    }
  };

  const title = String(record[object.title_field] ?? '') || t('noNumber');
  const headerFields = object.fields.filter((x) => !x.is_system && !OWN_PLACE.has(x.name));
  const rows = lines.data ?? [];
  const allowed = canUpdate
    ? config.actions.filter((a) => a.when.includes(status) && (!a.only || a.only(record, rows)))
    : [];
  const productName = (l: ApiRecord) => (
    <RecordName target={productField?.target ?? 'products'} id={l.product_id} />
  );

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
            {deleted && <Text c={DANGER}>{t('deleted')}</Text>}
          </Group>
        </div>
        {!deleted && (
          <Group gap="xs" wrap="wrap" role="group" aria-label={t('documentActions')}>
            {allowed.map((a) => (
              <Button
                key={a.name}
                size="xs"
                variant={a.primary ? 'filled' : 'light'}
                color={a.name === 'cancel' || a.name === 'reject' ? 'red' : undefined}
                loading={busy === a.name}
                disabled={busy !== null && busy !== a.name}
                onClick={() => press(a.name)}
              >
                {t(`action_${a.name}`)}
              </Button>
            ))}
            {config.pdf && (
              <Button
                size="xs"
                variant="default"
                component="a"
                href={`/api/v1/${object.name}/${record.id}/pdf`}
                target="_blank"
                rel="noopener"
              >
                {t('pdf')}
              </Button>
            )}
          </Group>
        )}
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
      {actionError !== null && <ErrorNote error={actionError} />}
      {shortage && (
        <Alert color={WARN} title={t('shortageTitle')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('shortageText')}</Text>
            <ul style={{ margin: 0 }}>
              {shortage.errors.map((e) => {
                const line = lineOfPath(e.path, rows);
                const i = line ? rows.indexOf(line) : -1;
                return (
                  <li key={`${e.path}:${e.message}`}>
                    {line ? (
                      <>
                        {t('lineN', { n: i + 1 })} ({productName(line)}):{' '}
                      </>
                    ) : null}
                    {translateStockMessage(t, e.message, locale)}
                  </li>
                );
              })}
            </ul>
            <Group gap="xs">
              <Button
                size="xs"
                loading={busy === 'confirm'}
                onClick={() => void act('confirm', { backorder: true }).catch(() => undefined)}
              >
                {t('confirmBackorder')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setShortage(null)}>
                {t('notNow')}
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {dialog === 'cancel' && (
        <Alert color={DANGER} title={t('cancelTitle', { name: title })} role="alertdialog">
          <Text size="sm">
            {t(
              object.name === 'purchase_orders'
                ? 'cancelText_purchase_orders'
                : 'cancelText_sales_orders',
            )}
          </Text>
          <Group mt="sm" gap="xs">
            <Button
              size="xs"
              color="red"
              loading={busy === 'cancel'}
              onClick={() => void act('cancel').catch(() => undefined)}
            >
              {t('cancelConfirm')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setDialog(null)}>
              {t('keep')}
            </Button>
          </Group>
        </Alert>
      )}
      {report && <ReceiptReport report={report} />}

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
                (draft || !config.fixedAfterDraft.includes(field.name))
              }
              onSaved={(saved) => refresh(saved)}
              onStale={() => setStale(true)}
              onDirty={onDirty}
            />
          ))}
        </SimpleGrid>
      </Card>

      <Card withBorder component="section" aria-label={t('lines')}>
        <Title order={2} size="h5" mb="xs">
          {t('lines')}
        </Title>
        {lines.error ? (
          <ErrorNote error={lines.error} />
        ) : !lines.data || !linesMeta ? (
          <Loader size="sm" aria-label={t('loading')} />
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table
              striped
              highlightOnHover
              verticalSpacing={6}
              horizontalSpacing="xs"
              fz="sm"
              aria-label={t('lines')}
              className="kontor-doc-lines"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">#</Table.Th>
                  <Table.Th scope="col">{productField?.label ?? t('product')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('quantity')}
                  </Table.Th>
                  <Table.Th scope="col">{unitField?.label ?? t('unit')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {priceField?.label ?? t('unitPrice')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('discount')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('taxRate')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('net')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('tax')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('total')}
                  </Table.Th>
                  {showAvailability && (
                    <>
                      <Table.Th scope="col" ta="right">
                        {t('onHand')}
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
                    </>
                  )}
                  {showFulfilment && (
                    <>
                      <Table.Th scope="col" ta="right">
                        {t('reserved')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('backorder')}
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        {t('shipped')}
                      </Table.Th>
                      {showIncoming && (
                        <Table.Th scope="col" ta="right">
                          {t('incoming')}
                        </Table.Th>
                      )}
                    </>
                  )}
                  {showReceiving && (
                    <Table.Th scope="col" ta="right">
                      {t('received')}
                    </Table.Th>
                  )}
                  {draft && (
                    <Table.Th scope="col">
                      <VisuallyHidden>{t('lineActions')}</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={14}>
                      <Text size="sm" c="gray.7">
                        {draft ? t('noLinesDraft') : t('noLines')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {rows.map((l, i) => {
                  const a = availability.data?.get(l.id);
                  const short = a ? (toThousandths(a.shortage) ?? 0n) : 0n;
                  return (
                    <Table.Tr
                      key={l.id}
                      data-line={i + 1}
                      aria-current={editing?.id === l.id ? 'true' : undefined}
                    >
                      <Table.Td>{i + 1}</Table.Td>
                      <Table.Td>
                        <ProductCell target={productField?.target ?? 'products'} line={l} />
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        <Quantity value={l.quantity} />
                      </Table.Td>
                      <Table.Td>
                        <RecordName target={unitField?.target ?? 'units'} id={l.unit_id} />
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        <Money field={priceField} value={priceField ? l[priceField.name] : null} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Percent value={l.discount} />
                      </Table.Td>
                      <Table.Td ta="right">
                        {l.tax_rate !== undefined ? (
                          <Percent value={l.tax_rate} />
                        ) : l.tax_id ? (
                          <RecordName target={taxField?.target ?? 'taxes'} id={l.tax_id} />
                        ) : (
                          <Text span c="gray.7">
                            —
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        <Money field={netField} value={netField ? l[netField.name] : null} />
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        <Money
                          field={taxAmountField}
                          value={taxAmountField ? l[taxAmountField.name] : null}
                        />
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }} fw={600}>
                        <Money field={totalField} value={totalField ? l[totalField.name] : null} />
                      </Table.Td>
                      {showAvailability && (
                        <>
                          <Table.Td ta="right">
                            {a ? (
                              <Quantity value={a.on_hand} />
                            ) : availability.isFetching ? (
                              '…'
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td ta="right">
                            {a ? (
                              <Quantity value={a.available} />
                            ) : availability.isFetching ? (
                              '…'
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td ta="right">
                            {a ? (
                              <Quantity value={a.incoming} />
                            ) : availability.isFetching ? (
                              '…'
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                          <Table.Td ta="right" data-shortage={a ? a.shortage : undefined}>
                            {a && short > 0n ? (
                              <Text span c={DANGER} fw={700} size="sm">
                                <Quantity value={a.shortage} />
                              </Text>
                            ) : a ? (
                              <Text span c={OK} size="sm">
                                {t('noShortage')}
                              </Text>
                            ) : (
                              '—'
                            )}
                          </Table.Td>
                        </>
                      )}
                      {showFulfilment && (
                        <>
                          <Table.Td ta="right">
                            <Quantity value={reservedField ? l[reservedField.name] : null} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Backorder value={backorderField ? l[backorderField.name] : null} />
                          </Table.Td>
                          <Table.Td ta="right">
                            <Quantity value={shippedField ? l[shippedField.name] : null} />
                          </Table.Td>
                          {showIncoming && (
                            <Table.Td ta="right">
                              {a ? <Quantity value={a.incoming} /> : '—'}
                            </Table.Td>
                          )}
                        </>
                      )}
                      {showReceiving && (
                        <Table.Td ta="right">
                          <Quantity value={receivedField ? l[receivedField.name] : null} />
                        </Table.Td>
                      )}
                      {draft && (
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            size="sm"
                            aria-label={t('editLine', { n: i + 1 })}
                            onClick={() => setEditing(l)}
                          >
                            <span aria-hidden>✎</span>
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            size="sm"
                            ml={4}
                            aria-label={t('deleteLine', { n: i + 1 })}
                            onClick={() => void removeLine(l)}
                          >
                            <span aria-hidden>✕</span>
                          </ActionIcon>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {draft && linesMeta && lines.data && (
          <LineEditor
            key={editing ? `edit-${editing.id}` : `new-${added}`}
            config={config}
            linesMeta={linesMeta}
            document={record}
            line={editing}
            n={editing ? rows.indexOf(editing) + 1 : rows.length + 1}
            currency={currency}
            autoFocus={editing !== null || added > 0}
            onSaved={() => {
              refresh();
              setEditing(null);
              setAdded((x) => x + 1);
            }}
            onCancel={() => setEditing(null)}
            onDirty={onLineDirty}
          />
        )}
        <Group justify="flex-end" mt="md">
          <dl className="kontor-totals" aria-label={t('totals')}>
            <dt>{t('net')}</dt>
            <dd data-total="net">
              <Money field={docNet} value={docNet ? record[docNet.name] : null} />
            </dd>
            <dt>{t('tax')}</dt>
            <dd data-total="tax">
              <Money field={docTax} value={docTax ? record[docTax.name] : null} />
            </dd>
            <dt>{t('total')}</dt>
            <dd data-total="total">
              <Money field={docTotal} value={docTotal ? record[docTotal.name] : null} />
            </dd>
          </dl>
        </Group>
      </Card>

      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <RelatedLists
            object={object}
            record={record}
            lists={object.related_lists.filter((l) => l.object !== config.lines)}
            readOnly={deleted}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <RecordTimeline object={object} id={record.id} />
        </Grid.Col>
      </Grid>

      {dialog === 'ship' && (
        <ShipDialog
          lines={rows}
          linesMeta={linesMeta}
          busy={busy === 'ship'}
          onClose={() => setDialog(null)}
          onShip={(body) => act('ship', body, true)}
        />
      )}
      {dialog === 'receive' && (
        <ReceiveDialog
          lines={rows}
          linesMeta={linesMeta}
          currency={currency}
          busy={busy === 'receive'}
          onClose={() => setDialog(null)}
          onReceive={async (body) => {
            const res = await act('receive', body, true);
            setReport(res);
          }}
        />
      )}
    </Stack>
  );
}

function Percent({ value }: { value: unknown }) {
  const { locale } = useLocale();
  if (value === null || value === undefined || value === '' || Number(value) === 0)
    return (
      <Text span c="gray.7">
        —
      </Text>
    );
  return (
    <>
      {new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(
        Number(value) / 100,
      )}
    </>
  );
}

function Backorder({ value }: { value: unknown }) {
  const q = toThousandths(value) ?? 0n;
  if (q > 0n)
    return (
      <Text span c={WARN} fw={700} size="sm">
        <Quantity value={value} />
      </Text>
    );
  return <Quantity value={value} />;
}

/**
 * The document as an action answers it: the record itself (purchase order send, confirm,
 * cancel) or under its name (`{sales_order, lines}`, `{quote, lines}`, `{order, receipt}`).
 */
function pickRecord(res: Record<string, unknown>, id: string): ApiRecord | undefined {
  for (const v of [res, res.sales_order, res.quote, res.order] as (ApiRecord | undefined)[])
    if (v && v.id === id && typeof v.version === 'number') return v;
  return undefined;
}

/** The id of the sales order a quote became (`{quote, sales_order, lines}`). */
function convertedOrderId(res: Record<string, unknown>): string | undefined {
  return (res.sales_order as { id?: string } | undefined)?.id;
}

/** What a receipt found: per line what came now, and any over- or under-delivery. */
function ReceiptReport({ report }: { report: Record<string, unknown> }) {
  const { t } = useTranslation('documents');
  const items = (Array.isArray(report.lines) ? report.lines : []) as {
    line_id: string;
    product_id: string;
    ordered: string;
    received: string;
    received_now: string;
    over: string;
    under: string;
  }[];
  const off = items.filter(
    (d) => (toThousandths(d.over) ?? 0n) > 0n || (toThousandths(d.under) ?? 0n) > 0n,
  );
  const receipt = report.receipt as ApiRecord | undefined;
  return (
    <Alert
      color={off.length ? WARN : OK}
      role="status"
      title={t('receivedTitle', { number: String(receipt?.number ?? '') })}
    >
      {off.length === 0 ? (
        <Text size="sm">{t('receivedAsOrdered')}</Text>
      ) : (
        <ul style={{ margin: 0 }}>
          {off.map((d) => (
            <li key={d.line_id} data-receipt-line={d.line_id}>
              <RecordName target="products" id={d.product_id} />: <ReceiptDifference d={d} />
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

function ReceiptDifference({
  d,
}: {
  d: { ordered: string; received: string; over: string; under: string };
}) {
  const { t } = useTranslation('documents');
  const { locale } = useLocale();
  const f = (v: string) => formatQuantity(v, locale);
  const over = (toThousandths(d.over) ?? 0n) > 0n;
  return (
    <>
      {t(over ? 'overDelivery' : 'underDelivery', {
        ordered: f(d.ordered),
        received: f(d.received),
        difference: f(over ? d.over : d.under),
      })}
    </>
  );
}

/** A line's product as a link, with its description when that says more than the name. */
function ProductCell({ target, line }: { target: string; line: ApiRecord }) {
  const id = typeof line.product_id === 'string' ? line.product_id : '';
  const titles = useTitles(target, id ? [id] : []);
  const name = titles.data?.get(id);
  const description = typeof line.description === 'string' ? line.description : '';
  return (
    <>
      <RecordName target={target} id={id} link />
      {description && name !== undefined && description !== name && (
        <Text size="xs" c="gray.7">
          {description}
        </Text>
      )}
    </>
  );
}
