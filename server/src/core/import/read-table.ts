import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { extname } from 'node:path';
import { AppError } from '../errors';

/** A file read as a table: its header and rows of text, with the line each row started on. */
export interface Table {
  headers: string[];
  rows: { line: number; cells: string[] }[];
  warnings: string[];
}

export interface ReadOptions {
  encoding?: string;
  delimiter?: string;
  sheet?: string;
}

export const MAX_IMPORT_ROWS = 1_000_000;

/** Text of a CSV file: BOMs honoured, UTF-8 by default, windows-1252 when it is not UTF-8. */
export function decodeText(buf: Buffer, encoding: string | undefined, warnings: string[]): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf16be');
  if (encoding) {
    if (!iconv.encodingExists(encoding)) {
      throw new AppError('validation', `Unknown encoding "${encoding}"`, [
        { path: 'encoding', message: 'is not a known encoding' },
      ]);
    }
    return iconv.decode(buf, encoding);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    warnings.push(
      'The file is not valid UTF-8; it was read as windows-1252. Pass an encoding if that is wrong.',
    );
    return iconv.decode(buf, 'windows-1252');
  }
}

/** The delimiter among , ; and tab that occurs most in the header line (outside quotes). */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][1] > 0
    ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0]
    : ',';
}

function readCsv(buf: Buffer, opts: ReadOptions): Table {
  const warnings: string[] = [];
  const text = decodeText(buf, opts.encoding, warnings).normalize('NFC');
  const delimiter = opts.delimiter === 'tab' ? '\t' : (opts.delimiter ?? detectDelimiter(text));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_quotes: false,
      max_record_size: 1_000_000,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new AppError('validation', `The CSV file cannot be read: ${e.message}`, [
      { path: e.lines ? `line ${e.lines}` : 'file', message: e.message },
    ]);
  }
  if (records.length === 0)
    throw new AppError('validation', 'The file is empty', [
      { path: 'file', message: 'has no header row' },
    ]);
  const [head, ...body] = records;
  return {
    headers: head.record.map((h) => h.trim()),
    rows: body.map((r) => ({ line: r.info.lines, cells: r.record })),
    warnings,
  };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

async function readXlsx(buf: Buffer, opts: ReadOptions): Promise<Table> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new AppError('validation', `The XLSX file cannot be read: ${(err as Error).message}`, [
      { path: 'file', message: 'is not a valid .xlsx file' },
    ]);
  }
  const ws = opts.sheet ? wb.getWorksheet(opts.sheet) : wb.worksheets[0];
  if (!ws)
    throw new AppError('validation', `No sheet "${opts.sheet ?? ''}" in the workbook`, [
      { path: 'sheet', message: 'not found' },
    ]);
  const rows: { line: number; cells: string[] }[] = [];
  let headers: string[] | null = null;
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i++) {
      let text = cellText(values[i]).normalize('NFC');
      // A number formatted with a currency code ("USD") is an amount in that currency.
      const format = typeof values[i] === 'number' ? (row.getCell(i).numFmt ?? '') : '';
      const code = /"([A-Z]{3})"/.exec(format)?.[1];
      if (code) text = `${text} ${code}`;
      cells[i - 1] = text;
    }
    if (!headers) {
      headers = cells.map((c) => (c ?? '').trim());
      width = headers.length;
      return;
    }
    const full = Array.from({ length: Math.max(width, cells.length) }, (_, i) => cells[i] ?? '');
    rows.push({ line: n, cells: full });
  });
  if (!headers)
    throw new AppError('validation', 'The sheet is empty', [
      { path: 'file', message: 'has no header row' },
    ]);
  return { headers, rows, warnings: [] };
}

export async function readTable(
  buf: Buffer,
  fileName: string,
  opts: ReadOptions = {},
): Promise<Table> {
  const ext = extname(fileName).toLowerCase();
  const table = ext === '.xlsx' ? await readXlsx(buf, opts) : readCsv(buf, opts);
  if (table.rows.length > MAX_IMPORT_ROWS) {
    throw new AppError('validation', `The file has more than ${MAX_IMPORT_ROWS} rows`, [
      { path: 'file', message: 'is too large for one import' },
    ]);
  }
  return table;
}
