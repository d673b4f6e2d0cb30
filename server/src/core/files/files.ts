import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { actorId } from '../actor';
import { isoNow } from '../clock';
import { AppError, notFound, validationError } from '../errors';
import { isId, newId } from '../ids';
import type { Kontor, RecordContext } from '../kontor';
import { loadRecord } from '../records/read';

/** A stored file as the API shows it. */
export interface FileRow {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  object: string;
  record_id: string;
  created_at: string;
  created_by: string | null;
}

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export const DOCUMENT_TYPES = [...PHOTO_TYPES, 'application/pdf'] as const;

/** Largest file accepted, in bytes. */
export const MAX_FILE_BYTES = 15 * 1024 * 1024;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * The type a file's first bytes say it is, among the types Kontor stores; null for anything
 * else. What an upload claims to be is never trusted on its own.
 */
export function detectFileType(data: Buffer): string | null {
  const ascii = (from: number, to: number) => data.subarray(from, to).toString('latin1');
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff)
    return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (data.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 12 && ascii(4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(8, 12)))
    return 'image/heic';
  if (data.length >= 5 && ascii(0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Where a file's content lives: its SHA-256 under <dataDir>/files/, never a name from input. */
export function contentPath(k: Kontor, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return join(k.settings.dataDir, 'files', sha256.slice(0, 2), sha256);
}

/** A file name fit to show and to send back in Content-Disposition: no paths, no controls. */
function cleanName(name: string): string {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return clean.slice(0, 200) || 'file';
}

/**
 * Checks a file's content against the types allowed, writes it under its hash (once, however
 * often it is stored) and records it against a record in the caller's transaction. `path` names
 * the input in errors.
 */
export async function storeFile(
  ctx: RecordContext,
  file: { name: string; data: Buffer; claimedType?: string },
  owner: { object: string; recordId: string },
  opts: { allowed: readonly string[]; path: string },
): Promise<FileRow> {
  if (file.data.length === 0)
    throw validationError([{ path: opts.path, message: 'the file is empty' }]);
  if (file.data.length > MAX_FILE_BYTES)
    throw new AppError('payload_too_large', `${opts.path}: the file is larger than 15 MB`, [
      { path: opts.path, message: 'is larger than 15 MB' },
    ]);
  const mime = detectFileType(file.data);
  const kinds = opts.allowed.map((t) => t.replace(/^.*\//, '').toUpperCase()).join(', ');
  if (!mime || !opts.allowed.includes(mime))
    throw validationError([
      { path: opts.path, message: `"${cleanName(file.name)}" is not a ${kinds} file` },
    ]);
  const claimed = file.claimedType?.split(';')[0].trim().toLowerCase();
  if (claimed && claimed !== 'application/octet-stream' && claimed !== mime)
    throw validationError([
      {
        path: opts.path,
        message: `"${cleanName(file.name)}" says it is ${claimed} but its content is ${mime}`,
      },
    ]);

  const sha256 = createHash('sha256').update(file.data).digest('hex');
  await writeContent(ctx.k, sha256, file.data);
  const row: FileRow = {
    id: newId(),
    name: cleanName(file.name),
    mime,
    size: file.data.length,
    sha256,
    object: owner.object,
    record_id: owner.recordId,
    created_at: isoNow(ctx.k.clock),
    created_by: actorId(ctx.actor),
  };
  await ctx.db.insertInto('files').values(row).execute();
  return row;
}

// Written before the transaction that records it commits: a rollback leaves at worst content no
// row points at, never a row without its content.
async function writeContent(k: Kontor, sha256: string, data: Buffer) {
  const path = contentPath(k, sha256);
  if (existsSync(path)) return;
  await mkdir(join(path, '..'), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** The files of one record, for a reader who may read the record. */
export async function listFiles(
  ctx: RecordContext,
  objectName: string,
  recordId: string,
): Promise<FileRow[]> {
  const object = ctx.k.meta.get(objectName);
  const rec = await loadRecord(ctx, object, recordId, { includeDeleted: true });
  return (await ctx.db
    .selectFrom('files')
    .selectAll()
    .where('object', '=', object.name)
    .where('record_id', '=', rec.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as FileRow[];
}

/** One file, when the reader may read the record it belongs to; 404 otherwise. */
export async function loadFile(ctx: RecordContext, id: string): Promise<FileRow> {
  if (!isId(id)) throw notFound(`File ${id.slice(0, 60)}`);
  const row = (await ctx.db
    .selectFrom('files')
    .selectAll()
    .where('id', '=', id.toLowerCase())
    .executeTakeFirst()) as FileRow | undefined;
  const object = row && ctx.k.meta.find(row.object);
  if (!row || !object) throw notFound(`File ${id}`);
  await loadRecord(ctx, object, row.record_id, { includeDeleted: true }).catch((e: unknown) => {
    // A file of a record out of reach does not exist for this reader.
    if (e instanceof AppError && (e.code === 'not_found' || e.code === 'forbidden'))
      throw notFound(`File ${id}`);
    throw e;
  });
  return { ...row, size: Number(row.size) };
}
