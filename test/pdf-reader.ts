import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

/**
 * A small reader of the PDFs Kontor writes, for tests: it walks the page tree, inflates the
 * content streams and reads the text operators (Tf, Tm, Tj, TJ) into text through each font's
 * ToUnicode map, as a text extractor does. The fonts are embedded subsets (glyph ids in hex), so
 * `checkFonts` proves each ToUnicode map honest: every mapped glyph of the embedded subset must
 * draw exactly the outline the original DejaVu font (read with fontkit) has for that character.
 */

export interface TextRun {
  text: string;
  x: number;
  y: number;
  /** The run's width in points up to its last visible glyph, from the font's glyph widths and TJ adjustments. */
  width: number;
  font: string;
  size: number;
}
export interface PdfPage {
  runs: TextRun[];
  /** The page's runs joined by newlines. */
  text: string;
}
interface PdfObject {
  dict: string;
  stream: Buffer | null;
}
interface PdfFont {
  baseFont: string;
  toUnicode: Map<number, string>;
  /** Glyph widths in thousandths of the font size, by glyph id (the CID font's /W). */
  widths: Map<number, number>;
  fontFile: Buffer | null;
}

function parseObjects(bytes: Buffer): Map<number, PdfObject> {
  const text = bytes.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) throw new Error(`object ${m[1]} has no endobj`);
    const body = text.slice(start, end);
    const s = /\bstream\r?\n/.exec(body);
    let dict = body;
    let stream: Buffer | null = null;
    if (s) {
      dict = body.slice(0, s.index);
      const length = /\/Length (\d+)/.exec(dict);
      if (!length) throw new Error(`object ${m[1]} has a stream without a direct /Length`);
      const from = start + s.index + s[0].length;
      const raw = bytes.subarray(from, from + Number(length[1]));
      stream = /\/FlateDecode/.test(dict) ? inflateSync(raw) : Buffer.from(raw);
    }
    objects.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return objects;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (h: string) => {
    let out = '';
    for (let i = 0; i < h.length; i += 4)
      out += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return out;
  };
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g;
    for (const [, lo, hi, dst] of block[1].matchAll(re)) {
      const a = parseInt(lo, 16);
      const b = parseInt(hi, 16);
      if (dst.startsWith('[')) {
        // A ligature maps to several characters: <0066 0069> is "fi".
        const items = [...dst.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) => x[1].replace(/\s/g, ''));
        if (items.length !== b - a + 1)
          throw new Error(`bfrange <${lo}> <${hi}> lists ${items.length}`);
        for (let c = a; c <= b; c++) map.set(c, hexText(items[c - a]));
      } else {
        const base = parseInt(dst.slice(1, -1), 16);
        for (let c = a; c <= b; c++) map.set(c, String.fromCodePoint(base + c - a));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, src, dst] of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set(parseInt(src, 16), hexText(dst));
  return map;
}

function loadFont(objects: Map<number, PdfObject>, id: number): PdfFont {
  const font = objects.get(id);
  if (!font) throw new Error(`font object ${id} is missing`);
  const baseFont = /\/BaseFont \/(\S+)/.exec(font.dict)?.[1] ?? '';
  const tu = ref(font.dict, 'ToUnicode');
  const cmap = tu !== null ? objects.get(tu)?.stream : null;
  if (!cmap) throw new Error(`font ${baseFont} has no ToUnicode map`);
  let fontFile: Buffer | null = null;
  const widths = new Map<number, number>();
  const descendant = /\/DescendantFonts \[(\d+) 0 R\]/.exec(font.dict);
  if (descendant) {
    const cid = objects.get(Number(descendant[1]));
    const w = cid ? /\/W \[((?:\s*\d+ \[[^\]]*\])*)\s*\]/.exec(cid.dict) : null;
    // Only the "first [w1 w2 …]" form, which is what pdfkit writes.
    for (const [, first, list] of (w?.[1] ?? '').matchAll(/(\d+) \[([^\]]*)\]/g))
      list
        .trim()
        .split(/\s+/)
        .forEach((v, i) => widths.set(Number(first) + i, Number(v)));

    const descriptor = cid ? objects.get(ref(cid.dict, 'FontDescriptor') ?? -1) : undefined;
    const file = descriptor ? ref(descriptor.dict, 'FontFile2') : null;
    fontFile = file !== null ? (objects.get(file)?.stream ?? null) : null;
  }
  return { baseFont, toUnicode: parseCMap(cmap.toString('latin1')), widths, fontFile };
}

