import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { guardedLookup } from './targets';

/** How long a target has to answer before the attempt counts as failed. */
export const TIMEOUT_MS = 10_000;
/** How much of an answer is read and kept in the log. */
const KEEP_CHARS = 1000;
const READ_BYTES = 16 * 1024;

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  responseBody: string | null;
  error: string | null;
}

/**
 * POSTs a delivery and reports what happened; never throws. A 2xx answer is a delivery; anything
 * else is a failed attempt. Redirects are not followed: a 3xx could point anywhere, and a target
 * that moved should be changed in its subscription.
 *
 * node:http rather than fetch: its `lookup` hook checks the address actually connected to,
 * which fetch offers no way to do.
 */
export function postDelivery(
  url: string,
  headers: Record<string, string>,
  body: string,
  allowPrivate: boolean,
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: elapsed() });
    };
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(allowPrivate) as never,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < READ_BYTES) chunks.push(chunk);
          size += chunk.length;
          // The rest of a long answer is not needed: stop reading it.
          if (size >= READ_BYTES) res.destroy();
        });
        const done = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, KEEP_CHARS);
          const ok = status >= 200 && status < 300;
          finish({
            ok,
            statusCode: status,
            responseBody: text || null,
            error: ok
              ? null
              : status >= 300 && status < 400
                ? `the target answered ${status} (a redirect, not followed)`
                : `the target answered ${status}`,
          });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const message =
        err.name === 'AbortError' || err.name === 'TimeoutError'
          ? `no answer within ${TIMEOUT_MS / 1000} s`
          : err.message;
      finish({ ok: false, statusCode: null, responseBody: null, error: message });
    });
    req.end(body);
  });
}
