import { AppError, type ErrorDetail } from '../core/errors';
import type { Flow, RecordContext } from '../core/kontor';
import { createRecord } from '../core/records/write';
import type { AutomationAction, StepEnv } from '../modules/automation/actions';
import { ACTIONS_EXTENSION } from '../modules/automation/actions';
import { activeBomId } from '../modules/production/explode';
import { productionShortages } from './production-stock';
import { draftReorders } from './reorder';

const OPEN_ORDER = ['draft', 'confirmed', 'partly_shipped'];

/**
 * A won deal's production and purchasing, for the reference process: a draft production order
 * for each line of the deal's open sales orders whose product is made (it has an active bill of
 * materials, or it is a kit), and draft purchase orders, one per supplier, for the components
 * those orders are short of. A line already planned for the deal is not planned again, so a run
 * that repeats the step changes nothing. Components without a supplier or price are listed in
 * the output, not fatal: purchasing sees them on its task.
 */
export async function planProduction(ctx: RecordContext, dealId: string) {
  const orders = ctx.k.meta.get('sales_orders');
  const lines = ctx.k.meta.get('sales_order_lines');
  const products = ctx.k.meta.get('products');
  const production = ctx.k.meta.get('production_orders');
  const rows = await ctx.db
    .selectFrom(`${lines.table} as l`)
    .innerJoin(`${orders.table} as o`, 'o.id', 'l.order_id')
    .innerJoin(`${products.table} as p`, 'p.id', 'l.product_id')
    .select([
      'l.id as line_id',
      'l.product_id',
      'l.base_quantity',
      'o.id as order_id',
      'o.warehouse_id',
      'p.kind',
    ])
    .where('o.deal_id', '=', dealId)
    .where('o.status', 'in', OPEN_ORDER)
    .where('o.deleted_at', 'is', null)
    .where('l.deleted_at', 'is', null)
    .orderBy('o.id')
    .orderBy('l.id')
    .execute();
  const planned = await ctx.db
    .selectFrom(production.table)
    .select(['sales_order_id', 'product_id'])
    .where('deal_id', '=', dealId)
    .where('deleted_at', 'is', null)
    .execute();
  const done = new Set(planned.map((p) => `${p.sales_order_id}|${p.product_id}`));
  const productionOrders: string[] = [];
  const skipped: { product_id: string; reason: string }[] = [];
  for (const r of rows) {
    const productId = r.product_id as string;
    if (done.has(`${r.order_id}|${productId}`)) continue;
    const made = r.kind === 'kit' || (await activeBomId(ctx, productId)) !== null;
    if (!made) continue;
    if (!r.warehouse_id) {
      skipped.push({ product_id: productId, reason: `sales order ${r.order_id} has no warehouse` });
      continue;
    }
    const po = await createRecord(ctx, 'production_orders', {
      product_id: productId,
      quantity: String(r.base_quantity),
      warehouse_id: r.warehouse_id,
      sales_order_id: r.order_id,
      deal_id: dealId,
    });
    done.add(`${r.order_id}|${productId}`);
    productionOrders.push(po.id);
  }

  // What the new orders are short of, summed per component and warehouse.
  const short = new Map<string, { product_id: string; warehouse_id: string; quantity: number }>();
  for (const id of productionOrders) {
    const s = await productionShortages(ctx, id);
    for (const d of s.data) {
      const q = Number(d.short);
      if (!(q > 0)) continue;
      const key = `${d.component_id}|${s.warehouse_id}`;
      const cur = short.get(key) ?? {
        product_id: d.component_id,
        warehouse_id: s.warehouse_id,
        quantity: 0,
      };
      cur.quantity += q;
      short.set(key, cur);
    }
  }
  let items = [...short.values()].map((x) => ({ ...x, quantity: x.quantity.toFixed(3) }));
  let purchaseOrders: string[] = [];
  // Items that cannot be bought (no supplier or price) are set aside and reported.
  for (let round = 0; items.length && round < 2; round++) {
    try {
      const drafted = await draftReorders(ctx, { items });
      purchaseOrders = drafted.data.map((o) => o.id as string);
      break;
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'validation') throw err;
      const bad = new Set(
        err.errors
          .map((e: ErrorDetail) => /^items\[(\d+)\]/.exec(e.path)?.[1])
          .filter((x): x is string => x !== undefined)
          .map(Number),
      );
      for (const e of err.errors) {
        const i = /^items\[(\d+)\]/.exec(e.path)?.[1];
        if (i !== undefined)
          skipped.push({ product_id: items[Number(i)]!.product_id, reason: e.message });
      }
      if (bad.size === 0) throw err;
      items = items.filter((_, i) => !bad.has(i));
    }
  }
  return { production_order_ids: productionOrders, purchase_order_ids: purchaseOrders, skipped };
}

const planProductionAction: AutomationAction = {
  label: 'Plan production and purchasing for a won deal',
  settings: [],
  validate(_settings, where) {
    return where.object === 'deals'
      ? []
      : [{ path: '', message: 'plans production for a deal: the trigger must be on deals' }];
  },
  async run(ctx: RecordContext, _settings, env: StepEnv) {
    if (!env.record) throw new AppError('validation', 'this run has no deal');
    return { status: 'done', output: await planProduction(ctx, env.record.id) };
  },
};

/** Process steps that reach into production and purchasing. */
export const automationOperationsFlow: Flow = {
  name: 'automation-operations',
  extensions: { [ACTIONS_EXTENSION]: { plan_production: planProductionAction } },
};
