import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { parseInput, validationError, type ErrorDetail } from '../core/errors';
import { isId } from '../core/ids';
import type { Flow, RecordContext } from '../core/kontor';
import { minorDigits, scaledToDecimal } from '../core/metadata/money';
import { assertCan, scopeCondition } from '../core/permissions/scope';
import { grantFor } from '../core/permissions/grants';
import { loadRecord } from '../core/records/read';
import { flushRollups } from '../core/records/rollups';
import { createRecord } from '../core/records/write';
import { queryText, readContext } from '../http/context';
import { idempotentWrite } from '../http/idempotency';
import { parseQuantity, QUANTITY_SCALE, stockLevels } from '../modules/inventory/ledger';
import { bestSupplierPrice, type SupplierPrice } from '../modules/purchasing/supplier-prices';
import { isSupplier, type Money } from '../modules/purchasing/values';

/**
 * Reordering: which products have fallen below their reorder point in a warehouse (available
 * plus incoming under the minimum), and drafting purchase orders for them, one per supplier,
 * warehouse and currency, at the supplier's price.
 */

const qty = (v: bigint) => scaledToDecimal(v, QUANTITY_SCALE);
const big = (v: unknown) => BigInt(String(v ?? 0));
const money = (m: Money) => ({
  amount_minor: Number(m.minor),
  currency: m.currency,
  amount: scaledToDecimal(m.minor, minorDigits(m.currency)),
});

interface ProductRow {
  id: string;
  name: string;
  sku: string | null;
  supplier_id: string | null;
  kind: string | null;
  is_discontinued?: unknown;
}

async function productsById(ctx: RecordContext, ids: string[]) {
  const out = new Map<string, ProductRow>();
  if (!ids.length) return out;
  const object = ctx.k.meta.get('products');
  const scope = scopeCondition(ctx.actor, object, 'read');
  // A discontinued product is not bought again (where the catalog marks them).
  const columns = ['id', 'name', 'sku', 'supplier_id', 'kind'];
  if (object.field('is_discontinued')) columns.push('is_discontinued');
  const rows = (await ctx.db
    .selectFrom('products')
    .select(columns)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where(scope ?? sql<SqlBool>`1 = 1`)
    .execute()) as ProductRow[];
  for (const r of rows)
    out.set(r.id, { ...r, is_discontinued: r.is_discontinued === true || r.is_discontinued === 1 });
  return out;
}

