import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Actor } from '../core/actor';
import { createUser, teamIdByName } from '../core/auth/users';
import { AppError } from '../core/errors';
import { inTransaction, type Kontor } from '../core/kontor';
import { decimalToScaled, roundHalfEven } from '../core/metadata/money';
import { createRecord } from '../core/records/write';
import { importOperations, type OperationsReport } from './northwind-operations';
import { installReferenceProcess } from './reference-process';

/**
 * The Northwind demo company, imported through the same record rules as any API call:
 * customers and suppliers become companies with their contacts, employees become users of the
 * sales team, categories and products become the catalog, every order a won deal and a sales
 * order, and the stock, what is on order and the reorder levels go to a main warehouse.
 */

type Row = Record<string, string | null>;

export interface DemoReport {
  companies: number;
  contacts: number;
  users: number;
  products: number;
  categories: number;
  deals: number;
  /** The warehouse, stock, sales and purchase orders, reorder points and the demo kit. */
  operations?: OperationsReport;
  /** The processes installed with the demo (the reference process). */
  processes?: string[];
  /** What has no place in the CRM yet, by file, line and column. */
  not_imported: { file: string; line: number | null; column: string; reason: string }[];
  /** Values read despite a flaw in the file, by file, line and column. */
  repaired: { file: string; line: number | null; column: string; reason: string }[];
}

const CURRENCY = 'USD';

/**
 * Some rows of the published files hold an address or name with an unquoted comma
 * ("24, place Kléber"), which splits it into two values. The piece after such a comma starts
 * with a space, so it is joined back onto the value before it; each repair is reported.
 */
export function repairUnquotedCommas(
  width: number,
  cells: string[],
): { cells: string[]; joined: number[] } | null {
  const out = [...cells];
  const joined: number[] = [];
  for (let i = 1; i < out.length && out.length > width;) {
    if (out[i].startsWith(' ') && !out[i - 1].startsWith(' ')) {
      out.splice(i - 1, 2, `${out[i - 1]},${out[i]}`);
      joined.push(i - 1);
    } else i++;
  }
  return out.length === width ? { cells: out, joined } : null;
}

