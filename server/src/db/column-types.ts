import type { DialectName } from './database';

/** Column types that mean the same thing on both databases. */
export function columnTypes(dialect: DialectName) {
  const pg = dialect === 'postgres';
  return {
    id: 'text' as const,
    text: 'text' as const,
    bigint: pg ? ('bigint' as const) : ('integer' as const),
    integer: 'integer' as const,
    boolean: pg ? ('boolean' as const) : ('integer' as const),
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    date: pg ? ('date' as const) : ('text' as const),
    json: 'text' as const,
  };
}

/** better-sqlite3 cannot bind booleans; PostgreSQL wants them as booleans. */
export function boolToDb(dialect: DialectName, v: boolean): boolean | number {
  return dialect === 'postgres' ? v : v ? 1 : 0;
}

export function boolFromDb(v: unknown): boolean {
  return v === true || v === 1;
}
