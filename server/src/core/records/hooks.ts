import type { RecordContext } from '../kontor';
import type { ObjectMeta } from '../metadata/types';

export type ApiRecord = Record<string, unknown> & { id: string; version: number };

export interface WriteEvent {
  action: 'create' | 'update';
  object: ObjectMeta;
  /** The record as it was (API form); null on create. */
  before: ApiRecord | null;
  /** Parsed values about to be written; a hook may add or change entries. */
  values: Record<string, unknown>;
  /** Options the caller passed (`allow_duplicates`). */
  options: WriteOptions;
}

export interface AfterWriteEvent {
  action: 'create' | 'update' | 'delete' | 'restore';
  object: ObjectMeta;
  before: ApiRecord | null;
  after: ApiRecord;
}

export interface WriteOptions {
  allowDuplicates?: boolean;
  /** Module code may set read-only fields (a lead's conversion links). */
  system?: boolean;
}

/** Rules a module adds to an object's generic create and update. */
export interface RecordHooks {
  beforeWrite?(ctx: RecordContext, event: WriteEvent): Promise<void>;
  afterWrite?(ctx: RecordContext, event: AfterWriteEvent): Promise<void>;
}