function readCsv(
  dir: string,
  file: string,
  skip: (file: string, column: string, reason: string, line: number | null) => void,
): Row[] {
  const text = readFileSync(join(dir, file), 'utf8').replace(/^\uFEFF/, '');
  const records = parse(text, {
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...body] = records;
  const headers = head.record;
  const rows: Row[] = [];
  for (const { record, info } of body) {
    let cells = record;
    if (cells.length !== headers.length) {
      const repaired = repairUnquotedCommas(headers.length, cells);
      if (!repaired) {
        skip(
          file,
          '*',
          `the line has ${cells.length} values for ${headers.length} columns and was left out`,
          info.lines,
        );
        continue;
      }
      cells = repaired.cells;
      for (const i of repaired.joined) {
        skip(
          file,
          headers[i],
          `an unquoted comma split "${cells[i]}"; it was read as one value`,
          info.lines,
        );
      }
    }
    // The files write a missing value as NULL.
    rows.push(
      Object.fromEntries(
        headers.map((h, i) => [h, cells[i] === 'NULL' || cells[i] === '' ? null : cells[i]]),
      ),
    );
  }
  return rows;
}

function splitName(full: string | null): { first_name: string | null; last_name: string | null } {
  if (!full) return { first_name: null, last_name: null };
  const parts = full.trim().split(/\s+/);
  if (parts.length === 1) return { first_name: null, last_name: parts[0] };
  return { first_name: parts.slice(0, -1).join(' '), last_name: parts[parts.length - 1] };
}

function date(ts: string | null): string | null {
  return ts ? ts.slice(0, 10) : null;
}

function instant(ts: string | null): string | null {
  return ts ? `${ts.slice(0, 10)}T${ts.slice(11, 19) || '00:00:00'}.000Z` : null;
}

/** An Access hyperlink "text#address#" as a web address, or null when it holds none. */
function homePageUrl(v: string | null): string | null {
  if (!v) return null;
  const parts = v.split('#');
  const url = parts.find((p) => /^https?:\/\//.test(p));
  return url ?? null;
}

/**
 * An order's amount in cents: the exact sum of unit price x quantity x (1 - discount) over its
 * lines, rounded once, half to even. Prices have two decimals and discounts up to four, so the
 * sum is exact in units of 1/10,000 cent before that single rounding.
 */
export function orderAmountMinor(
  lines: { unitPrice: string; quantity: string; discount: string }[],
): number {
  const SCALE = 10_000n;
  let total = 0n;
  for (const l of lines) {
    const price = decimalToScaled(l.unitPrice, 2);
    const discount = decimalToScaled(l.discount, 4);
    if (typeof price === 'string' || typeof discount === 'string')
      throw new Error(`bad order line ${JSON.stringify(l)}`);
    total += price * BigInt(l.quantity) * (SCALE - discount);
  }
  return Number(roundHalfEven(total, SCALE));
}

export async function northwindImported(k: Kontor): Promise<boolean> {
  const row = await k.database.db
    .selectFrom('companies')
    .select('id')
    .where('external_ref', '=', 'northwind:customer:ALFKI')
    .executeTakeFirst();
  return !!row;
}

export async function importNorthwind(k: Kontor, actor: Actor, dir: string): Promise<DemoReport> {
  if (await northwindImported(k)) {
    throw new AppError('conflict', 'The Northwind company is already in this database');
  }
  const report: DemoReport = {
    companies: 0,
    contacts: 0,
    users: 0,
    products: 0,
    categories: 0,
    deals: 0,
    not_imported: [],
    repaired: [],
  };
  const skip = (file: string, column: string, reason: string, line: number | null = null) =>
    report.not_imported.push({ file, line, column, reason });
  const repaired = (file: string, column: string, reason: string, line: number | null = null) =>
    report.repaired.push({ file, line, column, reason });
  const read = (f: string) =>
    readCsv(dir, f, (file, column, reason, line) =>
      (column === '*' ? skip : repaired)(file, column, reason, line),
    );
  const customers = read('customers.csv');
  const suppliers = read('suppliers.csv');
  const employees = read('employees.csv');
  const categories = read('categories.csv');
  const products = read('products.csv');
  const orders = read('orders.csv');
  const details = read('order-details.csv');
  const shippers = read('shippers.csv');

  skip('categories.csv', 'picture', 'bitmap images are not imported');
  skip('employees.csv', 'photo', 'bitmap images are not imported');
  skip('employees.csv', 'photoPath', 'the addresses point to a server that does not exist');
  skip(
    'regions.csv, territories.csv, employee-territories.csv',
    '*',
    'sales territories are not modelled yet',
  );

  await inTransaction(k, actor, async (ctx) => {
    const db = ctx.db;
    const own = await createRecord(ctx, 'companies', {
      name: 'Northwind Traders',
      external_ref: 'northwind:self',
      country: 'USA',
      city: 'Seattle',
      region: 'WA',
    });
    report.companies++;

    // Employees: users in the sales team, each with a contact card at Northwind Traders.
    const team = 'Sales';
    await teamIdByName(db, ctx.k.clock, team);
    const userByEmployee = new Map<string, string>();
    for (const e of employees) {
      const manager = !e.reportsTo || employees.some((x) => x.reportsTo === e.employeeID);
      const email = `${e.firstName}.${e.lastName}@northwind.example`
        .toLowerCase()
        .replace(/\s+/g, '');
      const u = await createUser(db, ctx.k.database.dialect, ctx.k.clock, {
        email,
        name: `${e.firstName} ${e.lastName}`,
        role: manager ? 'Sales manager' : 'Sales representative',
        team,
        title: e.title ?? undefined,
        phone: e.homePhone ?? undefined,
        time_zone: e.country === 'UK' ? 'Europe/London' : 'America/Los_Angeles',
      });
      userByEmployee.set(e.employeeID!, u.id);
      report.users++;
    }
    for (const e of employees) {
      if (e.reportsTo) {
        await db
          .updateTable('users')
          .set({ manager_id: userByEmployee.get(e.reportsTo) })
          .where('id', '=', userByEmployee.get(e.employeeID!)!)
          .execute();
      }
      const notes = [
        e.hireDate ? `Hired on ${date(e.hireDate)}.` : null,
        e.extension ? `Office extension ${e.extension}.` : null,
        e.notes,
      ]
        .filter(Boolean)
        .join('\n\n');
      await createRecord(
        ctx,
        'contacts',
        {
          salutation: e.titleOfCourtesy,
          first_name: e.firstName,
          last_name: e.lastName,
          job_title: e.title,
          phone: e.homePhone,
          street: e.address,
          city: e.city,
          region: e.region,
          postal_code: e.postalCode,
          country: e.country,
          birthday: date(e.birthDate),
          company_id: own.id,
          external_ref: `northwind:employee:${e.employeeID}`,
          description: notes || null,
          owner_id: userByEmployee.get(e.employeeID!),
        },
        { allowDuplicates: true },
      );
      report.contacts++;
    }

    const companyByCustomer = new Map<
      string,
      { id: string; contact: string | null; name: string }
    >();
    const addCompany = async (r: Row, kind: 'customer' | 'supplier', ref: string) => {
      const url = kind === 'supplier' ? homePageUrl(r.homePage) : null;
      const homeNote =
        kind === 'supplier' && r.homePage && !url ? `Home page: ${r.homePage}` : null;
      const company = await createRecord(ctx, 'companies', {
        name: r.companyName,
        phone: r.phone,
        fax: r.fax,
        street: r.address,
        city: r.city,
        region: r.region,
        postal_code: r.postalCode,
        country: r.country,
        website: url,
        is_supplier: kind === 'supplier',
        is_customer: kind === 'customer',
        external_ref: ref,
        description: homeNote,
      });
      report.companies++;
      let contactId: string | null = null;
      if (r.contactName) {
        const c = await createRecord(
          ctx,
          'contacts',
          {
            ...splitName(r.contactName),
            job_title: r.contactTitle,
            phone: r.phone,
            country: r.country,
            city: r.city,
            company_id: company.id,
            external_ref: `${ref}:contact`,
          },
          { allowDuplicates: true },
        );
        contactId = c.id;
        report.contacts++;
      }
      return { id: company.id, contact: contactId, name: String(r.companyName) };
    };
    for (const c of customers)
      companyByCustomer.set(
        c.customerID!,
        await addCompany(c, 'customer', `northwind:customer:${c.customerID}`),
      );
    const supplierCompany = new Map<string, string>();
    for (const s of suppliers)
      supplierCompany.set(
        s.supplierID!,
        (await addCompany(s, 'supplier', `northwind:supplier:${s.supplierID}`)).id,
      );

    const categoryId = new Map<string, string>();
    for (const c of categories) {
      const rec = await createRecord(ctx, 'product_categories', {
        name: c.categoryName,
        description: c.description,
      });
      categoryId.set(c.categoryID!, rec.id);
      report.categories++;
    }
    const productId = new Map<string, string>();
    for (const p of products) {
      const product = await createRecord(ctx, 'products', {
        name: p.productName,
        sku: `NW-${p.productID!.padStart(4, '0')}`,
        kind: 'goods',
        unit: p.quantityPerUnit,
        price: { amount: p.unitPrice, currency: CURRENCY },
        category_id: categoryId.get(p.categoryID ?? '') ?? null,
        supplier_id: supplierCompany.get(p.supplierID ?? '') ?? null,
        is_active: p.discontinued !== '1',
        is_discontinued: p.discontinued === '1',
        external_ref: `northwind:product:${p.productID}`,
      });
      productId.set(p.productID!, product.id);
      report.products++;
    }

    // Orders: won deals in the default pipeline, closed on their order date.
    const won = (await db
      .selectFrom('stages')
      .innerJoin('pipelines', 'pipelines.id', 'stages.pipeline_id')
      .select(['stages.id', 'stages.pipeline_id'])
      .where('stages.kind', '=', 'won')
      .where(sql.ref('stages.deleted_at'), 'is', null)
      .orderBy(
        sql`case when pipelines.is_default = ${ctx.k.database.dialect === 'postgres' ? sql`true` : sql`1`} then 0 else 1 end`,
      )
      .orderBy('stages.position')
      .executeTakeFirst()) as { id: string; pipeline_id: string } | undefined;
    if (!won) throw new AppError('conflict', 'No pipeline has a won stage to put the orders in');
    const linesByOrder = new Map<string, Row[]>();
    for (const d of details)
      linesByOrder.set(d.orderID!, [...(linesByOrder.get(d.orderID!) ?? []), d]);
    const shipperName = new Map(shippers.map((s) => [s.shipperID, s.companyName]));
    const dealId = new Map<string, string>();
    for (const [i, o] of orders.entries()) {
      const customer = companyByCustomer.get(o.customerID ?? '');
      const lines = linesByOrder.get(o.orderID!) ?? [];
      if (!customer) {
        skip('orders.csv', 'customerID', `order ${o.orderID} names an unknown customer`, i + 2);
        continue;
      }
      const amount = orderAmountMinor(
        lines.map((l) => ({
          unitPrice: l.unitPrice!,
          quantity: l.quantity!,
          discount: l.discount ?? '0',
        })),
      );
      const shipTo = [
        o.shipName,
        o.shipAddress,
        [o.shipPostalCode, o.shipCity].filter(Boolean).join(' '),
        o.shipRegion,
        o.shipCountry,
      ]
        .filter(Boolean)
        .join(', ');
      const description = [
        `Northwind order ${o.orderID} with ${lines.length} line${lines.length === 1 ? '' : 's'}.`,
        `Required by ${date(o.requiredDate)}; ${o.shippedDate ? `shipped ${date(o.shippedDate)}` : 'not shipped yet'} via ${shipperName.get(o.shipVia) ?? 'unknown shipper'}, freight ${o.freight} ${CURRENCY}.`,
        `Ship to: ${shipTo}.`,
      ].join('\n');
      const deal = await createRecord(ctx, 'deals', {
        name: `Order ${o.orderID} · ${customer.name}`,
        amount: { amount_minor: amount, currency: CURRENCY },
        pipeline_id: won.pipeline_id,
        stage_id: won.id,
        closed_at: instant(o.orderDate),
        company_id: customer.id,
        contact_id: customer.contact,
        owner_id: userByEmployee.get(o.employeeID ?? '') ?? null,
        external_ref: `northwind:order:${o.orderID}`,
        description,
      });
      dealId.set(o.orderID!, deal.id);
      report.deals++;
    }
    report.operations = await importOperations(
      ctx,
      { products, orders, details },
      {
        products: productId,
        suppliers: supplierCompany,
        customers: companyByCustomer,
        deals: dealId,
        users: userByEmployee,
      },
    );
  });
  // The reference process ships with the demo: a deal moved to Won starts production, purchasing
  // and installation. Installed after the import, it does not react to the imported history.
  report.processes = (
    await installReferenceProcess(k, actor, { installer_email: DEMO_INSTALLERS })
  ).processes.map((p) => p.name);
  return report;
}

/** Where the demo's installation team gets its form links (kept in the mail log without SMTP). */
export const DEMO_INSTALLERS = 'installation@northwind.example';

export const DEFAULT_NORTHWIND_DIR = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'demo',
  'northwind',
);
