import { Alert, Box, Button, Group, SimpleGrid, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type ApiRecord, type ObjectMeta } from '../../api/client';
import { ErrorNote } from '../../layout/ErrorNote';
import { FieldInput } from '../RecordForm';
import { fieldMessages } from '../record/messages';
import { normaliseDecimal } from '../record/numbers';
import { findField, type DocumentConfig, WARN } from './config';
import { fromThousandths, toThousandths } from './quantity';

/** "2.000" as a person would type it: "2"; "12.50" → "12.5". */
function plain(v: unknown): string {
  const q = toThousandths(v);
  return q === null ? String(v) : fromThousandths(q);
}

type Values = {
  product_id: string | null;
  description: string;
  quantity: string;
  unit_id: string | null;
  price: string;
  discount: string;
  tax_id: string | null;
};

/**
 * Adds a line to a draft document, or changes one. Product, unit and tax are pickers; quantity,
 * price and discount are typed in the user's way ("1 250,5"). An empty price lets the server
 * take it from the price list; the server computes net, tax and total. Enter saves, Escape
 * stops changing a line; after a line is added the product picker has the focus for the next.
 */
export function LineEditor({
  config,
  linesMeta,
  document,
  line,
  n,
  currency,
  autoFocus,
  onSaved,
  onCancel,
  onDirty,
}: {
  config: DocumentConfig;
  linesMeta: ObjectMeta;
  document: ApiRecord;
  line: ApiRecord | null;
  n: number;
  currency: string | undefined;
  autoFocus: boolean;
  onSaved: (line: ApiRecord) => void;
  onCancel: () => void;
  /** Told whether the form holds something not saved (leaving the page asks first then). */
  onDirty: (dirty: boolean) => void;
}) {
  const { t } = useTranslation(['documents', 'record']);
  const { t: tr } = useTranslation('record');
  const f = (...names: string[]) => findField(linesMeta, ...names);
  const productField = f('product_id');
  const unitField = f('unit_id');
  const taxField = f('tax_id');
  const descriptionField = f('description');
  const priceField = f('unit_price', 'unit_cost', 'price');
  const discountField = f('discount', 'discount_percent');
  const writable = (x: typeof productField) => !!x && !x.read_only;

  const start = (l: ApiRecord | null): Values => ({
    product_id: (l?.product_id as string) ?? null,
    description: (l?.description as string) ?? '',
    quantity: l?.quantity ? plain(l.quantity) : '',
    unit_id: (l?.unit_id as string) ?? null,
    price:
      l && priceField && l[priceField.name]
        ? String((l[priceField.name] as { amount: string }).amount)
        : '',
    discount: l && discountField && l[discountField.name] ? plain(l[discountField.name]) : '',
    tax_id: (l?.tax_id as string) ?? null,
  });
  const [initial] = useState(() => start(line));
  const [values, setValues] = useState<Values>(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const set = <K extends keyof Values>(k: K, v: Values[K]) => {
    setValues((cur) => ({ ...cur, [k]: v }));
  };
  // Where the price came from: typed (kept), the catalog (re-priced as the line changes), none.
  const [priceFrom, setPriceFrom] = useState<'typed' | 'catalog' | null>(line ? 'typed' : null);
  const [noPrice, setNoPrice] = useState(false);
  // What the user typed, not what the catalog filled in, makes the form worth keeping.
  const dirty =
    values.product_id !== initial.product_id ||
    values.quantity !== initial.quantity ||
    values.unit_id !== initial.unit_id ||
    values.discount !== initial.discount ||
    values.description !== initial.description ||
    (priceFrom === 'typed' && values.price !== initial.price);
  useEffect(() => onDirty(dirty), [dirty, onDirty]);
  useEffect(() => () => onDirty(false), [onDirty]);
  const [qtyDebounced] = useDebouncedValue(values.quantity, 300);
  useEffect(() => {
    if (!config.catalogPrices || !values.product_id || priceFrom === 'typed') return;
    let live = true;
    const p = new URLSearchParams({ product_id: values.product_id });
    const q = normaliseDecimal(qtyDebounced);
    if (q && toThousandths(q) !== null && (toThousandths(q) ?? 0n) > 0n) p.set('quantity', q);
    if (values.unit_id) p.set('unit_id', values.unit_id);
    if (currency) p.set('currency', currency);
    if (typeof document.company_id === 'string') p.set('company_id', document.company_id);
    if (typeof document.price_list_id === 'string') p.set('price_list_id', document.price_list_id);
    api<{
      unit_price: { amount: string; currency: string } | null;
      tax_id: string | null;
    }>('GET', `/api/v1/catalog/price?${p.toString()}`)
      .then((res) => {
        if (!live) return;
        setNoPrice(!res.unit_price);
        setPriceFrom('catalog');
        setValues((cur) => ({
          ...cur,
          price: res.unit_price?.amount ?? '',
          tax_id: cur.tax_id ?? res.tax_id ?? null,
        }));
      })
      // A quantity or unit the catalog refuses is said by the save; the price stays as it is.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [
    config.catalogPrices,
    values.product_id,
    values.unit_id,
    qtyDebounced,
    priceFrom,
    currency,
    document.company_id,
    document.price_list_id,
  ]);
  const messages =
    error instanceof ApiError ? fieldMessages(tr, error.errors) : new Map<string, string>();
  const shownFields = new Set(
    [productField, unitField, taxField, descriptionField, priceField, discountField, f('quantity')]
      .filter((x) => !!x)
      .map((x) => x!.name),
  );
  const unshown =
    error instanceof ApiError
      ? error.errors.filter((e) => !shownFields.has(e.path.split('.')[0]))
      : [];

  const body = (): Record<string, unknown> => {
    const all: Record<string, unknown> = {
      product_id: values.product_id,
      quantity: normaliseDecimal(values.quantity) || null,
    };
    if (writable(unitField)) all.unit_id = values.unit_id;
    if (writable(taxField)) all.tax_id = values.tax_id;
    if (writable(descriptionField)) all.description = values.description || null;
    if (writable(priceField)) {
      const amount = normaliseDecimal(values.price);
      all[priceField!.name] = amount
        ? { amount, currency: currency ?? (document.currency as string) }
        : null;
    }
    if (writable(discountField))
      all[discountField!.name] = normaliseDecimal(values.discount) || null;
    if (!line) {
      // A new line: only what was given; the server fills the rest (price, tax, unit).
      const out: Record<string, unknown> = { [config.parent]: document.id };
      for (const [k, v] of Object.entries(all)) if (v !== null && v !== '') out[k] = v;
      return out;
    }
    // A changed line: only what changed.
    const before = start(line);
    const out: Record<string, unknown> = {};
    const keyOf: Record<string, keyof Values> = {
      product_id: 'product_id',
      quantity: 'quantity',
      unit_id: 'unit_id',
      tax_id: 'tax_id',
      description: 'description',
      [priceField?.name ?? '-price']: 'price',
      [discountField?.name ?? '-discount']: 'discount',
    };
    for (const [k, v] of Object.entries(all)) {
      const key = keyOf[k];
      if (key && values[key] !== before[key]) out[k] = v;
    }
    return out;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const b = body();
      const saved = line
        ? Object.keys(b).length === 0
          ? line
          : await api<ApiRecord>('PATCH', `/api/v1/${config.lines}/${line.id}`, b, {
              'if-match': `"${line.version}"`,
            })
        : await api<ApiRecord>('POST', `/api/v1/${config.lines}`, b, {
            'idempotency-key': idempotencyKey,
          });
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const keys = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && line) {
      e.preventDefault();
      onCancel();
    }
  };

  const heading = line ? t('changeLine', { n }) : t('addLine');
  return (
    <Box
      component="form"
      onSubmit={submit}
      onKeyDown={keys}
      noValidate
      mt="md"
      p="sm"
      aria-label={heading}
      style={{
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 'var(--mantine-radius-sm)',
      }}
    >
      <Title order={3} size="h6" mb="xs">
        {heading}
      </Title>
      {error instanceof ApiError && error.status === 412 ? (
        <Alert color={WARN} role="alert" mb="xs">
          {t('lineStale')}
        </Alert>
      ) : error instanceof ApiError && error.errors.length > 0 ? (
        unshown.length > 0 ? (
          <ErrorNote error={error} />
        ) : null
      ) : error ? (
        <ErrorNote error={error} />
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xs" verticalSpacing="xs">
        {productField && (
          <Box style={{ gridColumn: 'span 2' }}>
            <FieldInput
              field={{ ...productField, required: true }}
              value={values.product_id}
              onChange={(v) => {
                set('product_id', (v as string) ?? null);
                // Another product is priced afresh, even over a typed price.
                if (priceFrom === 'typed') setPriceFrom(null);
              }}
              error={messages.get(productField.name)}
              autoFocus={autoFocus}
            />
          </Box>
        )}
        <TextInput
          label={t('quantity')}
          required
          inputMode="decimal"
          value={values.quantity}
          onChange={(e) => set('quantity', e.currentTarget.value)}
          error={messages.get('quantity')}
        />
        {unitField && writable(unitField) && (
          <FieldInput
            field={unitField}
            value={values.unit_id}
            onChange={(v) => set('unit_id', (v as string) ?? null)}
            error={messages.get(unitField.name)}
          />
        )}
        {priceField && writable(priceField) && (
          <TextInput
            label={currency ? t('unitPriceIn', { currency }) : t('unitPrice')}
            inputMode="decimal"
            description={
              config.catalogPrices
                ? priceFrom === 'catalog'
                  ? noPrice
                    ? t('noCatalogPrice')
                    : t('fromPriceList')
                  : undefined
                : t('fromSupplier')
            }
            value={values.price}
            onChange={(e) => {
              set('price', e.currentTarget.value);
              setPriceFrom(e.currentTarget.value ? 'typed' : null);
            }}
            error={messages.get(priceField.name)}
          />
        )}
        {discountField && writable(discountField) && (
          <TextInput
            label={t('discountPercent')}
            inputMode="decimal"
            value={values.discount}
            onChange={(e) => set('discount', e.currentTarget.value)}
            error={messages.get(discountField.name)}
          />
        )}
        {taxField && writable(taxField) && (
          <FieldInput
            field={taxField}
            value={values.tax_id}
            onChange={(v) => set('tax_id', (v as string) ?? null)}
            error={messages.get(taxField.name)}
          />
        )}
        {descriptionField && writable(descriptionField) && (
          <TextInput
            label={descriptionField.label}
            value={values.description}
            onChange={(e) => set('description', e.currentTarget.value)}
            error={messages.get(descriptionField.name)}
          />
        )}
      </SimpleGrid>
      <Group gap="xs" mt="sm">
        <Button type="submit" size="xs" loading={busy}>
          {line ? t('saveLine') : t('addLineButton')}
        </Button>
        {line && (
          <Button size="xs" variant="default" onClick={onCancel}>
            {t('record:cancel')}
          </Button>
        )}
        <Text size="xs" c="gray.7">
          {t('lineHint')}
        </Text>
      </Group>
    </Box>
  );
}