async function warehouseVisible(ctx: RecordContext, id: string) {
  const scope = scopeCondition(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  const row = await ctx.db
    .selectFrom('warehouses')
    .select('id')
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where(scope ?? sql<SqlBool>`1 = 1`)
    .executeTakeFirst();
  return !!row;
}

/**
 * Who a product is bought from and at what price: its own supplier (the product's supplier
 * field) at that supplier's best price for the quantity; a product without one goes to the
 * supplier with the best price.
 */
async function sourceOf(ctx: RecordContext, product: ProductRow, quantity: bigint) {
  const best = await bestSupplierPrice(ctx, product.id, { quantity });
  if (product.supplier_id) {
    const own = await bestSupplierPrice(ctx, product.id, {
      quantity,
      supplierId: product.supplier_id,
    });
    return { supplierId: product.supplier_id, price: own, best };
  }
  return { supplierId: best?.supplierId ?? null, price: best, best };
}

const offer = (p: SupplierPrice | null) =>
  p && {
    supplier_id: p.supplierId,
    price: money(p.price),
    min_quantity: qty(p.minQuantity),
    lead_time_days: p.leadTimeDays,
    supplier_sku: p.supplierSku,
  };

/** Every reorder point the reader may see whose product is short, with what to order. */
export async function reorderList(ctx: RecordContext, query: unknown) {
  const points = ctx.k.meta.get('reorder_points');
  assertCan(ctx.actor, points, 'read');
  // The list shows stock and suppliers' prices: it takes the rights to read them too.
  assertCan(ctx.actor, ctx.k.meta.get('warehouses'), 'read');
  assertCan(ctx.actor, ctx.k.meta.get('products'), 'read');
  const seesPrices = grantFor(ctx.actor.role, 'supplier_prices').read !== 'none';
  const warehouseId = queryText(query, 'warehouse_id');
  if (warehouseId !== undefined && !isId(warehouseId))
    throw validationError([{ path: 'warehouse_id', message: 'must be a record id (UUID)' }]);
  const scope = scopeCondition(ctx.actor, points, 'read');
  let q = ctx.db
    .selectFrom('reorder_points')
    .select(['id', 'product_id', 'warehouse_id', 'min_quantity', 'reorder_quantity'])
    .where('deleted_at', 'is', null)
    .where(scope ?? sql<SqlBool>`1 = 1`)
    .orderBy('warehouse_id')
    .orderBy('product_id');
  if (warehouseId) q = q.where('warehouse_id', '=', warehouseId.toLowerCase());
  let rows = (await q.execute()) as {
    id: string;
    product_id: string;
    warehouse_id: string;
    min_quantity: unknown;
    reorder_quantity: unknown;
  }[];
  const visible = new Map<string, boolean>();
  for (const id of new Set(rows.map((r) => r.warehouse_id)))
    visible.set(id, await warehouseVisible(ctx, id));
  rows = rows.filter((r) => visible.get(r.warehouse_id));
  const products = await productsById(ctx, [...new Set(rows.map((r) => r.product_id))]);
  const byWarehouse = new Map<string, string[]>();
  for (const r of rows)
    byWarehouse.set(r.warehouse_id, [...(byWarehouse.get(r.warehouse_id) ?? []), r.product_id]);
  const levels = new Map<string, Awaited<ReturnType<typeof stockLevels>>>();
  for (const [w, ids] of byWarehouse) levels.set(w, await stockLevels(ctx, ids, w));

  const data = [];
  for (const r of rows) {
    const product = products.get(r.product_id);
    if (!product || product.is_discontinued) continue;
    const level = levels.get(r.warehouse_id)?.get(r.product_id);
    const available = level?.available ?? 0n;
    const incoming = level?.incoming ?? 0n;
    const min = big(r.min_quantity);
    const reorder = big(r.reorder_quantity);
    if (available + incoming >= min) continue;
    const gap = min - (available + incoming);
    const suggested = reorder > gap ? reorder : gap;
    const source = await sourceOf(ctx, product, suggested);
    data.push({
      reorder_point_id: r.id,
      product_id: product.id,
      product_name: product.name,
      sku: product.sku,
      warehouse_id: r.warehouse_id,
      min_quantity: qty(min),
      reorder_quantity: qty(reorder),
      on_hand: qty(level?.onHand ?? 0n),
      reserved: qty(level?.reserved ?? 0n),
      available: qty(available),
      incoming: qty(incoming),
      suggested_quantity: qty(suggested),
      supplier_id: source.supplierId,
      supplier_price: seesPrices ? offer(source.price) : null,
      best_price: seesPrices ? offer(source.best) : null,
    });
  }
  return { data };
}

const draftSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        product_id: z.string().refine(isId, 'must be a record id (UUID)'),
        warehouse_id: z.string().refine(isId, 'must be a record id (UUID)'),
        quantity: z.union([z.string(), z.number()]),
      }),
    )
    .min(1, 'must list at least one product')
    .max(500, 'must have at most 500 items'),
});

/**
 * Drafts purchase orders for the items, one per supplier, warehouse and currency, each line at
 * the supplier's price. Everything is checked before anything is written: an item whose
 * product has no supplier, or no price from it, is a 400 naming the item.
 */
