import { sql } from 'kysely';
import { nextDocumentNumber } from '../../core/documents/numbering';
import { AppError, validationError } from '../../core/errors';
import type { RecordContext } from '../../core/kontor';
import type { ApiRecord, RecordHooks } from '../../core/records/hooks';
import { boolToDb } from '../../db/column-types';
import {
  BomStructureError,
  activeBomId,
  describeStructureError,
  explodeBill,
  loadBill,
} from './explode';

const table = (ctx: RecordContext, name: string) => ctx.k.meta.get(name).table;

interface ProductRow {
  id: string;
  name: string;
  kind: string | null;
}

async function productRow(ctx: RecordContext, id: string): Promise<ProductRow | undefined> {
  return (await ctx.db
    .selectFrom(table(ctx, 'products'))
    .select(['id', 'name', 'kind'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()) as ProductRow | undefined;
}

/** A decimal field's parsed value (an integer count of thousandths) must be above zero. */
function positive(values: Record<string, unknown>, field: string) {
  const v = values[field];
  if (v === undefined) return;
  if (v === null || Number(v) <= 0)
    throw validationError([{ path: field, message: 'must be more than zero' }]);
}

/**
 * Changes to the structure of bills wait for each other until commit, so that the checks below,
 * which read other bills and lines, see every change committed before them: two lines making
 * two products components of each other at the same instant would otherwise both pass.
 * SQLite has one writer at a time already; PostgreSQL takes a transaction-scoped advisory lock.
 */
async function oneStructureChangeAtATime(ctx: RecordContext) {
  if (ctx.k.database.dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext('kontor.production.bills'))`.execute(ctx.db);
}

/** The bill walked from its own product: a cycle or too deep a nesting is a 400 on `path`. */
async function assertSound(ctx: RecordContext, bomId: string, path: string) {
  const bill = await loadBill(ctx, bomId);
  if (!bill) return;
  try {
    await explodeBill(ctx, bill, bill.outputQuantity);
  } catch (err) {
    if (err instanceof BomStructureError)
      throw validationError([{ path, message: await describeStructureError(ctx, err) }]);
    throw err;
  }
}

/**
 * A bill makes goods (or a kit), one run makes more than zero, and a product has at most one
 * active bill, so a component's nested bill is never in doubt. Whatever a change makes a
 * bill reach through the active bills of its components, it may not reach its own product.
 */
export const billRules: RecordHooks = {
  async beforeWrite(_ctx, e) {
    if (e.action === 'create') {
      if (e.values.output_quantity === undefined) e.values.output_quantity = 1000;
      if (e.values.is_active === undefined) e.values.is_active = true;
    }
    positive(e.values, 'output_quantity');
  },
  async afterWrite(ctx, e) {
    if (e.action === 'delete') return;
    const after = e.after;
    const productId = String(after.product_id);
    await oneStructureChangeAtATime(ctx);
    const fresh = !e.before || e.action === 'restore';
    const changed = (f: string) => fresh || e.before?.[f] !== after[f];
    if (changed('product_id')) {
      const product = await productRow(ctx, productId);
      if (product?.kind === 'service')
        throw validationError([
          { path: 'product_id', message: 'is a service, which is not made from components' },
        ]);
    }
    if (after.is_active === true && (changed('is_active') || changed('product_id'))) {
      const other = (await ctx.db
        .selectFrom(table(ctx, 'bills_of_materials'))
        .select(['id', 'name'])
        .where('product_id', '=', productId)
        .where('is_active', '=', boolToDb(ctx.k.database.dialect, true))
        .where('deleted_at', 'is', null)
        .where('id', '!=', after.id)
        .executeTakeFirst()) as { id: string; name: string } | undefined;
      if (other)
        throw validationError([
          {
            path: !fresh && !changed('is_active') ? 'product_id' : 'is_active',
            message: `the product already has an active bill of materials ("${other.name}", ${other.id}); deactivate it first`,
          },
        ]);
    }
    if (changed('product_id') || changed('is_active'))
      await assertSound(ctx, after.id, changed('product_id') ? 'product_id' : 'is_active');
  },
};

/** A line takes more than zero of a component that is stock (not a service) and not the bill's own product. */
export const bomLineRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    positive(e.values, 'quantity');
    if (e.action === 'create' && e.values.position === undefined && e.values.bom_id) {
      const row = (await ctx.db
        .selectFrom(table(ctx, 'bom_lines'))
        .select(sql<number | null>`max(position)`.as('last'))
        .where('bom_id', '=', e.values.bom_id as string)
        .where('deleted_at', 'is', null)
        .executeTakeFirst()) as { last: number | string | null } | undefined;
      e.values.position = row?.last === null || row?.last === undefined ? 1 : Number(row.last) + 1;
    }
  },
  async afterWrite(ctx, e) {
    if (e.action === 'delete') return;
    const after = e.after;
    const fresh = !e.before || e.action === 'restore';
    if (
      !fresh &&
      e.before?.component_id === after.component_id &&
      e.before?.bom_id === after.bom_id
    )
      return;
    await oneStructureChangeAtATime(ctx);
    const component = await productRow(ctx, String(after.component_id));
    if (component?.kind === 'service')
      throw validationError([
        { path: 'component_id', message: 'is a service, which is not a component' },
      ]);
    await assertSound(ctx, String(after.bom_id), 'component_id');
  },
};

const LOCKED_AFTER_DRAFT = ['bom_id', 'product_id', 'quantity', 'warehouse_id'];

/**
 * A production order is made from a bill of materials (its product copied from the bill), or
 * from a product: the product's active bill, else, for a kit, the kit's components. Its status
 * moves only by its actions (confirm, start, complete, cancel); what it makes, how much and
 * where is fixed once it is confirmed.
 */
export const productionOrderRules: RecordHooks = {
  async beforeWrite(ctx, e) {
    const v = e.values;
    const before = e.before;
    if (e.action === 'create') {
      v.status = 'draft';
      v.number = await nextDocumentNumber(ctx, 'MO');
    }
    positive(v, 'quantity');
    if (before && before.status !== 'draft' && !e.options.system) {
      const locked = LOCKED_AFTER_DRAFT.filter(
        (f) => v[f] !== undefined && JSON.stringify(v[f]) !== JSON.stringify(before[f]),
      );
      if (locked.length)
        throw validationError(
          locked.map((f) => ({
            path: f,
            message: `can change only while the order is a draft; it is ${String(before.status)}`,
          })),
        );
    }
    if (e.action === 'create' || v.bom_id !== undefined || v.product_id !== undefined)
      await resolveBill(ctx, v, before);
  },
  async afterWrite(_ctx, e) {
    if (e.action !== 'delete' || !e.before) return;
    if (['confirmed', 'in_progress', 'done'].includes(String(e.before.status)))
      throw new AppError(
        'conflict',
        e.before.status === 'done'
          ? 'A done production order stays: its stock moves point to it'
          : 'The production order holds reserved stock; cancel it first',
      );
  },
};

/** Sets bom_id and product_id of a production order from whichever of the two was given. */
async function resolveBill(
  ctx: RecordContext,
  v: Record<string, unknown>,
  before: ApiRecord | null,
) {
  const bomId =
    v.bom_id !== undefined
      ? (v.bom_id as string | null)
      : ((before?.bom_id as string | null) ?? null);
  const bomGiven = v.bom_id !== undefined && v.bom_id !== null;
  if (bomId && (bomGiven || v.product_id === undefined)) {
    const bom = (await ctx.db
      .selectFrom(table(ctx, 'bills_of_materials'))
      .select(['id', 'product_id', 'is_active'])
      .where('id', '=', bomId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()) as { id: string; product_id: string; is_active: unknown } | undefined;
    if (!bom)
      throw validationError([{ path: 'bom_id', message: `no bill of materials with id ${bomId}` }]);
    if (bom.is_active !== true && bom.is_active !== 1)
      throw validationError([{ path: 'bom_id', message: 'is not active' }]);
    if (v.product_id !== undefined && v.product_id !== null && v.product_id !== bom.product_id)
      throw validationError([
        {
          path: 'product_id',
          message: `is taken from the bill of materials (${bom.product_id}); leave it out`,
        },
      ]);
    v.product_id = bom.product_id;
    return;
  }
  const productId =
    v.product_id !== undefined
      ? (v.product_id as string | null)
      : ((before?.product_id as string | null) ?? null);
  if (!productId)
    throw validationError([
      {
        path: 'bom_id',
        message: 'is required (or product_id, for a kit or a product with an active bill)',
      },
    ]);
  const product = await productRow(ctx, productId);
  if (!product)
    throw validationError([{ path: 'product_id', message: `no product with id ${productId}` }]);
  const active = await activeBomId(ctx, product.id);
  if (active) {
    v.bom_id = active;
    return;
  }
  // A kit with no bill is made from its catalog components (the production flow reads them).
  if (product.kind !== 'kit')
    throw validationError([
      {
        path: 'product_id',
        message: 'has no active bill of materials and is not a kit; give bom_id',
      },
    ]);
  v.bom_id = null;
}

/** A product that a bill makes or uses stays something stock can hold: it does not become a service. */
export const productInBillsRule: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action !== 'update' || !e.before) return;
    if (e.values.kind !== 'service' || e.before.kind === 'service') return;
    const id = e.before.id;
    const made = (await ctx.db
      .selectFrom(table(ctx, 'bills_of_materials'))
      .select('name')
      .where('product_id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()) as { name: string } | undefined;
    const used = (await ctx.db
      .selectFrom(`${table(ctx, 'bom_lines')} as l`)
      .innerJoin(`${table(ctx, 'bills_of_materials')} as b`, 'b.id', 'l.bom_id')
      .select('b.name')
      .where('l.component_id', '=', id)
      .where('l.deleted_at', 'is', null)
      .where('b.deleted_at', 'is', null)
      .executeTakeFirst()) as { name: string } | undefined;
    if (made || used)
      throw validationError([
        {
          path: 'kind',
          message: made
            ? `cannot become a service: the bill of materials "${made.name}" makes it`
            : `cannot become a service: it is a component of the bill of materials "${used!.name}"`,
        },
      ]);
  },
};
