import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret; shown to the administrator once, when created or rotated. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** HMAC-SHA256 in hex over `${timestamp}.${body}`, keyed with the secret's text. */
export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Kontor-Signature` header: the timestamp and the signature, `t=1767225600,v1=5257a8…`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signature(secret, timestamp, body)}`;
}
