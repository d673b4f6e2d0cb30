import { describe, expect, test } from 'vitest';
import { createRecord } from '../../server/src/core/records/write';
import { DIALECTS, serverFor, type TestServer } from '../helpers';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

type Call = TestServer['call'];

/** GET a PDF with a key: status, headers and the raw bytes. */
async function fetchPdf(s: TestServer, url: string, key: string) {
  const res = await s.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload, body: res.body };
}

/** A piece of text as pdf.js extracts it: where its baseline starts, how wide and tall it is. */
interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
interface PdfPage {
  runs: TextRun[];
  /** The page's runs joined by newlines. */
  text: string;
  /** The page box: [left, bottom, right, top] in points. */
  view: number[];
}

/**
 * Reads a PDF with pdf.js, the way a viewer would: its pages and the text of each, mapped back to
 * Unicode through the embedded fonts' ToUnicode maps (so a wrong glyph mapping shows up as wrong
 * text), with each piece's position and size.
 */
async function readPdf(bytes: Buffer): Promise<PdfPage[]> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
  }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const runs: TextRun[] = [];
      for (const item of content.items)
        if ('str' in item && item.str.trim() !== '')
          runs.push({
            text: item.str,
            x: item.transform[4],
            y: item.transform[5],
            width: item.width,
            height: item.height,
          });
      pages.push({ runs, text: runs.map((r) => r.text).join('\n'), view: page.view });
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** Reads a PDF the server sent; fails unless it is a whole PDF whose text is laid out cleanly. */
async function readSent(bytes: Buffer) {
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(bytes.subarray(-7).toString('latin1')).toMatch(/%%EOF\s*$/);
  const pages = await readPdf(bytes);
  // An A4 page; every piece of text (baseline start and width) within the 40 pt margins; the
  // page footer alone at the bottom, below the rest.
  for (const page of pages) {
    const [left, bottom, right, top] = page.view;
    expect(right - left).toBeCloseTo(595.28, 1);
    expect(top - bottom).toBeCloseTo(841.89, 1);
    const footer = page.runs.filter((r) => / · /.test(r.text));
    expect(footer).toHaveLength(1);
    for (const r of page.runs) {
      expect(r.x).toBeGreaterThanOrEqual(left + 40 - 0.01);
      expect(r.x + r.width).toBeLessThanOrEqual(right - 40 + 0.01);
      expect(r.y).toBeGreaterThanOrEqual(bottom + 40);
      expect(r.y).toBeLessThanOrEqual(top - 40);
      if (r !== footer[0]) expect(r.y).toBeGreaterThan(footer[0].y + 20);
    }
    // No two pieces of text on one line overlap (a cell running into the next one).
    for (const a of page.runs)
      for (const b of page.runs) {
        if (a === b || Math.abs(a.y - b.y) >= Math.min(a.height, b.height) * 0.8) continue;
        const apart = a.x + a.width <= b.x + 0.01 || b.x + b.width <= a.x + 0.01;
        expect(apart, `"${a.text}" and "${b.text}" overlap`).toBe(true);
      }
  }
  return { pages };
}

/** A page's text with the no-break spaces of number formats as plain spaces. */
const plain = (p: PdfPage) => p.text.replace(/[\u00a0\u202f]/g, ' ');

