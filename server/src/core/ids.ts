import { v7, validate } from 'uuid';

/** A new record id: a UUIDv7 string, so ids sort roughly by creation time. */
export function newId(): string {
  return v7();
}

export function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length === 36 && validate(value);
}
