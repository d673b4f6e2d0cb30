import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors';
import { isUniqueViolation } from './idempotency';
import { localizeMessage, requestLocale } from './messages';

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'validation':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'duplicate':
      return 409;
    case 'version_mismatch':
      return 412;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    default: {
      const never: never = code;
      throw new Error(`unmapped error code ${String(never)}`);
    }
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors: { path: string; message: string }[] = [],
  extra: Record<string, unknown> = {},
) {
  const locale = requestLocale(request);
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `urn:kontor:problem:${code}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      detail: localizeMessage(detail, locale),
      instance: request.url.split('?')[0],
      request_id: request.id,
      errors: errors.map((e) => ({ ...e, message: localizeMessage(e.message, locale) })),
      ...extra,
    });
}

/** Maps what went wrong to a problem document: bad input is a 4xx, anything else a logged 500. */
export function errorHandler(
  error: FastifyError | AppError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof AppError) {
    return sendProblem(
      reply,
      request,
      statusFor(error.code),
      error.code,
      error.message,
      error.errors,
      error.extra,
    );
  }
  if (isUniqueViolation(error)) {
    // Two requests raced for the same unique value; the database kept one.
    return sendProblem(
      reply,
      request,
      409,
      'conflict',
      'Another record already has this value; it was saved at the same moment',
      [],
    );
  }
  const fe = error as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const { code, message } = describeFastifyError(fe);
    return sendProblem(reply, request, fe.statusCode, code, message, [{ path: 'body', message }]);
  }
  request.log.error({ err: error, requestId: request.id }, 'request failed');
  return sendProblem(
    reply,
    request,
    500,
    'internal',
    'Something went wrong on our side; the request id identifies it in the log',
  );
}

function describeFastifyError(e: FastifyError): { code: string; message: string } {
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'validation', message: 'the body is not valid JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', message: 'the body is larger than this server accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', message: 'send the body as application/json' };
    default:
      return { code: 'validation', message: e.message };
  }
}