async function made(call: Call, object: string, body: Record<string, unknown>) {
  const r = await call('POST', `/api/v1/${object}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** A customer with a Cyrillic name and an address, a product, a unit and a 20 % tax. */
async function world(call: Call) {
  const tag = Math.random().toString(36).slice(2, 8);
  const company = await made(call, 'companies', {
    name: `ТОВ «Ромашка» ${tag}`,
    street: 'вул. Хрещатик, 22',
    postal_code: '01001',
    city: 'Київ',
    country: 'Україна',
    is_supplier: true,
  });
  const unit = await made(call, 'units', { name: 'Stück', code: `st-${tag}` });
  const product = await made(call, 'products', {
    name: `Crème brûlée ${tag}`,
    kind: 'goods',
    unit_id: unit.id,
  });
  const tax = await made(call, 'taxes', { name: `VAT ${tag}`, rate: '20' });
  const warehouse = await made(call, 'warehouses', { name: `Main ${tag}` });
  return { company, unit, product, tax, warehouse };
}

describe.each(DIALECTS)('document PDFs on %s', (dialect) => {
  const s = serverFor(dialect);

  test('a quote prints its number, parties, lines and totals in English', async () => {
    const w = await world(s.call);
    const quote = await made(s.call, 'quotes', {
      currency: 'EUR',
      company_id: w.company.id,
      quote_date: '2026-03-02',
      valid_until: '2026-04-01',
      notes: 'Delivery to the office before noon (fi, ffl ligatures).',
    });
    // 3 × 1,234.56 less 12.5 % = 3,240.72 net; 20 % tax 648.14; total 3,888.86.
    await made(s.call, 'quote_lines', {
      quote_id: quote.id,
      product_id: w.product.id,
      quantity: '3',
      unit_price: eur('1234.56'),
      discount: '12.5',
      tax_id: w.tax.id,
    });
    const res = await fetchPdf(s, `/api/v1/quotes/${quote.id}/pdf`, s.adminKey);
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="${quote.number}.pdf"`);
    const pdf = await readSent(res.bytes);
    expect(pdf.pages).toHaveLength(1);
    const text = plain(pdf.pages[0]);
    for (const expected of [
      `Quote ${quote.number}`,
      'Draft',
      '2 March 2026',
      '1 April 2026',
      'Seller',
      'Kontor',
      'Customer',
      w.company.name,
      'вул. Хрещатик, 22',
      '01001 Київ',
      'Україна',
      w.product.name,
      'Stück',
      '1,234.56',
      '12.5',
      '3,240.72',
      '3,888.86',
      'EUR 3,240.72',
      'EUR 648.14',
      'EUR 3,888.86',
      'Delivery to the office before noon (fi, ffl ligatures).',
      `${quote.number} · Page 1 of 1`,
    ])
      expect(text).toContain(expected);
    // The line's row, left to right: each cell in its column, lined up under the header as the column aligns
    // (text columns on the left edge, numbers on the right); the quantity cell is exactly "3".
    const runs = pdf.pages[0].runs;
    const onLineOf = (text: string) => {
      const y = runs.find((r) => r.text === text)!.y;
      return runs.filter((r) => Math.abs(r.y - y) < 0.01).sort((a, b) => a.x - b.x);
    };
    const header = onLineOf('Description');
    const row = onLineOf(w.product.name);
    expect(header.map((r) => r.text)).toEqual([
      '#',
      'Description',
      'Qty',
      'Unit',
      'Unit price',
      'Disc. %',
      'Tax %',
      'Net',
      'Total',
    ]);
    expect(row.map((r) => r.text)).toEqual([
      '1',
      w.product.name,
      '3',
      'Stück',
      '1,234.56',
      '12.5',
      '20',
      '3,240.72',
      '3,888.86',
    ]);
    header.forEach((h, i) => {
      if (h.text === 'Description' || h.text === 'Unit')
        expect(row[i].x, `${h.text} column`).toBeCloseTo(h.x, 1);
      else expect(row[i].x + row[i].width, `${h.text} column`).toBeCloseTo(h.x + h.width, 1);
    });
    expect(text).not.toContain('Freight');
  });

  test('a sales order reads in Ukrainian for a Ukrainian reader, with freight', async () => {
    const w = await world(s.call);
    const order = await made(s.call, 'sales_orders', {
      currency: 'EUR',
      company_id: w.company.id,
      order_date: '2026-03-02',
      freight: eur('15.00'),
    });
    await made(s.call, 'sales_order_lines', {
      order_id: order.id,
      product_id: w.product.id,
      description: 'Чай «Лісові ягоди»',
      quantity: '2.5',
      unit_price: eur('1000.00'),
      tax_id: w.tax.id,
    });
    const user = await s.keyFor({
      email: `uk${Math.random()}@example.com`,
      name: 'Оксана',
      role: 'Administrator',
    });
    const patched = await s.call('PATCH', `/api/v1/users/${user.id}`, { locale: 'uk' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const res = await fetchPdf(s, `/api/v1/sales_orders/${order.id}/pdf`, user.key);
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe(`inline; filename="${order.number}.pdf"`);
    const text = plain((await readSent(res.bytes)).pages[0]);
    for (const expected of [
      `Замовлення клієнта ${order.number}`,
      'Чернетка',
      '2 березня 2026',
      'Продавець',
      'Покупець',
      w.company.name,
      'Чай «Лісові ягоди»',
      '2,5',
      '1 000,00',
      '2 500,00',
      '3 000,00',
      '2 500,00 EUR',
      '500,00 EUR',
      'Доставка',
      '15,00 EUR',
      'Разом з доставкою',
      '3 015,00 EUR',
      'Сторінка 1 з 1',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('Sales order');
    // The same order for an English reader.
    const en = plain(
      (
        await readSent(
          (await fetchPdf(s, `/api/v1/sales_orders/${order.id}/pdf`, s.adminKey)).bytes,
        )
      ).pages[0],
    );
    expect(en).toContain(`Sales order ${order.number}`);
    expect(en).toContain('EUR 3,015.00');
    expect(en).not.toContain('Замовлення клієнта');
  });

  test('a purchase order prints its supplier, base units and expected date', async () => {
    const w = await world(s.call);
    const po = await made(s.call, 'purchase_orders', {
      supplier_id: w.company.id,
      warehouse_id: w.warehouse.id,
      currency: 'EUR',
      order_date: '2026-03-02',
      expected_date: '2026-03-09',
    });
    await made(s.call, 'purchase_order_lines', {
      order_id: po.id,
      product_id: w.product.id,
      quantity: '4',
      unit_price: eur('2.50'),
      tax_id: w.tax.id,
    });
    const res = await fetchPdf(s, `/api/v1/purchase_orders/${po.id}/pdf`, s.adminKey);
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="${po.number}.pdf"`);
    const text = plain((await readSent(res.bytes)).pages[0]);
    for (const expected of [
      `Purchase order ${po.number}`,
      'Buyer',
      'Supplier',
      w.company.name,
      '9 March 2026',
      w.product.name,
      'Stück',
      '20',
      'EUR 10.00',
      'EUR 2.00',
      'EUR 12.00',
    ])
      expect(text).toContain(expected);
  });

  test('a reader sees only the documents their role lets them read', async () => {
    const w = await world(s.call);
    const others = await made(s.call, 'sales_orders', { currency: 'EUR' });
    const othersPo = await made(s.call, 'purchase_orders', {
      supplier_id: w.company.id,
      warehouse_id: w.warehouse.id,
    });
    const role = `Own orders ${Math.random()}`;
    expect(
      (
        await s.call('POST', '/api/v1/roles', {
          name: role,
          permissions: {
            objects: {
              sales_orders: { read: 'own', create: true },
              purchase_orders: { read: 'own' },
            },
          },
        })
      ).status,
    ).toBe(201);
    const user = await s.keyFor({ email: `own${Math.random()}@example.com`, name: 'O', role });
    const mine = (
      await s.app.inject({
        method: 'POST',
        url: '/api/v1/sales_orders',
        headers: { authorization: `Bearer ${user.key}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ currency: 'EUR' }),
      })
    ).json();
    const own = await fetchPdf(s, `/api/v1/sales_orders/${mine.id}/pdf`, user.key);
    expect(own.status, own.body).toBe(200);
    expect(plain((await readSent(own.bytes)).pages[0])).toContain(mine.number);
    for (const url of [
      `/api/v1/sales_orders/${others.id}/pdf`,
      `/api/v1/purchase_orders/${othersPo.id}/pdf`,
    ]) {
      const res = await fetchPdf(s, url, user.key);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // No read right on quotes at all: 403; an id that is no id: 400; an unknown one: 404.
    expect((await fetchPdf(s, `/api/v1/quotes/${crypto.randomUUID()}/pdf`, user.key)).status).toBe(
      403,
    );
    expect((await fetchPdf(s, '/api/v1/quotes/nope/pdf', s.adminKey)).status).toBe(400);
    expect(
      (await fetchPdf(s, `/api/v1/quotes/${crypto.randomUUID()}/pdf`, s.adminKey)).status,
    ).toBe(404);
    // Without a key: 401.
    const anon = await s.app.inject({ method: 'GET', url: `/api/v1/sales_orders/${mine.id}/pdf` });
    expect(anon.statusCode).toBe(401);
  });

  test('fields the reader may not read print blank', async () => {
    const w = await world(s.call);
    const order = await made(s.call, 'sales_orders', {
      currency: 'EUR',
      company_id: w.company.id,
      notes: 'Secret margin note',
    });
    await made(s.call, 'sales_order_lines', {
      order_id: order.id,
      product_id: w.product.id,
      quantity: '7',
      unit_price: eur('1234.56'),
    });
    const role = `No prices ${Math.random()}`;
    const created = await s.call('POST', '/api/v1/roles', {
      name: role,
      permissions: {
        objects: {
          sales_orders: { read: 'all', fields: { notes: 'none' } },
          sales_order_lines: { read: 'all', fields: { unit_price: 'none' } },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const user = await s.keyFor({ email: `np${Math.random()}@example.com`, name: 'N', role });
    const hidden = plain(
      (await readSent((await fetchPdf(s, `/api/v1/sales_orders/${order.id}/pdf`, user.key)).bytes))
        .pages[0],
    );
    const full = plain(
      (
        await readSent(
          (await fetchPdf(s, `/api/v1/sales_orders/${order.id}/pdf`, s.adminKey)).bytes,
        )
      ).pages[0],
    );
    for (const text of ['1,234.56', 'Secret margin note']) {
      expect(full).toContain(text);
      expect(hidden).not.toContain(text);
    }
    expect(hidden).toContain('8,641.92');
    expect(hidden).toContain(w.product.name);
  });

  test('large amounts stay on one line and clear of each other', async () => {
    const w = await world(s.call);
    const order = await made(s.call, 'sales_orders', {
      currency: 'EUR',
      company_id: w.company.id,
      freight: eur('99999999.99'),
    });
    await made(s.call, 'sales_order_lines', {
      order_id: order.id,
      product_id: w.product.id,
      quantity: '1000',
      unit_price: eur('9999999.99'),
      tax_id: w.tax.id,
    });
    // readSent fails if any two pieces of text on a line overlap.
    const text = plain(
      (
        await readSent(
          (await fetchPdf(s, `/api/v1/sales_orders/${order.id}/pdf`, s.adminKey)).bytes,
        )
      ).pages[0],
    );
    expect(text).toContain('EUR 9,999,999,990.00\n');
    expect(text).toContain('EUR 11,999,999,988.00\n');
    expect(text).toContain('EUR 12,099,999,987.99\n');
  });

  test('a 100-line order runs onto more pages, each with the table header; long text wraps', async () => {
    const w = await world(s.call);
    const order = await made(s.call, 'sales_orders', {
      currency: 'EUR',
      company_id: w.company.id,
    });
    const long =
      'Подарунковий набір «Київський» — ' +
      'a long description that must wrap onto several lines of its cell: '.repeat(4) +
      'кінець.';
    await s.asSystem(async (ctx) => {
      for (let i = 1; i <= 100; i++)
        await createRecord(
          ctx,
          'sales_order_lines',
          {
            order_id: order.id,
            product_id: w.product.id,
            description: i === 50 ? long : `Line ${i}`,
            quantity: '1',
            unit_price: eur('1.00'),
          },
          { system: true },
        );
    });
    const res = await fetchPdf(s, `/api/v1/sales_orders/${order.id}/pdf`, s.adminKey);
    expect(res.status, res.body).toBe(200);
    const pdf = await readSent(res.bytes);
    expect(pdf.pages.length).toBeGreaterThanOrEqual(2);
    const n = pdf.pages.length;
    // The position column, page by page: every line once, in order, after the header.
    const positions: number[] = [];
    pdf.pages.forEach((page, i) => {
      const texts = page.runs.map((r) => r.text);
      const header = texts.indexOf('Description');
      expect(header, `page ${i + 1} has the table header`).toBeGreaterThanOrEqual(0);
      expect(texts[header - 1]).toBe('#');
      const posX = page.runs[header - 1].x + 20;
      const onPage = page.runs.filter((r, j) => j > header && r.x < posX && /^\d+$/.test(r.text));
      expect(onPage.length, `page ${i + 1} has lines`).toBeGreaterThan(0);
      // Down the page below the header, each under the one before.
      onPage.reduce((above, r) => {
        expect(r.y, `line ${r.text} is under the one above`).toBeLessThan(above);
        return r.y;
      }, page.runs[header].y);
      positions.push(...onPage.map((r) => Number(r.text)));
      expect(plain(page)).toContain(`${order.number} · Page ${i + 1} of ${n}`);
    });
    expect(positions).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(plain(pdf.pages[0])).toContain('Line 1\n');
    expect(plain(pdf.pages[n - 1])).toContain('Line 100\n');
    expect(plain(pdf.pages[n - 1])).toContain('EUR 100.00');
    // The long description: consecutive runs in its column, on lines one under another.
    const page = pdf.pages.find((p) => p.runs.some((r) => r.text.startsWith('Подарунковий')))!;
    const first = page.runs.findIndex((r) => r.text.startsWith('Подарунковий'));
    const pieces = [];
    for (let j = first; j < page.runs.length && page.runs[j].x === page.runs[first].x; j++)
      pieces.push(page.runs[j]);
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    // pdf.js leaves out the space a line was broken at; the words are all there, in order.
    expect(pieces.map((p) => p.text).join(' ')).toBe(long);
    // One under another, each ending before the quantity column starts.
    const qty = page.runs.find((r) => r.text === 'Qty')!;
    pieces.reduce((above, p) => {
      expect(p.y).toBeLessThan(above);
      expect(p.x + p.width).toBeLessThan(qty.x);
      return p.y;
    }, Infinity);
  });

  test('the OpenAPI document lists the PDFs', async () => {
    const doc = (await s.call('GET', '/api/openapi.json')).body;
    for (const [path, id] of [
      ['/api/v1/quotes/{id}/pdf', 'quotePdf'],
      ['/api/v1/sales_orders/{id}/pdf', 'salesOrderPdf'],
      ['/api/v1/purchase_orders/{id}/pdf', 'purchaseOrderPdf'],
    ]) {
      expect(doc.paths[path]?.get?.operationId).toBe(id);
      expect(doc.paths[path].get.responses['200'].content['application/pdf']).toBeDefined();
    }
  });
});