export async function draftReorders(ctx: RecordContext, body: unknown) {
  const input = parseInput(draftSchema, body);
  assertCan(ctx.actor, ctx.k.meta.get('purchase_orders'), 'create');
  const products = await productsById(ctx, [
    ...new Set(input.items.map((i) => i.product_id.toLowerCase())),
  ]);
  const errors: ErrorDetail[] = [];
  const seen = new Set<string>();
  const groups = new Map<
    string,
    {
      supplierId: string;
      warehouseId: string;
      currency: string;
      lines: { productId: string; quantity: bigint; price: Money }[];
    }
  >();
  for (const [i, item] of input.items.entries()) {
    const path = `items[${i}]`;
    const productId = item.product_id.toLowerCase();
    const warehouseId = item.warehouse_id.toLowerCase();
    let quantity: bigint;
    try {
      quantity = parseQuantity(item.quantity, `${path}.quantity`);
    } catch (err) {
      errors.push(...((err as { errors?: ErrorDetail[] }).errors ?? []));
      continue;
    }
    if (quantity <= 0n) {
      errors.push({ path: `${path}.quantity`, message: 'must be more than zero' });
      continue;
    }
    const key = `${productId}|${warehouseId}`;
    if (seen.has(key)) {
      errors.push({ path, message: 'lists this product and warehouse twice' });
      continue;
    }
    seen.add(key);
    if (!(await warehouseVisible(ctx, warehouseId))) {
      errors.push({ path: `${path}.warehouse_id`, message: 'no such warehouse' });
      continue;
    }
    const product = products.get(productId);
    if (!product) {
      errors.push({ path: `${path}.product_id`, message: 'no such product' });
      continue;
    }
    if (product.is_discontinued) {
      errors.push({ path: `${path}.product_id`, message: 'is discontinued' });
      continue;
    }
    if (product.kind === 'service') {
      errors.push({ path: `${path}.product_id`, message: 'is a service, which holds no stock' });
      continue;
    }
    const source = await sourceOf(ctx, product, quantity);
    if (!source.supplierId) {
      errors.push({
        path: `${path}.product_id`,
        message: 'has no supplier and no supplier price; set the product’s supplier first',
      });
      continue;
    }
    if ((await isSupplier(ctx, source.supplierId)) !== true) {
      errors.push({
        path: `${path}.product_id`,
        message: `its supplier ${source.supplierId} is not a company marked as a supplier`,
      });
      continue;
    }
    if (!source.price) {
      errors.push({
        path: `${path}.product_id`,
        message: `has no price from its supplier ${source.supplierId} for ${qty(quantity)}`,
      });
      continue;
    }
    const currency = source.price.price.currency;
    const gkey = `${source.supplierId}|${warehouseId}|${currency}`;
    const group = groups.get(gkey) ?? {
      supplierId: source.supplierId,
      warehouseId,
      currency,
      lines: [],
    };
    group.lines.push({ productId, quantity, price: source.price.price });
    groups.set(gkey, group);
  }
  if (errors.length) throw validationError(errors);

  const orders = [];
  for (const g of groups.values()) {
    const order = await createRecord(ctx, 'purchase_orders', {
      supplier_id: g.supplierId,
      warehouse_id: g.warehouseId,
      currency: g.currency,
    });
    const lines = [];
    for (const l of g.lines)
      lines.push(
        await createRecord(ctx, 'purchase_order_lines', {
          order_id: order.id,
          product_id: l.productId,
          quantity: qty(l.quantity),
          unit_price: { amount_minor: Number(l.price.minor), currency: l.price.currency },
        }),
      );
    orders.push({ id: order.id, lines });
  }
  // The orders' totals are brought up to date before they are shown.
  await flushRollups(ctx);
  const object = ctx.k.meta.get('purchase_orders');
  const data = [];
  for (const o of orders) data.push({ ...(await loadRecord(ctx, object, o.id)), lines: o.lines });
  return { data };
}

export const reorderFlow: Flow = {
  name: 'reorder',
  async routes(app) {
    app.get('/api/v1/stock/reorder', async (request) =>
      reorderList(readContext(request), request.query),
    );
    app.post('/api/v1/stock/reorder/purchase-orders', async (request, reply) =>
      idempotentWrite(request, reply, 201, (ctx) => draftReorders(ctx, request.body)),
    );
  },
};
