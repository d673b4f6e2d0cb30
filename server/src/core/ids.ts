import { randomFillSync } from 'node:crypto';
import { v7, validate } from 'uuid';

// Random bytes are drawn in blocks: one system call per 256 ids instead of one per id.
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let next = POOL_IDS;

/** A new record id: a UUIDv7 string, so ids sort roughly by creation time. */
export function newId(): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const random = pool.subarray(next * 16, next * 16 + 16);
  next++;
  return v7({ random });
}

export function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length === 36 && validate(value);
}
