import type { RecordContext } from '../core/kontor';
import { scaledToDecimal } from '../core/metadata/money';
import { createRecord } from '../core/records/write';
import { postStock } from '../modules/inventory/ledger';
import { confirmOrder as confirmPurchase } from './purchasing-stock';
import { confirmOrder, shipOrder } from './sales-stock';

type Row = Record<string, string | null>;

const CURRENCY = 'USD';
/** Before the first Northwind order (1996-07-04): when the opening stock is counted. */
const OPENING_AT = '1996-07-01T00:00:00.000Z';
/** The day after the last order in the files: when the open purchase orders were placed. */
const PURCHASES_ON = '1998-05-07';

export interface OperationsReport {
  warehouses: number;
  opening_units: number;
  sales_orders: number;
  shipped_orders: number;
  purchase_orders: number;
  supplier_prices: number;
  reorder_points: number;
  kits: number;
}

export interface NorthwindIds {
  products: Map<string, string>;
  suppliers: Map<string, string>;
  customers: Map<string, { id: string; contact: string | null; name: string }>;
  deals: Map<string, string>;
  users: Map<string, string>;
}

function instant(ts: string): string {
  return `${ts.slice(0, 10)}T${ts.slice(11, 19) || '00:00:00'}.000Z`;
}

/** "0.15" (a fraction) as a percentage with two decimals, exactly: "15.00". */
function percent(fraction: string | null): string {
  const [whole, frac = ''] = (fraction ?? '0').split('.');
  const basisPoints = BigInt(whole + frac.padEnd(4, '0').slice(0, 4));
  return scaledToDecimal(basisPoints, 2);
}

/**
 * Northwind's operations: a main warehouse; an opening stock chosen so that, once every
 * shipped order has gone out, each product has exactly its `unitsInStock` on hand; every order
 * a sales order with its lines, linked to its won deal, shipped on its shipped date (or, with
 * none, confirmed and holding what stock is left, the rest backordered); `unitsOnOrder` as
 * confirmed purchase orders to each supplier; `reorderLevel` as reorder points; and one kit.
 * The files record no costs, so stock is valued at the list price (`unitPrice`), and suppliers'
 * prices and purchase orders take the same.
 */