/** The pages of a PDF in order, with their text. */
export function readPdf(bytes: Buffer): { pages: PdfPage[]; fonts: PdfFont[] } {
  const objects = parseObjects(bytes);
  const catalog = [...objects.values()].find((o) => /\/Type \/Catalog/.test(o.dict));
  if (!catalog) throw new Error('no catalog');
  const pageIds: number[] = [];
  const walk = (id: number) => {
    const node = objects.get(id);
    if (!node) throw new Error(`page tree node ${id} is missing`);
    if (/\/Type \/Pages/.test(node.dict)) {
      const kids = /\/Kids \[([^\]]*)\]/.exec(node.dict)?.[1] ?? '';
      for (const k of kids.matchAll(/(\d+) 0 R/g)) walk(Number(k[1]));
    } else pageIds.push(id);
  };
  walk(ref(catalog.dict, 'Pages') ?? -1);

  const fonts = new Map<number, PdfFont>();
  const pages = pageIds.map((id): PdfPage => {
    const page = objects.get(id)!;
    const resources = objects.get(ref(page.dict, 'Resources') ?? -1)?.dict ?? page.dict;
    const fontDict = /\/Font <<([^>]*)>>/.exec(resources)?.[1] ?? '';
    const byName = new Map<string, PdfFont>();
    for (const [, name, fid] of fontDict.matchAll(/\/(\S+) (\d+) 0 R/g)) {
      if (!fonts.has(Number(fid))) fonts.set(Number(fid), loadFont(objects, Number(fid)));
      byName.set(name, fonts.get(Number(fid))!);
    }
    const contents = objects.get(ref(page.dict, 'Contents') ?? -1)?.stream;
    if (!contents) throw new Error(`page ${id} has no content stream`);
    const runs: TextRun[] = [];
    let font: PdfFont | null = null;
    let fontName = '';
    let size = 0;
    let x = 0;
    let y = 0;
    const ops =
      /\/(\S+) ([\d.]+) Tf|([-\d. ]+) Tm|(\[(?:[^\]]*)\]) TJ|<([0-9a-fA-F]*)> Tj|\(((?:\\.|[^\\)])*)\) ?Tj/g;
    for (const m of contents.toString('latin1').matchAll(ops)) {
      if (m[1]) {
        fontName = m[1];
        size = Number(m[2]);
        font = byName.get(fontName) ?? null;
        if (!font) throw new Error(`page ${id} uses font ${fontName} it does not list`);
      } else if (m[3]) {
        const n = m[3].trim().split(/\s+/).map(Number);
        x = n[4];
        y = n[5];
      } else {
        if (m[6] !== undefined) throw new Error('a literal string: not the embedded fonts');
        if (!font) throw new Error('text before a font is set');
        if (m[4] && /\(/.test(m[4])) throw new Error('a literal string in TJ');
        const parts: [string | undefined, string | undefined][] = m[4]
          ? [...m[4].matchAll(/<([0-9a-fA-F]*)>|(-?[\d.]+)/g)].map((p) => [p[1], p[2]])
          : [[m[5], undefined]];
        let text = '';
        let advance = 0;
        let inked = 0;
        for (const [h, adjust] of parts) {
          if (h === undefined) {
            advance -= Number(adjust);
            continue;
          }
          for (let i = 0; i < h.length; i += 4) {
            const gid = parseInt(h.slice(i, i + 4), 16);
            const ch = font.toUnicode.get(gid);
            const w = font.widths.get(gid);
            if (ch === undefined || w === undefined)
              throw new Error(`glyph ${gid} of ${font.baseFont} has no character or width`);
            text += ch;
            advance += w;
            if (ch.trim()) inked = advance;
          }
        }
        runs.push({ text, x, y, width: (inked / 1000) * size, font: font.baseFont, size });
      }
    }
    return { runs, text: runs.map((r) => r.text).join('\n') };
  });
  return { pages, fonts: [...fonts.values()] };
}

interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  path: { toSVG(): string };
}
interface FontkitFont {
  glyphForCodePoint(cp: number): FontkitGlyph;
  layout(text: string): { glyphs: FontkitGlyph[] };
  getGlyph(id: number): FontkitGlyph;
}
const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as { create(buffer: Buffer): FontkitFont };
const ORIGINALS: Record<string, string> = {
  DejaVuSans: 'DejaVuSans.ttf',
  'DejaVuSans-Bold': 'DejaVuSans-Bold.ttf',
};

/**
 * Checks each embedded font against the DejaVu original: every glyph the ToUnicode map names
 * must have the original's outline and advance for its character. Returns the glyphs checked.
 */
export function checkFonts(fonts: PdfFont[]): number {
  let checked = 0;
  for (const f of fonts) {
    const family = f.baseFont.replace(/^[A-Z]{6}\+/, '');
    const file = ORIGINALS[family];
    if (!file) throw new Error(`unexpected font ${f.baseFont}`);
    if (!f.fontFile) throw new Error(`font ${f.baseFont} is not embedded`);
    const original = fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
    const subset = fontkit.create(f.fontFile);
    for (const [gid, text] of f.toUnicode) {
      if (gid === 0) continue;
      // One character, or a ligature the font sets for several ("fi").
      const laid = [...text].length === 1 ? null : original.layout(text).glyphs;
      if (laid && laid.length !== 1) throw new Error(`"${text}" is not one glyph of ${family}`);
      const want = laid ? laid[0] : original.glyphForCodePoint(text.codePointAt(0)!);
      const got = subset.getGlyph(gid);
      if (want.id === 0) throw new Error(`${family} has no glyph for "${text}"`);
      if (got.advanceWidth !== want.advanceWidth || got.path.toSVG() !== want.path.toSVG())
        throw new Error(`${f.baseFont} glyph ${gid} does not draw "${text}"`);
      checked++;
    }
  }
  return checked;
}
