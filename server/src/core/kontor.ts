import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Database, Db } from '../db/database';
import type { Actor } from './actor';
import type { Clock } from './clock';
import type { MetadataRegistry } from './metadata/registry';
import type { ObjectDef } from './metadata/types';
import type { RecordHooks } from './records/hooks';
import { flushRollups } from './records/rollups';
import { flushBulk } from './records/bulk';
import type { LabelCatalog, Locale } from './metadata/labels';
import type { JobHandlers } from './jobs/worker';
import type { EventCause, EventConsumer } from './events/outbox';

/** A business domain: its objects, the rules a generic CRUD cannot express, its routes. */
export interface Module {
  name: string;
  objects: ObjectDef[];
  hooks?: Record<string, RecordHooks | RecordHooks[]>;
  /** Records every installation starts with (a default pipeline); must be idempotent. */
  seed?: (ctx: RecordContext) => Promise<void>;
  /** Domain actions beyond the generic API (`POST /api/v1/leads/{id}/convert`). */
  routes?: (app: FastifyInstance) => Promise<void>;
  /** Its standard objects' labels in languages other than English. */
  labels?: Partial<Record<Exclude<Locale, 'en'>, LabelCatalog>>;
  /** Durable job kinds it runs (`automation.step`), named `{module}.{kind}`. */
  jobs?: JobHandlers;
  /** Reacts to committed domain events (core/events/outbox.ts). */
  onEvents?: EventConsumer;
  /** What it offers to another module's extension point (`automation.actions`), by its name. */
  extensions?: Record<string, unknown>;
}

/**
 * A step that spans modules (an order reserving stock): the only code that imports several
 * modules. It adds rules to objects and routes, like a module, but owns no objects.
 */
export interface Flow {
  name: string;
  hooks?: Record<string, RecordHooks | RecordHooks[]>;
  routes?: (app: FastifyInstance) => Promise<void>;
  jobs?: JobHandlers;
  onEvents?: EventConsumer;
  extensions?: Record<string, unknown>;
}

export interface KontorSettings {
  phoneRegion: string;
  currency: string;
  /** Base of links sent to people outside (form links), without a trailing slash. */
  publicUrl: string;
  /** Where files (attachments, photos from forms) are stored. */
  dataDir: string;
  /** smtp(s):// URL; empty: e-mails are logged, not sent. */
  smtpUrl: string;
  mailFrom: string;
  /** Outbound calls (webhooks, process steps) may target private and loopback addresses. */
  allowPrivateTargets: boolean;
  /** How long a claimed job stays with its worker without a sign of life. */
  jobLeaseSeconds: number;
}

/** What every part of the server is handed: the database, metadata, clock, modules. */
export interface Kontor {
  database: Database;
  meta: MetadataRegistry;
  clock: Clock;
  settings: KontorSettings;
  modules: Module[];
  flows: Flow[];
  log: Logger;
  hooksFor(object: string): RecordHooks[];
}

/** A unit of work inside one transaction, on behalf of one actor. */
export interface RecordContext {
  k: Kontor;
  db: Db;
  actor: Actor;
  requestId?: string;
  /** Work deferred to the end of the transaction (totals to recompute). */
  pending: PendingWork;
  /** Set while an automation step runs: the events its changes emit carry it. */
  cause?: EventCause;
}

export interface PendingWork {
  rollups: Map<string, Set<string>>;
  /**
   * Set during an import: audit entries, outbox events and search-index text for new records
   * are gathered and written many rows per statement before the transaction commits.
   */
  bulk?: BulkRows;
}

export interface BulkRows {
  audit: Record<string, unknown>[];
  outbox: Record<string, unknown>[];
  /** Per object, new records' search text by id (not yet written to the index). */
  search: Map<string, Map<string, string>>;
}

/** Runs fn in one transaction; totals the engine keeps are brought up to date before commit. */
export async function inTransaction<T>(
  k: Kontor,
  actor: Actor,
  fn: (ctx: RecordContext) => Promise<T>,
  requestId?: string,
): Promise<T> {
  return k.database.db.transaction().execute(async (trx) => {
    const ctx: RecordContext = { k, db: trx, actor, requestId, pending: { rollups: new Map() } };
    const result = await fn(ctx);
    await flushBulk(ctx);
    await flushRollups(ctx);
    return result;
  });
}