export async function importOperations(
  ctx: RecordContext,
  files: { products: Row[]; orders: Row[]; details: Row[] },
  ids: NorthwindIds,
): Promise<OperationsReport> {
  const report: OperationsReport = {
    warehouses: 0,
    opening_units: 0,
    sales_orders: 0,
    shipped_orders: 0,
    purchase_orders: 0,
    supplier_prices: 0,
    reorder_points: 0,
    kits: 0,
  };
  const warehouse = await createRecord(ctx, 'warehouses', {
    name: 'Main warehouse',
    code: 'MAIN',
    city: 'Seattle',
    country: 'USA',
    description: 'Northwind Traders’ warehouse: the opening stock and every order go through it.',
  });
  report.warehouses++;

  const shippedOrders = new Set(files.orders.filter((o) => o.shippedDate).map((o) => o.orderID));
  const shippedUnits = new Map<string, bigint>();
  const linesByOrder = new Map<string, Row[]>();
  for (const d of files.details) {
    linesByOrder.set(d.orderID!, [...(linesByOrder.get(d.orderID!) ?? []), d]);
    if (shippedOrders.has(d.orderID))
      shippedUnits.set(
        d.productID!,
        (shippedUnits.get(d.productID!) ?? 0n) + BigInt(d.quantity ?? '0'),
      );
  }

  // Opening stock: what is in stock now plus what the shipped orders took out since.
  const legs = files.products
    .map((p) => {
      const units = BigInt(p.unitsInStock ?? '0') + (shippedUnits.get(p.productID!) ?? 0n);
      const [whole, frac = ''] = (p.unitPrice ?? '0').split('.');
      return {
        productId: ids.products.get(p.productID!)!,
        warehouseId: warehouse.id,
        quantity: units * 1000n,
        unitCostMinor: BigInt(whole + frac.padEnd(2, '0').slice(0, 2)),
        currency: CURRENCY,
      };
    })
    .filter((l) => l.productId && l.quantity > 0n);
  await postStock(ctx, 'receipt', legs, {
    note: 'Opening stock (Northwind), valued at list price',
    occurredAt: OPENING_AT,
  });
  report.opening_units = Number(legs.reduce((sum, l) => sum + l.quantity, 0n) / 1000n);

  // Orders in date order: the shipped ones first (the stock was there for them), then the open
  // ones, which hold what is left.
  const ordered = [...files.orders].sort(
    (a, b) =>
      Number(!a.shippedDate) - Number(!b.shippedDate) ||
      String(a.orderDate).localeCompare(String(b.orderDate)) ||
      Number(a.orderID) - Number(b.orderID),
  );
  for (const o of ordered) {
    const customer = ids.customers.get(o.customerID ?? '');
    const deal = ids.deals.get(o.orderID!);
    if (!customer || !deal) continue;
    const order = await createRecord(ctx, 'sales_orders', {
      company_id: customer.id,
      contact_id: customer.contact,
      deal_id: deal,
      warehouse_id: warehouse.id,
      currency: CURRENCY,
      order_date: o.orderDate!.slice(0, 10),
      freight: o.freight ? { amount: o.freight, currency: CURRENCY } : null,
      owner_id: ids.users.get(o.employeeID ?? '') ?? null,
      notes: `Northwind order ${o.orderID}; ship to ${[o.shipName, o.shipCity, o.shipCountry].filter(Boolean).join(', ')}.`,
    });
    for (const [i, l] of (linesByOrder.get(o.orderID!) ?? []).entries())
      await createRecord(ctx, 'sales_order_lines', {
        order_id: order.id,
        position: i + 1,
        product_id: ids.products.get(l.productID!),
        quantity: l.quantity,
        unit_price: { amount: l.unitPrice, currency: CURRENCY },
        discount: percent(l.discount),
      });
    report.sales_orders++;
    await confirmOrder(ctx, order.id, { backorder: !o.shippedDate });
    if (o.shippedDate) {
      await shipOrder(ctx, order.id, { shipped_at: instant(o.shippedDate) });
      report.shipped_orders++;
    }
  }

  // What each supplier sells, at the list price (the files keep no purchase prices): what the
  // reorder screen drafts purchase orders at.
  for (const p of files.products) {
    if (!p.supplierID || p.discontinued === '1') continue;
    await createRecord(ctx, 'supplier_prices', {
      supplier_id: ids.suppliers.get(p.supplierID),
      product_id: ids.products.get(p.productID!),
      price: { amount: p.unitPrice, currency: CURRENCY },
    });
    report.supplier_prices++;
  }

  // What is on order: one confirmed purchase order per supplier.
  const onOrder = new Map<string, Row[]>();
  for (const p of files.products)
    if (Number(p.unitsOnOrder ?? '0') > 0 && p.supplierID)
      onOrder.set(p.supplierID, [...(onOrder.get(p.supplierID) ?? []), p]);
  for (const [supplier, products] of onOrder) {
    const po = await createRecord(ctx, 'purchase_orders', {
      supplier_id: ids.suppliers.get(supplier),
      warehouse_id: warehouse.id,
      currency: CURRENCY,
      order_date: PURCHASES_ON,
      notes:
        'Units on order in the Northwind files, priced at list price (the files keep no costs).',
    });
    for (const [i, p] of products.entries())
      await createRecord(ctx, 'purchase_order_lines', {
        order_id: po.id,
        position: i + 1,
        product_id: ids.products.get(p.productID!),
        quantity: p.unitsOnOrder,
        unit_price: { amount: p.unitPrice, currency: CURRENCY },
      });
    await confirmPurchase(ctx, po.id);
    report.purchase_orders++;
  }

  for (const p of files.products) {
    if (Number(p.reorderLevel ?? '0') <= 0) continue;
    await createRecord(ctx, 'reorder_points', {
      product_id: ids.products.get(p.productID!),
      warehouse_id: warehouse.id,
      min_quantity: p.reorderLevel,
      reorder_quantity: p.reorderLevel,
    });
    report.reorder_points++;
  }

  // One kit, the demo's own: assembled by a production order from three Northwind products.
  const kit = await createRecord(ctx, 'products', {
    name: 'Tea time gift basket',
    sku: 'NW-KIT-0001',
    kind: 'kit',
    price: { amount: '49.00', currency: CURRENCY },
    description:
      'A demo kit (not in the Northwind files): two Teatime Chocolate Biscuits, one Grandma’s Boysenberry Spread, one Chocolade.',
  });
  for (const [productID, quantity] of [
    ['19', '2'],
    ['6', '1'],
    ['48', '1'],
  ] as const)
    await createRecord(ctx, 'kit_components', {
      kit_id: kit.id,
      component_id: ids.products.get(productID),
      quantity,
    });
  report.kits++;
  return report;
}
