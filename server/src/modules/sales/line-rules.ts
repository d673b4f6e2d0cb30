import { sql } from 'kysely';
import { lineAmounts } from '../../core/documents/amounts';
import { AppError, validationError, type ErrorDetail } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { scopeCondition } from '../../core/permissions/scope';
import type { RecordHooks, WriteEvent } from '../../core/records/hooks';
import { scaled, type DocumentKind } from './documents';

/** The most a line may hold: a trillion units, as much as the stock ledger counts. */
const MAX_QUANTITY = 10n ** 15n;

/**
 * The document a line belongs to, as the writer may reach it: absent when they may not read it;
 * a 403 when they may read it but not change it (a line changes its document). Module code
 * (system writes) reaches every document.
 */
async function documentOf(ctx: RecordContext, kind: DocumentKind, id: unknown, system: boolean) {
  const meta = ctx.k.meta.get(kind.object);
  const find = (action: 'read' | 'update') => {
    const scope = system ? null : scopeCondition(ctx.actor, meta, action);
    return ctx.db
      .selectFrom(meta.table)
      .select(['id', 'number', 'status', 'currency'])
      .where('id', '=', String(id))
      .where('deleted_at', 'is', null)
      .where(scope ?? sql<boolean>`1 = 1`)
      .executeTakeFirst() as Promise<
      { id: string; number: string; status: string; currency: string } | undefined
    >;
  };
  const row = await find('read');
  if (row && !system && !(await find('update')))
    throw new AppError('forbidden', `You may not change the ${kind.label} ${row.number}`);
  return row;
}

function notDraft(kind: DocumentKind, doc: { number: string; status: string }) {
  return new AppError(
    'conflict',
    `The ${kind.label} ${doc.number} is ${doc.status.replace('_', ' ')}; only a draft’s lines can change`,
    [{ path: kind.via, message: `is not a draft ${kind.label}` }],
    { code_detail: 'invalid_state' },
  );
}

/** A value of the line as it will be: the new one if given, else the stored one. */
export function merged(e: WriteEvent, name: string) {
  return e.values[name] !== undefined ? e.values[name] : e.before?.[name];
}

/** A currency value in either form (parsed input or stored record) as minor units. */
function minorOf(v: unknown): bigint | null {
  if (!v || typeof v !== 'object') return null;
  const m = v as { minor?: number; amount_minor?: number };
  return BigInt(m.minor ?? m.amount_minor ?? 0);
}

/** A decimal value in either form (scaled number from input, decimal text from a record). */
export function decimalOf(e: WriteEvent, name: string, scale: number): bigint {
  const v = e.values[name];
  if (v !== undefined) return v === null ? 0n : BigInt(v as number);
  return scaled(e.before?.[name], scale);
}

/**
 * Sets a line's net, tax and total from its quantity, price, discount and tax, rounded half-even
 * per line (core/documents/amounts.ts). A line without a price yet has no amounts.
 */
export function applyLineAmounts(e: WriteEvent) {
  const price = minorOf(merged(e, 'unit_price'));
  const currency = (merged(e, 'unit_price') as { currency?: string } | null)?.currency;
  if (price === null || !currency) {
    e.values.net = e.values.tax = e.values.total = null;
    return;
  }
  const a = lineAmounts({
    quantity: decimalOf(e, 'quantity', 3),
    unitPriceMinor: price,
    discountBasisPoints: decimalOf(e, 'discount', 2),
    taxRateBasisPoints: decimalOf(e, 'tax_rate', 2),
    taxIncluded: merged(e, 'tax_included') === true,
  });
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (a.totalMinor > limit || a.netMinor > limit)
    throw validationError([{ path: 'quantity', message: 'makes the line’s amount too large' }]);
  e.values.net = { minor: Number(a.netMinor), currency };
  e.values.tax = { minor: Number(a.taxMinor), currency };
  e.values.total = { minor: Number(a.totalMinor), currency };
}

/**
 * A line's rules: it belongs to one document, changes only while that document is a draft, has a
 * positive quantity, a discount from 0 to 100 %, a price in the document's currency, and amounts
 * computed from them. Pricing from the catalog (units, price lists, taxes) is added by a flow.
 */
export function lineRules(kind: DocumentKind): RecordHooks {
  return {
    async beforeWrite(ctx, e) {
      const errors: ErrorDetail[] = [];
      if (e.before && e.values[kind.via] !== undefined && e.values[kind.via] !== e.before[kind.via])
        throw validationError([{ path: kind.via, message: `a line stays on its ${kind.label}` }]);
      const doc = await documentOf(ctx, kind, merged(e, kind.via), e.options.system === true);
      if (!doc)
        throw validationError([{ path: kind.via, message: `no ${kind.label} with this id` }]);
      if (!e.options.system && doc.status !== 'draft') throw notDraft(kind, doc);

      const quantity = e.values.quantity as number | null | undefined;
      if (typeof quantity === 'number' && quantity <= 0)
        errors.push({ path: 'quantity', message: 'must be more than zero' });
      if (typeof quantity === 'number' && BigInt(quantity) > MAX_QUANTITY)
        errors.push({ path: 'quantity', message: 'must be at most 1000000000000 (a trillion)' });
      const discount = e.values.discount as number | null | undefined;
      if (typeof discount === 'number' && (discount < 0 || discount > 10000))
        errors.push({ path: 'discount', message: 'must be from 0 to 100' });
      const price = e.values.unit_price as { minor: number; currency: string } | null | undefined;
      if (price && price.currency !== doc.currency)
        errors.push({
          path: 'unit_price.currency',
          message: `must be ${doc.currency}, the currency of the ${kind.label}`,
        });
      if (price && price.minor < 0)
        errors.push({ path: 'unit_price', message: 'must not be negative' });
      if (errors.length) throw validationError(errors);

      if (e.action === 'create') {
        if (e.values.position === undefined || e.values.position === null) {
          const lines = ctx.k.meta.get(kind.lines);
          const last = await ctx.db
            .selectFrom(lines.table)
            .select(sql<number | null>`max(position)`.as('p'))
            .where(kind.via, '=', doc.id)
            .where('deleted_at', 'is', null)
            .executeTakeFirst();
          e.values.position = Number(last?.p ?? 0) + 1;
        }
        if (e.values.discount === undefined) e.values.discount = 0;
        if (e.values.tax_rate === undefined) e.values.tax_rate = 0;
        if (e.values.tax_included === undefined) e.values.tax_included = false;
      }
      if (e.values.description === undefined && e.action === 'create') {
        const products = ctx.k.meta.get('products');
        const product = (await ctx.db
          .selectFrom(products.table)
          .select('name')
          .where('id', '=', String(e.values.product_id))
          .executeTakeFirst()) as { name: string } | undefined;
        if (product) e.values.description = product.name;
      }
      // Without a unit conversion (the catalog flow adds one) a line is in the product's base unit.
      if (e.values.quantity !== undefined && e.values.base_quantity === undefined)
        e.values.base_quantity = e.values.quantity;
      if (e.values.tax_id === null && !e.options.system) {
        e.values.tax_rate = 0;
        e.values.tax_included = false;
      }
      applyLineAmounts(e);
    },

    async afterWrite(ctx, e) {
      if (e.action === 'delete' || e.action === 'restore') {
        const doc = await documentOf(ctx, kind, e.after[kind.via], false);
        if (doc && doc.status !== 'draft') throw notDraft(kind, doc);
        return;
      }
      if (!e.after.unit_price)
        throw validationError([{ path: 'unit_price', message: 'is required' }]);
    },
  };
}
