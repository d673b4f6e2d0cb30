import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Kontor } from '../kontor';
import { minorDigits, scaledToDecimal } from '../metadata/money';

/**
 * A business document (quote, sales order, purchase order) as a PDF. It takes plain data; the
 * modules map their records to it. Labels are in the reader's language (English or Ukrainian),
 * numbers and money in the reader's locale. Text is set in DejaVu Sans, embedded, so Cyrillic
 * and accented names print.
 */

export type PdfLocale = 'en' | 'uk';
export type PdfKind = 'quote' | 'sales_order' | 'purchase_order';

export interface PdfParty {
  name: string;
  /** Address and contact lines, printed under the name. */
  details: string[];
}

export interface PdfLine {
  position: number | null;
  description: string;
  /** A decimal as the API gives it ("12.500"), in the line's unit. */
  quantity: string;
  unit: string | null;
  unitPriceMinor: bigint | null;
  /** Percentages in basis points (12.5 % = 1250). */
  discountBasisPoints: bigint | null;
  taxRateBasisPoints: bigint | null;
  netMinor: bigint | null;
  totalMinor: bigint | null;
}

export interface PdfDocumentData {
  kind: PdfKind;
  number: string;
  /** The status as the reader should see it (already in their language). */
  status: string;
  /** Dates as ISO dates (YYYY-MM-DD) or instants; null ones are left out. */
  dates: { label: 'date' | 'valid_until' | 'expected_date'; value: string | null }[];
  /** Our company: the seller on a quote or sales order, the buyer on a purchase order. */
  own: PdfParty;
  /** The customer or the supplier; null when the document names none. */
  counterparty: PdfParty | null;
  currency: string;
  lines: PdfLine[];
  totals: {
    netMinor: bigint | null;
    taxMinor: bigint | null;
    totalMinor: bigint | null;
    freightMinor: bigint | null;
  };
  notes: string | null;
}

/**
 * Our own company as documents print it. Kontor has no setting yet for the company's own name
 * and address, so documents say "Kontor" until there is one.
 */
export const OWN_COMPANY: PdfParty = { name: 'Kontor', details: [] };

const LABELS: Record<PdfLocale, Record<string, string>> = {
  en: {
    quote: 'Quote',
    sales_order: 'Sales order',
    purchase_order: 'Purchase order',
    status: 'Status',
    date: 'Date',
    valid_until: 'Valid until',
    expected_date: 'Expected',
    currency: 'Currency',
    seller: 'Seller',
    buyer: 'Buyer',
    customer: 'Customer',
    supplier: 'Supplier',
    none: '—',
    pos: '#',
    description: 'Description',
    quantity: 'Qty',
    unit: 'Unit',
    unit_price: 'Unit price',
    discount: 'Disc. %',
    tax_rate: 'Tax %',
    net: 'Net',
    total: 'Total',
    net_total: 'Net total',
    tax_total: 'Tax',
    lines_total: 'Total',
    freight: 'Freight',
    grand_total: 'Total with freight',
    notes: 'Notes',
    no_lines: 'No lines.',
    page: 'Page {n} of {m}',
  },
  uk: {
    quote: 'Комерційна пропозиція',
    sales_order: 'Замовлення клієнта',
    purchase_order: 'Замовлення постачальнику',
    status: 'Стан',
    date: 'Дата',
    valid_until: 'Дійсна до',
    expected_date: 'Очікується',
    currency: 'Валюта',
    seller: 'Продавець',
    buyer: 'Покупець',
    customer: 'Покупець',
    supplier: 'Постачальник',
    none: '—',
    pos: '№',
    description: 'Опис',
    quantity: 'К-сть',
    unit: 'Од.',
    unit_price: 'Ціна',
    discount: 'Знижка %',
    tax_rate: 'Податок %',
    net: 'Без податку',
    total: 'Разом',
    net_total: 'Сума без податку',
    tax_total: 'Податок',
    lines_total: 'Разом',
    freight: 'Доставка',
    grand_total: 'Разом з доставкою',
    notes: 'Примітки',
    no_lines: 'Рядків немає.',
    page: 'Сторінка {n} з {m}',
  },
};

/** The reader's locale for documents: Ukrainian for "uk", English otherwise. */
export function pdfLocale(locale: string | null | undefined): PdfLocale {
  return locale === 'uk' ? 'uk' : 'en';
}

/** A select field's option in the reader's language, from the owning module's labels. */
export function optionLabel(
  k: Kontor,
  object: string,
  field: string,
  value: string,
  locale: PdfLocale,
): string {
  if (locale !== 'en') {
    for (const m of k.modules) {
      const own = m.labels?.[locale]?.[object]?.options?.[field]?.[value];
      if (own) return own;
    }
  }
  const meta = k.meta.find(object);
  const f = meta?.fields.find((x) => x.name === field);
  const opt = (f as { options?: { value: string; label: string }[] } | undefined)?.options?.find(
    (o) => o.value === value,
  );
  return opt?.label ?? value;
}

