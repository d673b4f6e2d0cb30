import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors';
import { MAX_FILE_BYTES } from '../core/files/files';

/** A file part of a multipart body, read into memory (files are capped at 15 MB). */
export interface UploadedFile {
  field: string;
  name: string;
  claimedType: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string[]>;
  files: UploadedFile[];
}

export const MAX_FILES_PER_REQUEST = 10;

/** Lets the routes of one plugin (and only those) take multipart bodies. */
export async function acceptMultipart(app: FastifyInstance) {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: MAX_FILE_BYTES,
      files: MAX_FILES_PER_REQUEST,
      fields: 200,
      fieldSize: 64 * 1024,
      parts: 300,
    },
  });
}

/**
 * Reads a whole multipart body. A file input left empty (a browser sends a part without a name
 * or content) is skipped. Too many or too large files are a 413.
 */
export async function readMultipart(request: FastifyRequest): Promise<MultipartBody> {
  const out: MultipartBody = { fields: Object.create(null), files: [] };
  if (!request.isMultipart())
    throw new AppError('unsupported_media_type', 'Send the body as multipart/form-data', [
      { path: 'body', message: 'must be multipart/form-data' },
    ]);
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const data = await part.toBuffer();
      if (!part.filename && data.length === 0) continue;
      out.files.push({
        field: part.fieldname,
        name: part.filename,
        claimedType: part.mimetype,
        data,
      });
    } else {
      (out.fields[part.fieldname] ??= []).push(String(part.value));
    }
  }
  return out;
}
