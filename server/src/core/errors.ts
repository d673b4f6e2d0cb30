import type { z } from 'zod';

/** What went wrong, independent of transport; http/ maps each code to a status. */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'duplicate'
  | 'version_mismatch'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type';

export interface ErrorDetail {
  /** Where in the input the problem is: a field name, `filter[country][eq]`, `rows[3].email`. */
  path: string;
  message: string;
}

/** The one application error type. `extra` lands in the problem document as-is. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function validationError(errors: ErrorDetail[], message?: string): AppError {
  const first = errors[0];
  const summary =
    message ??
    (first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'Invalid input');
  return new AppError('validation', summary, errors);
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

/**
 * Input checked against a schema: the parsed value, or a validation error naming every problem
 * at its path (under `prefix`, or `body` for the whole input). Missing input counts as `{}`.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): T {
  const r = schema.safeParse(input ?? {});
  if (!r.success)
    throw validationError(
      r.error.issues.map((i) => ({
        path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'body',
        message: i.message,
      })),
    );
  return r.data;
}