const INTL: Record<PdfLocale, string> = { en: 'en-GB', uk: 'uk-UA' };

/** Formats a decimal string with the locale's separators (Intl formats decimal strings exactly). */
function formatDecimal(text: string, locale: PdfLocale, minFraction: number, maxFraction: number) {
  return new Intl.NumberFormat(INTL[locale], {
    minimumFractionDigits: minFraction,
    maximumFractionDigits: maxFraction,
  }).format(text as unknown as number);
}

/** Money in minor units, with the locale's separators; with the currency when `symbol`. */
export function formatMoney(
  minor: bigint,
  currency: string,
  locale: PdfLocale,
  symbol = true,
): string {
  const digits = minorDigits(currency);
  const text = scaledToDecimal(minor, digits);
  if (!symbol) return formatDecimal(text, locale, digits, digits);
  return new Intl.NumberFormat(INTL[locale], {
    style: 'currency',
    currency,
    currencyDisplay: 'code',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(text as unknown as number);
}

/** A quantity ("12.500") without trailing zeros, with the locale's separators. */
export function formatQuantity(text: string, locale: PdfLocale): string {
  return formatDecimal(text, locale, 0, 3);
}

/** Basis points as a percentage number without trailing zeros (1250 → "12.5"). */
export function formatPercent(basisPoints: bigint, locale: PdfLocale): string {
  return formatDecimal(scaledToDecimal(basisPoints, 2), locale, 0, 2);
}

/** A date (YYYY-MM-DD) or an instant in the reader's format; instants shown as their UTC date. */
export function formatDate(value: string, locale: PdfLocale): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(INTL[locale], { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}

// DejaVu Sans, from the dejavu-fonts-ttf package, read once.
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function documentFonts() {
  if (!fonts) {
    const file = (name: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
    fonts = { regular: file('DejaVuSans.ttf'), bold: file('DejaVuSans-Bold.ttf') };
  }
  return fonts;
}

// A4 in points, and the layout of the lines table.
const MARGIN = 40;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const FOOTER_H = 24;
const BOTTOM = PAGE_H - MARGIN - FOOTER_H;
const TABLE_SIZE = 8;
const CELL_PAD = 3;

interface Column {
  key: string;
  width: number;
  align: 'left' | 'right';
}
const COLUMNS: Column[] = [
  { key: 'pos', width: 24, align: 'right' },
  { key: 'description', width: 127, align: 'left' },
  { key: 'quantity', width: 52, align: 'right' },
  { key: 'unit', width: 32, align: 'left' },
  { key: 'unit_price', width: 64, align: 'right' },
  { key: 'discount', width: 42, align: 'right' },
  { key: 'tax_rate', width: 46, align: 'right' },
  { key: 'net', width: 64, align: 'right' },
  { key: 'total', width: 64, align: 'right' },
];

/** Renders the document; resolves to the PDF's bytes. */
export async function renderDocumentPdf(data: PdfDocumentData, locale: PdfLocale): Promise<Buffer> {
  const t = (key: string) => LABELS[locale][key] ?? key;
  const { regular, bold } = documentFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_H },
    bufferPages: true,
    info: { Title: `${t(data.kind)} ${data.number}`, Producer: 'Kontor', Creator: 'Kontor' },
  });
  doc.registerFont('body', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const money = (v: bigint | null, symbol = false) =>
    v === null ? '' : formatMoney(v, data.currency, locale, symbol);

  // Title, number and status.
  let y = MARGIN;
  doc.font('bold').fontSize(18).fillColor('#000');
  doc.text(`${t(data.kind)} ${data.number}`, MARGIN, y, { width: CONTENT_W });
  y = doc.y + 4;
  doc.font('body').fontSize(10);
  const facts: [string, string][] = [[t('status'), data.status]];
  for (const d of data.dates) if (d.value) facts.push([t(d.label), formatDate(d.value, locale)]);
  facts.push([t('currency'), data.currency]);
  for (const [label, value] of facts) {
    doc.font('bold').text(`${label}: `, MARGIN, y, { continued: true });
    doc.font('body').text(value);
    y = doc.y + 1;
  }
  y += 10;

  // The two parties side by side.
  const ours = data.kind === 'purchase_order' ? t('buyer') : t('seller');
  const theirs = data.kind === 'purchase_order' ? t('supplier') : t('customer');
  const half = (CONTENT_W - 20) / 2;
  const party = (heading: string, p: PdfParty | null, x: number) => {
    doc.font('bold').fontSize(9).fillColor('#555').text(heading, x, y, {
      width: half,
    });
    doc
      .fillColor('#000')
      .fontSize(11)
      .text(p?.name ?? t('none'), x, doc.y + 2, { width: half });
    doc.font('body').fontSize(9);
    for (const line of p?.details ?? []) doc.text(line, x, doc.y, { width: half });
    return doc.y;
  };
  const leftEnd = party(ours, data.own, MARGIN);
  const rightEnd = party(theirs, data.counterparty, MARGIN + half + 20);
  y = Math.max(leftEnd, rightEnd) + 16;

  // The lines table; its header repeats on every page it continues on.
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(TABLE_SIZE);
    let h = 0;
    cells.forEach((text, i) => {
      h = Math.max(h, doc.heightOfString(text || ' ', { width: COLUMNS[i].width - 2 * CELL_PAD }));
    });
    return h + 2 * CELL_PAD;
  };
  const drawRow = (cells: string[], font: string, header: boolean) => {
    const h = rowHeight(cells, font);
    if (header) doc.rect(MARGIN, y, CONTENT_W, h).fill('#e8e8e8');
    doc.fillColor('#000').font(font).fontSize(TABLE_SIZE);
    let x = MARGIN;
    cells.forEach((text, i) => {
      const c = COLUMNS[i];
      doc.text(text, x + CELL_PAD, y + CELL_PAD, {
        width: c.width - 2 * CELL_PAD,
        align: c.align,
        lineBreak: true,
      });
      x += c.width;
    });
    y += h;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + CONTENT_W, y)
      .lineWidth(0.5)
      .strokeColor('#bbb')
      .stroke();
  };
  const headerCells = COLUMNS.map((c) => t(c.key));
  const newPage = () => {
    doc.addPage();
    y = MARGIN;
  };

  drawRow(headerCells, 'bold', true);
  if (data.lines.length === 0) {
    doc
      .font('body')
      .fontSize(9)
      .text(t('no_lines'), MARGIN + CELL_PAD, y + CELL_PAD);
    y = doc.y + CELL_PAD;
  }
  data.lines.forEach((l, i) => {
    const cells = [
      String(l.position ?? i + 1),
      l.description,
      formatQuantity(l.quantity, locale),
      l.unit ?? '',
      money(l.unitPriceMinor),
      l.discountBasisPoints ? formatPercent(l.discountBasisPoints, locale) : '',
      l.taxRateBasisPoints !== null ? formatPercent(l.taxRateBasisPoints, locale) : '',
      money(l.netMinor),
      money(l.totalMinor),
    ];
    if (y + rowHeight(cells, 'body') > BOTTOM) {
      newPage();
      drawRow(headerCells, 'bold', true);
    }
    drawRow(cells, 'body', false);
  });

  // Totals, right-aligned under the table.
  const totals: [string, string, boolean][] = [
    [t('net_total'), money(data.totals.netMinor, true), false],
    [t('tax_total'), money(data.totals.taxMinor, true), false],
    [t('lines_total'), money(data.totals.totalMinor, true), data.totals.freightMinor === null],
  ];
  if (data.totals.freightMinor !== null) {
    totals.push([t('freight'), money(data.totals.freightMinor, true), false]);
    const grand =
      data.totals.totalMinor === null
        ? data.totals.freightMinor
        : data.totals.totalMinor + data.totals.freightMinor;
    totals.push([t('grand_total'), money(grand, true), true]);
  }
  const totalsH = totals.length * 15 + 12;
  if (y + totalsH > BOTTOM) newPage();
  y += 10;
  // The amounts column is as wide as the widest amount, so a large one stays on one line.
  const labelW = 140;
  const style = (strong: boolean) => doc.font(strong ? 'bold' : 'body').fontSize(strong ? 11 : 10);
  let valueW = 110;
  for (const [, value, strong] of totals)
    valueW = Math.max(valueW, style(strong).widthOfString(value || t('none')) + 2);
  valueW = Math.min(valueW, CONTENT_W - labelW);
  const labelX = MARGIN + CONTENT_W - labelW - valueW;
  for (const [label, value, strong] of totals) {
    style(strong);
    const h = Math.max(
      doc.heightOfString(label, { width: labelW }),
      doc.heightOfString(value || t('none'), { width: valueW }),
    );
    doc.text(label, labelX, y, { width: labelW });
    doc.text(value || t('none'), labelX + labelW, y, { width: valueW, align: 'right' });
    y += Math.max(15, h + 3);
  }

  // Notes, which may run onto further pages.
  if (data.notes && data.notes.trim()) {
    y += 12;
    if (y + 40 > BOTTOM) newPage();
    doc.font('bold').fontSize(10).text(t('notes'), MARGIN, y, { width: CONTENT_W });
    doc.font('body').fontSize(9);
    for (const para of data.notes.split(/\r?\n/)) {
      const h = doc.heightOfString(para || ' ', { width: CONTENT_W });
      if (doc.y + Math.min(h, 40) > BOTTOM) {
        newPage();
        doc.y = MARGIN;
      }
      doc.text(para || ' ', MARGIN, doc.y, { width: CONTENT_W });
    }
  }

  // Page numbers, drawn in the bottom margin of every page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('body')
      .fontSize(8)
      .fillColor('#555')
      .text(
        `${data.number} · ${t('page')
          .replace('{n}', String(i + 1))
          .replace('{m}', String(range.count))}`,
        MARGIN,
        PAGE_H - MARGIN - 10,
        { width: CONTENT_W, align: 'right', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
