import { sql } from 'kysely';
import { AppError, validationError, type ErrorDetail } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import { isCurrencyCode, scaledToDecimal } from '../../core/metadata/money';
import type { ApiRecord, RecordHooks } from '../../core/records/hooks';
import { updateRecord } from '../../core/records/write';
import {
  liveRecord,
  moneyOf,
  nextMoney,
  nextScaled,
  nextValue,
  scaledText,
  shortDecimal,
} from './lookup';

/** Quantities and factors are thousandths; tax rates are hundredths of a percent. */
const QUANTITY_SCALE = 3;
const RATE_SCALE = 2;
const HUNDRED_PERCENT = 10_000n;

const fail = (path: string, message: string) => validationError([{ path, message }]);

/**
 * Writes of one kind wait for each other until commit, so that a check reading other rows
 * (no twin exists, no cycle forms) sees every row committed before it. Two kits made
 * components of each other at the same instant would otherwise both pass. SQLite has one
 * writer at a time already; PostgreSQL takes a transaction-scoped advisory lock.
 */
async function oneWriterAtATime(ctx: RecordContext, objectName: string) {
  if (ctx.k.database.dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${`kontor.catalog.${objectName}`}))`.execute(
    ctx.db,
  );
}

/** Live rows of a catalog object matching column values, other than the record itself. */
async function liveRows(
  ctx: RecordContext,
  objectName: string,
  where: Record<string, string | number | null>,
  exceptId?: string | null,
  limit: number | null = 1,
): Promise<Record<string, unknown>[]> {
  const object = ctx.k.meta.get(objectName);
  let q = ctx.db.selectFrom(object.table).selectAll().where('deleted_at', 'is', null);
  for (const [column, value] of Object.entries(where))
    q = value === null ? q.where(column, 'is', null) : q.where(column, '=', value);
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (limit !== null) q = q.limit(limit);
  return (await q.orderBy('id').execute()) as Record<string, unknown>[];
}

/**
 * A rule that held when a record was written may not hold when it comes back from the bin
 * (its twin was added meanwhile, its kit changed kind): then the restore is refused.
 */
function refusedRestore(err: unknown): unknown {
  if (!(err instanceof AppError) || err.code !== 'validation') return err;
  return new AppError('conflict', 'The record cannot be restored as it was', err.errors);
}

async function restoreChecked(check: () => Promise<void>) {
  try {
    await check();
  } catch (err) {
    throw refusedRestore(err);
  }
}

/**
 * Rows whose title is written from another record's name or code are written again when it
 * changes, so a price list item never shows a product by its old name.
 */
async function retitle(ctx: RecordContext, objectName: string, column: string, id: string) {
  for (const row of await liveRows(ctx, objectName, { [column]: id }, null, null))
    await updateRecord(
      ctx,
      objectName,
      String(row.id),
      {},
      {
        skipScope: true,
        options: { system: true },
      },
    );
}

// ---------------------------------------------------------------------------------------------
// Units

export const unitRules: RecordHooks = {
  async afterWrite(ctx, e) {
    if (e.action !== 'update' || e.before?.code === e.after.code) return;
    await retitle(ctx, 'product_units', 'unit_id', e.after.id);
    await retitle(ctx, 'price_list_items', 'unit_id', e.after.id);
    for (const product of await liveRows(ctx, 'products', { unit_id: e.after.id }, null, null))
      await retitle(ctx, 'product_units', 'product_id', String(product.id));
  },
};

// ---------------------------------------------------------------------------------------------
// Products

/**
 * Defaults on create, and the kinds and units that other catalog records depend on: a kit with
 * components stays a kit, a component stays goods or kit, and a product's base unit does not
 * change under the units and prices that are counted in it.
 */
export const productRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create') {
      if (e.values.kind == null) e.values.kind = 'goods';
      if (e.values.is_active == null) e.values.is_active = true;
      if (e.values.valuation_method == null) e.values.valuation_method = 'average';
      return;
    }
    const before = e.before!;
    if (e.values.kind === null) throw fail('kind', 'is required');
    if (e.values.valuation_method === null) throw fail('valuation_method', 'is required');

    const kind = e.values.kind as string | undefined;
    if (kind !== undefined && kind !== before.kind) {
      await oneWriterAtATime(ctx, 'kit_components');
      if (before.kind === 'kit' && kind !== 'kit') {
        const [row] = await liveRows(ctx, 'kit_components', { kit_id: before.id });
        if (row)
          throw fail('kind', 'must stay kit while the kit has components; remove them first');
      }
      if (kind === 'service') {
        const [row] = await liveRows(ctx, 'kit_components', { component_id: before.id });
        if (row)
          throw fail(
            'kind',
            `cannot become a service: it is a component of kit ${String(row.kit_id)}`,
          );
      }
    }

    const unitId = e.values.unit_id as string | null | undefined;
    if (unitId !== undefined && unitId !== before.unit_id && before.unit_id) {
      await oneWriterAtATime(ctx, 'product_units');
      await oneWriterAtATime(ctx, 'price_list_items');
      const [conversion] = await liveRows(ctx, 'product_units', { product_id: before.id });
      if (conversion)
        throw fail(
          'unit_id',
          'cannot change while the product has other units, which convert to it; remove them first',
        );
      // A price list item without a unit is per the base unit: a new base unit would reprice it.
      const [price] = await liveRows(ctx, 'price_list_items', { product_id: before.id });
      if (price)
        throw fail(
          'unit_id',
          `cannot change while price list item ${String(price.id)} prices the product in it`,
        );
    }
  },
  async afterWrite(ctx, e) {
    if (e.action !== 'update' || e.before?.name === e.after.name) return;
    // Locks are taken in one order everywhere (kit components, product units, price list
    // items), so two of these writes never wait on each other crosswise.
    await retitle(ctx, 'kit_components', 'component_id', e.after.id);
    await retitle(ctx, 'price_list_items', 'product_id', e.after.id);
  },
};

// ---------------------------------------------------------------------------------------------
// Product units

interface ProductUnitInput {
  id: string | null;
  productId: string | null;
  unitId: string | null;
  factor: bigint | null;
}

/** Checks a product's unit and returns its title ("box = 12 pcs"). */
async function checkProductUnit(ctx: RecordContext, p: ProductUnitInput): Promise<string> {
  if (p.factor !== null && p.factor <= 0n) throw fail('factor', 'must be more than zero');
  const product = await liveRecord(ctx, 'products', p.productId);
  if (!product) throw fail('product_id', 'no such product');
  const unit = await liveRecord(ctx, 'units', p.unitId);
  if (!unit) throw fail('unit_id', 'no such unit');
  const base = await liveRecord(ctx, 'units', product.unit_id as string | null);
  if (!base)
    throw fail('product_id', 'has no base unit; set the product’s base unit before adding others');
  if (unit.id === base.id)
    throw fail(
      'unit_id',
      'is the product’s base unit, which needs no conversion (its factor is 1)',
    );
  const [twin] = await liveRows(
    ctx,
    'product_units',
    { product_id: product.id, unit_id: unit.id },
    p.id,
  );
  if (twin)
    throw new AppError('conflict', 'The product already has this unit', [
      { path: 'unit_id', message: `is already a unit of this product (${String(twin.id)})` },
    ]);
  const factor = p.factor === null ? '' : shortDecimal(scaledToDecimal(p.factor, QUANTITY_SCALE));
  return `${String(unit.code)} = ${factor} ${String(base.code)}`;
}

/** Prices per a unit need the unit: it stays while a price list prices the product in it. */
async function assertUnitNotPriced(ctx: RecordContext, productId: unknown, unitId: unknown) {
  if (typeof productId !== 'string' || typeof unitId !== 'string') return;
  const [price] = await liveRows(ctx, 'price_list_items', {
    product_id: productId,
    unit_id: unitId,
  });
  if (price)
    throw new AppError('conflict', 'A price list prices the product in this unit', [
      {
        path: 'unit_id',
        message: `price list item ${String(price.id)} is priced per this unit; remove it first`,
      },
    ]);
}

export const productUnitRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (
      e.before &&
      ((e.values.unit_id !== undefined && e.values.unit_id !== e.before.unit_id) ||
        (e.values.product_id !== undefined && e.values.product_id !== e.before.product_id))
    )
      await assertUnitNotPriced(ctx, e.before.product_id, e.before.unit_id);
    await oneWriterAtATime(ctx, 'product_units');
    e.values.name = await checkProductUnit(ctx, {
      id: e.before?.id ?? null,
      productId: nextValue(e, 'product_id') as string | null,
      unitId: nextValue(e, 'unit_id') as string | null,
      factor: nextScaled(e, 'factor', QUANTITY_SCALE),
    });
  },
  async afterWrite(ctx, e) {
    if (e.action === 'delete') await assertUnitNotPriced(ctx, e.after.product_id, e.after.unit_id);
    if (e.action !== 'restore') return;
    await oneWriterAtATime(ctx, 'product_units');
    await restoreChecked(async () => {
      await checkProductUnit(ctx, {
        id: e.after.id,
        productId: e.after.product_id as string | null,
        unitId: e.after.unit_id as string | null,
        factor: scaledText(e.after.factor, QUANTITY_SCALE),
      });
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Taxes

export const taxRules: RecordHooks = {
  async beforeWrite(_ctx, e) {
    const rate = nextScaled(e, 'rate', RATE_SCALE);
    if (rate !== null && (rate < 0n || rate > HUNDRED_PERCENT))
      throw fail('rate', 'must be from 0 to 100 (percent)');
  },
};

// ---------------------------------------------------------------------------------------------
// Price lists

export const priceListRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create' && e.values.is_active == null) e.values.is_active = true;
    if (typeof e.values.currency === 'string') {
      const code = e.values.currency.trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(code) || !isCurrencyCode(code))
        throw fail('currency', 'must be an ISO 4217 code like EUR');
      e.values.currency = code;
    }
    const from = nextValue(e, 'valid_from') as string | null;
    const to = nextValue(e, 'valid_to') as string | null;
    if (from && to && to < from) throw fail('valid_to', 'must not be before valid_from');

    const currency = e.values.currency;
    if (e.before && currency !== undefined && currency !== e.before.currency) {
      const [item] = await liveRows(ctx, 'price_list_items', { price_list_id: e.before.id });
      if (item)
        throw fail(
          'currency',
          `cannot change while the list has prices in ${String(e.before.currency)}; remove them first`,
        );
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Price list items

interface PriceItemInput {
  id: string | null;
  priceListId: string | null;
  productId: string | null;
  unitId: string | null;
  minQuantity: bigint;
  price: { minor: bigint; currency: string } | null;
}

/** Checks a price list item and returns its title ("Chai, box, from 10"). */
async function checkPriceItem(ctx: RecordContext, p: PriceItemInput): Promise<string> {
  const errors: ErrorDetail[] = [];
  if (p.minQuantity < 0n) errors.push({ path: 'min_quantity', message: 'must not be negative' });
  if (p.price && p.price.minor < 0n)
    errors.push({ path: 'price', message: 'must not be negative' });
  if (errors.length) throw validationError(errors);

  const list = await liveRecord(ctx, 'price_lists', p.priceListId);
  if (!list) throw fail('price_list_id', 'no such price list');
  if (p.price && p.price.currency !== list.currency)
    throw fail(
      'price.currency',
      `must be ${String(list.currency)}, the currency of the price list`,
    );
  const product = await liveRecord(ctx, 'products', p.productId);
  if (!product) throw fail('product_id', 'no such product');

  // A price per the base unit is kept without a unit, so each price has one spelling.
  const unitId = p.unitId === product.unit_id ? null : p.unitId;
  let unit: ApiRecord | undefined;
  if (unitId) {
    unit = await liveRecord(ctx, 'units', unitId);
    if (!unit) throw fail('unit_id', 'no such unit');
    const [conversion] = await liveRows(ctx, 'product_units', {
      product_id: product.id,
      unit_id: unitId,
    });
    if (!conversion)
      throw fail(
        'unit_id',
        'is not a unit of this product; add it to the product’s units (with its factor) first',
      );
  }

  const minText = scaledToDecimal(p.minQuantity, QUANTITY_SCALE);
  const [twin] = await liveRows(
    ctx,
    'price_list_items',
    {
      price_list_id: list.id,
      product_id: product.id,
      unit_id: unitId,
      min_quantity: Number(p.minQuantity),
    },
    p.id,
  );
  if (twin)
    throw new AppError('conflict', 'The price list already has this price', [
      {
        path: 'min_quantity',
        message: `price list item ${String(twin.id)} already prices this product and unit from ${minText}`,
      },
    ]);

  const parts = [String(product.name)];
  if (unit) parts.push(String(unit.code));
  if (p.minQuantity > 0n) parts.push(`from ${shortDecimal(minText)}`);
  return parts.join(', ');
}

export const priceItemRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action === 'create' && e.values.min_quantity == null) e.values.min_quantity = 0;
    if (e.values.min_quantity === null) throw fail('min_quantity', 'is required');
    const input: PriceItemInput = {
      id: e.before?.id ?? null,
      priceListId: nextValue(e, 'price_list_id') as string | null,
      productId: nextValue(e, 'product_id') as string | null,
      unitId: nextValue(e, 'unit_id') as string | null,
      minQuantity: nextScaled(e, 'min_quantity', QUANTITY_SCALE) ?? 0n,
      price: nextMoney(e, 'price'),
    };
    await oneWriterAtATime(ctx, 'price_list_items');
    e.values.name = await checkPriceItem(ctx, input);
    const product = await liveRecord(ctx, 'products', input.productId);
    if (input.unitId !== null && input.unitId === product?.unit_id) e.values.unit_id = null;
  },
  async afterWrite(ctx, e) {
    if (e.action !== 'restore') return;
    await oneWriterAtATime(ctx, 'price_list_items');
    await restoreChecked(async () => {
      await checkPriceItem(ctx, {
        id: e.after.id,
        priceListId: e.after.price_list_id as string | null,
        productId: e.after.product_id as string | null,
        unitId: e.after.unit_id as string | null,
        minQuantity: scaledText(e.after.min_quantity, QUANTITY_SCALE) ?? 0n,
        price: moneyOf(e.after.price),
      });
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Kit components

interface KitComponentInput {
  id: string | null;
  kitId: string | null;
  componentId: string | null;
  quantity: bigint | null;
}

/**
 * The kits reachable downwards from a product through kit components, with the path that
 * reaches each; a kit found among them is one the product contains.
 */
async function containsKit(
  ctx: RecordContext,
  from: string,
  kitId: string,
  exceptRow: string | null,
): Promise<string[] | null> {
  const table = ctx.k.meta.get('kit_components').table;
  const path = new Map<string, string[]>([[from, [from]]]);
  let frontier = [from];
  while (frontier.length) {
    let q = ctx.db
      .selectFrom(table)
      .select(['kit_id', 'component_id'])
      .where('deleted_at', 'is', null)
      .where('kit_id', 'in', frontier);
    if (exceptRow) q = q.where('id', '<>', exceptRow);
    const rows = (await q.execute()) as { kit_id: string; component_id: string }[];
    frontier = [];
    for (const r of rows) {
      if (path.has(r.component_id)) continue;
      const via = [...path.get(r.kit_id)!, r.component_id];
      if (r.component_id === kitId) return via;
      path.set(r.component_id, via);
      frontier.push(r.component_id);
    }
  }
  return null;
}

/** Checks a kit component and returns its title ("Chai × 2"). */
async function checkKitComponent(ctx: RecordContext, p: KitComponentInput): Promise<string> {
  if (p.quantity !== null && p.quantity <= 0n) throw fail('quantity', 'must be more than zero');
  const kit = await liveRecord(ctx, 'products', p.kitId);
  if (!kit) throw fail('kit_id', 'no such product');
  if (kit.kind !== 'kit')
    throw fail('kit_id', `is ${String(kit.kind)}, not a kit; set its kind to kit first`);
  const component = await liveRecord(ctx, 'products', p.componentId);
  if (!component) throw fail('component_id', 'no such product');
  if (component.kind !== 'goods' && component.kind !== 'kit')
    throw fail('component_id', 'is a service; a kit is made of goods and other kits');
  if (component.id === kit.id) throw fail('component_id', 'is the kit itself');
  const cycle = await containsKit(ctx, component.id, kit.id, p.id);
  if (cycle)
    throw fail(
      'component_id',
      `contains this kit (${cycle.join(' → ')}); a kit cannot be part of itself`,
    );
  const [twin] = await liveRows(
    ctx,
    'kit_components',
    { kit_id: kit.id, component_id: component.id },
    p.id,
  );
  if (twin)
    throw new AppError('conflict', 'The kit already has this component', [
      {
        path: 'component_id',
        message: `is already in this kit (${String(twin.id)}); change its quantity instead`,
      },
    ]);
  const qty = p.quantity === null ? '' : shortDecimal(scaledToDecimal(p.quantity, QUANTITY_SCALE));
  return `${String(component.name)} × ${qty}`;
}

export const kitComponentRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    await oneWriterAtATime(ctx, 'kit_components');
    e.values.name = await checkKitComponent(ctx, {
      id: e.before?.id ?? null,
      kitId: nextValue(e, 'kit_id') as string | null,
      componentId: nextValue(e, 'component_id') as string | null,
      quantity: nextScaled(e, 'quantity', QUANTITY_SCALE),
    });
  },
  async afterWrite(ctx, e) {
    if (e.action !== 'restore') return;
    await oneWriterAtATime(ctx, 'kit_components');
    await restoreChecked(async () => {
      await checkKitComponent(ctx, {
        id: e.after.id,
        kitId: e.after.kit_id as string | null,
        componentId: e.after.component_id as string | null,
        quantity: scaledText(e.after.quantity, QUANTITY_SCALE),
      });
    });
  },
};
