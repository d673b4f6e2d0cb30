import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../../core/actor';
import { SYSTEM_ACTOR } from '../../core/actor';
import { emitEvent } from '../../core/audit/audit-log';
import { sha256 } from '../../core/auth/tokens';
import { isoNow } from '../../core/clock';
import {
  AppError,
  notFound,
  parseInput,
  validationError,
  type ErrorDetail,
} from '../../core/errors';
import { DOCUMENT_TYPES, PHOTO_TYPES, storeFile } from '../../core/files/files';
import { isId, newId } from '../../core/ids';
import { inTransaction, type Kontor, type RecordContext } from '../../core/kontor';
import { queueMail } from '../../core/mail/mailer';
import { canWriteField } from '../../core/permissions/scope';
import { loadRecord } from '../../core/records/read';
import { updateRecord } from '../../core/records/write';
import { loadForm, splitTarget, type FormDef } from './definitions';
import { parseFormValues } from './values';

/** What became of a link, as the app shows it. */
export type LinkState = 'open' | 'sent' | 'used' | 'expired' | 'revoked';

export interface FormLinkRow {
  id: string;
  form_id: string;
  task_id: string;
  token_hash: string;
  recipient_name: string | null;
  recipient_email: string | null;
  time_zone: string;
  expires_at: string;
  created_at: string;
  created_by: string | null;
  mail_id: string | null;
  used_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** Longest a link may stay valid. */
const MAX_DAYS = 90;
export const DEFAULT_DAYS = 7;

const iso = (v: unknown) =>
  v === null || v === undefined ? null : new Date(String(v)).toISOString();

function normalise(row: Record<string, unknown>): FormLinkRow {
  return {
    ...(row as unknown as FormLinkRow),
    expires_at: iso(row.expires_at)!,
    created_at: iso(row.created_at)!,
    used_at: iso(row.used_at),
    revoked_at: iso(row.revoked_at),
  };
}

export function linkState(link: FormLinkRow, now: Date): LinkState {
  if (link.used_at) return 'used';
  if (link.revoked_at) return 'revoked';
  if (Date.parse(link.expires_at) <= now.getTime()) return 'expired';
  return link.mail_id ? 'sent' : 'open';
}

/** A link as the API shows it: everything but the token's hash. */
export function publicLink(link: FormLinkRow, now: Date) {
  const { token_hash: _hash, ...rest } = link;
  return { ...rest, state: linkState(link, now) };
}

/** The actor a submission through a link writes as: the link's recipient, named by the link. */
export function formLinkActor(link: FormLinkRow): Actor {
  return { ...SYSTEM_ACTOR, kind: 'form_link', sourceId: link.id };
}

export interface CreateFormLinkInput {
  taskId: string;
  formId: string;
  recipientName?: string | null;
  recipientEmail?: string | null;
  /** ISO instant; at most 90 days ahead. */
  expiresAt: string;
}

/**
 * Creates a one-time link to a task's form for a person without a login. The caller must be
 * allowed to change the task and every record the form writes to. Only the token's hash is
 * kept: the returned url and token are shown once.
 */
export async function createFormLink(
  ctx: RecordContext,
  input: CreateFormLinkInput,
): Promise<{ id: string; url: string; token: string }> {
  const tasks = ctx.k.meta.get('tasks');
  const task = await loadRecord(ctx, tasks, input.taskId, { action: 'update' });
  const form = await loadForm(ctx, input.formId).catch(() => {
    throw validationError([{ path: 'form_id', message: `no form with id ${input.formId}` }]);
  });
  if (form.kind !== 'task' || form.archived_at)
    throw validationError([
      { path: 'form_id', message: `"${form.name}" is not a form for tasks in use` },
    ]);
  await checkTargets(ctx, form, task as Record<string, unknown>);

  const now = ctx.k.clock.now();
  const expires = Date.parse(input.expiresAt);
  if (!/Z$|[+-]\d\d:\d\d$/.test(input.expiresAt) || Number.isNaN(expires))
    throw validationError([{ path: 'expires_at', message: 'must be an ISO 8601 instant' }]);
  if (expires <= now.getTime())
    throw validationError([{ path: 'expires_at', message: 'must be in the future' }]);
  if (expires > now.getTime() + MAX_DAYS * 86_400_000)
    throw validationError([
      { path: 'expires_at', message: `must be at most ${MAX_DAYS} days ahead` },
    ]);

  const user = ctx.actor.userId
    ? await ctx.db
        .selectFrom('users')
        .select('time_zone')
        .where('id', '=', ctx.actor.userId)
        .executeTakeFirst()
    : undefined;
  const token = randomBytes(32).toString('base64url');
  const id = newId();
  await ctx.db
    .insertInto('form_links')
    .values({
      id,
      form_id: form.id,
      task_id: task.id,
      token_hash: sha256(token),
      recipient_name: input.recipientName ?? null,
      recipient_email: input.recipientEmail ?? null,
      time_zone: (user?.time_zone as string | undefined) || 'UTC',
      expires_at: new Date(expires).toISOString(),
      created_at: isoNow(ctx.k.clock),
      created_by: ctx.actor.userId,
      mail_id: null,
      used_at: null,
      revoked_at: null,
      revoked_by: null,
    })
    .execute();
  return { id, url: linkUrl(ctx.k, token), token };
}

export function linkUrl(k: Kontor, token: string): string {
  return `${k.settings.publicUrl}/f/${token}`;
}

/**
 * A link may write only into the task and the record the task belongs to, and only what its
 * sender may change there: the link must not lend the recipient more than the sender has.
 */
async function checkTargets(ctx: RecordContext, form: FormDef, task: Record<string, unknown>) {
  const errors: ErrorDetail[] = [];
  for (const [i, f] of form.fields.entries()) {
    if (!f.target_field) continue;
    const { object, field } = splitTarget(f.target_field);
    const path = `form_id`;
    if (object !== 'tasks' && object !== task.related_object) {
      errors.push({
        path,
        message: `field ${i + 1} (${f.label}) writes into ${object}, but the task belongs to ${
          task.related_object ? String(task.related_object) : 'no record'
        }`,
      });
      continue;
    }
    const meta = ctx.k.meta.get(object);
    if (!canWriteField(ctx.actor, meta, field))
      errors.push({ path, message: `you may not change ${object}.${field}` });
  }
  if (errors.length) throw validationError(errors);
  if (form.fields.some((f) => f.target_field?.startsWith(`${String(task.related_object)}.`))) {
    await loadRecord(ctx, ctx.k.meta.get(String(task.related_object)), String(task.related_id), {
      action: 'update',
    });
  }
}

const createSchema = z.strictObject({
  form_id: z.string(),
  recipient_name: z.string().trim().max(200).nullish(),
  recipient_email: z.email('must be an e-mail address').max(254).nullish(),
  expires_at: z.string().nullish(),
  send_email: z.boolean().default(false),
  message: z.string().trim().max(2000).nullish(),
});

/** POST /api/v1/tasks/{id}/form-links: creates a link, and e-mails it when asked. */
export async function createLinkFromRequest(ctx: RecordContext, taskId: string, body: unknown) {
  const input = parseInput(createSchema, body);
  // E-mail addresses match case-insensitively; they are kept in lower case.
  if (input.recipient_email) input.recipient_email = input.recipient_email.toLowerCase();
  if (input.send_email && !input.recipient_email)
    throw validationError([
      { path: 'recipient_email', message: 'is required to send the link by e-mail' },
    ]);
  const now = ctx.k.clock.now().getTime();
  const link = await createFormLink(ctx, {
    taskId,
    formId: input.form_id,
    recipientName: input.recipient_name,
    recipientEmail: input.recipient_email,
    expiresAt: input.expires_at ?? new Date(now + DEFAULT_DAYS * 86_400_000).toISOString(),
  });
  if (input.send_email) {
    const row = await loadLink(ctx, link.id);
    const form = await loadForm(ctx, row.form_id);
    const greeting = input.recipient_name ? `Hello ${input.recipient_name},\n\n` : '';
    const mailId = await queueMail(ctx, {
      to: input.recipient_email!,
      subject: form.name,
      text:
        `${greeting}${input.message ? `${input.message}\n\n` : ''}` +
        `Please fill in "${form.name}" here:\n${link.url}\n\n` +
        `The link works once and until ${row.expires_at}.`,
      related: { object: 'tasks', id: row.task_id },
    });
    await ctx.db
      .updateTable('form_links')
      .set({ mail_id: mailId })
      .where('id', '=', link.id)
      .execute();
  }
  const row = await loadLink(ctx, link.id);
  return { ...publicLink(row, ctx.k.clock.now()), url: link.url, token: link.token };
}

async function loadLink(ctx: RecordContext, id: string): Promise<FormLinkRow> {
  const row = isId(id)
    ? await ctx.db
        .selectFrom('form_links')
        .selectAll()
        .where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`Form link ${id.slice(0, 60)}`);
  return normalise(row as Record<string, unknown>);
}

/** The links of a task, newest first, with the submission of a used one. */
export async function listTaskLinks(ctx: RecordContext, taskId: string) {
  const task = await loadRecord(ctx, ctx.k.meta.get('tasks'), taskId, { includeDeleted: true });
  const rows = (
    (await ctx.db
      .selectFrom('form_links')
      .selectAll()
      .where('task_id', '=', task.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()) as Record<string, unknown>[]
  ).map(normalise);
  const subs = rows.length
    ? ((await ctx.db
        .selectFrom('form_submissions')
        .select(['id', 'link_id', 'field_values', 'file_ids', 'created_at'])
        .where(
          'link_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()) as Record<string, unknown>[])
    : [];
  const forms = new Map<string, string>();
  for (const r of rows)
    if (!forms.has(r.form_id))
      forms.set(r.form_id, (await loadForm(ctx, r.form_id).catch(() => null))?.name ?? '');
  const now = ctx.k.clock.now();
  return rows.map((r) => {
    const s = subs.find((x) => x.link_id === r.id);
    return {
      ...publicLink(r, now),
      form_name: forms.get(r.form_id) ?? '',
      submission: s
        ? {
            id: s.id,
            values: JSON.parse(String(s.field_values)),
            file_ids: JSON.parse(String(s.file_ids)),
            created_at: iso(s.created_at),
          }
        : null,
    };
  });
}

/** Withdraws a link that was not used yet; withdrawing it again changes nothing. */
export async function revokeFormLink(ctx: RecordContext, id: string) {
  const link = await loadLink(ctx, id);
  await loadRecord(ctx, ctx.k.meta.get('tasks'), link.task_id, {
    action: 'update',
    includeDeleted: true,
  });
  if (link.used_at)
    throw new AppError('conflict', 'This link has already been used; it cannot be revoked');
  if (!link.revoked_at)
    await ctx.db
      .updateTable('form_links')
      .set({ revoked_at: isoNow(ctx.k.clock), revoked_by: ctx.actor.userId })
      .where('id', '=', link.id)
      .where('used_at', 'is', null)
      .execute();
  return publicLink(await loadLink(ctx, link.id), ctx.k.clock.now());
}

/** Why a link does not open its form. */
export type LinkGone = 'not_found' | 'used' | 'expired' | 'revoked' | 'closed';

export class LinkGoneError extends Error {
  constructor(readonly reason: LinkGone) {
    super(`form link ${reason}`);
  }
}

/** Only text the link generator could have made is looked up at all. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The link, form and task a token opens; a LinkGoneError when it opens nothing. */
export async function openLink(k: Kontor, token: string) {
  if (!TOKEN.test(token)) throw new LinkGoneError('not_found');
  const db = k.database.db;
  const row = await db
    .selectFrom('form_links')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) throw new LinkGoneError('not_found');
  const link = normalise(row as Record<string, unknown>);
  const state = linkState(link, k.clock.now());
  if (state === 'used' || state === 'revoked' || state === 'expired')
    throw new LinkGoneError(state);
  const ctx: RecordContext = { k, db, actor: SYSTEM_ACTOR, pending: { rollups: new Map() } };
  const form = await loadForm(ctx, link.form_id);
  const task = await db
    .selectFrom('tasks')
    .select(['id', 'title', 'status', 'related_object', 'related_id', 'deleted_at'])
    .where('id', '=', link.task_id)
    .executeTakeFirst();
  if (
    form.archived_at ||
    !task ||
    task.deleted_at ||
    ['done', 'cancelled'].includes(String(task.status))
  )
    throw new LinkGoneError('closed');
  return {
    link,
    form,
    task: task as {
      id: string;
      title: string;
      related_object: string | null;
      related_id: string | null;
    },
  };
}

export interface SubmittedFile {
  field: string;
  name: string;
  claimedType: string;
  data: Buffer;
}

/**
 * Takes a form sent through a link, in one transaction: the link is claimed (a second sending,
 * even at the same moment, finds it claimed and changes nothing), the values are written into
 * the task's record, the task is completed, the submission is kept and an event is emitted. Every
 * change is audited as the link's recipient. Bad values throw a validation error at the form
 * field's name.
 */
export async function submitFormLink(
  k: Kontor,
  token: string,
  input: { fields: Record<string, unknown>; files: SubmittedFile[] },
) {
  const { link, form, task } = await openLink(k, token);
  const { values, errors } = parseFormValues(k, form.fields, input.fields, link.time_zone);
  const fileFields = form.fields.filter((f) => f.type === 'photo' || f.type === 'file');
  for (const f of fileFields)
    if (f.required && !input.files.some((x) => x.field === f.name))
      errors.push({ path: f.name, message: 'add at least one file' });
  for (const x of input.files)
    if (!fileFields.some((f) => f.name === x.field))
      errors.push({ path: x.field, message: 'this form takes no file here' });
  if (errors.length) throw validationError(errors);

  return inTransaction(k, formLinkActor(link), async (ctx) => {
    const now = isoNow(k.clock);
    const claimed = await ctx.db
      .updateTable('form_links')
      .set({ used_at: now })
      .where('id', '=', link.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      const again = await ctx.db
        .selectFrom('form_links')
        .selectAll()
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow();
      const state = linkState(normalise(again as Record<string, unknown>), k.clock.now());
      throw new LinkGoneError(state === 'revoked' || state === 'expired' ? state : 'used');
    }

    const owner =
      task.related_object && task.related_id
        ? { object: task.related_object, recordId: task.related_id }
        : { object: 'tasks', recordId: task.id };
    const fileIds: Record<string, string[]> = {};
    for (const [i, x] of input.files.entries()) {
      const f = fileFields.find((ff) => ff.name === x.field)!;
      const stored = await storeFile(ctx, x, owner, {
        allowed: f.type === 'photo' ? PHOTO_TYPES : DOCUMENT_TYPES,
        path:
          input.files.filter((y) => y.field === x.field).length > 1 ? `${x.field}[${i}]` : x.field,
      });
      (fileIds[f.name] ??= []).push(stored.id);
    }

    const writes = new Map<string, Record<string, unknown>>();
    for (const f of form.fields) {
      if (!f.target_field || values[f.name] === undefined) continue;
      const { object, field } = splitTarget(f.target_field);
      const into = writes.get(object) ?? {};
      into[field] = values[f.name];
      writes.set(object, into);
    }
    for (const [object, changes] of writes) {
      if (object === 'tasks') continue;
      if (object !== task.related_object || !task.related_id)
        throw validationError([
          { path: 'form', message: `the task no longer belongs to a record of ${object}` },
        ]);
      await updateRecord(ctx, object, task.related_id, changes).catch((e: unknown) => {
        throw renameErrors(e, form, object);
      });
    }
    await updateRecord(ctx, 'tasks', task.id, { ...(writes.get('tasks') ?? {}), status: 'done' });

    const all = { ...values, ...fileIds };
    await ctx.db
      .insertInto('form_submissions')
      .values({
        id: newId(),
        form_id: form.id,
        link_id: link.id,
        task_id: task.id,
        record_object: task.related_object,
        record_id: task.related_id,
        field_values: JSON.stringify(all),
        file_ids: JSON.stringify(Object.values(fileIds).flat()),
        consent_text: null,
        consent_at: null,
        created_at: now,
      })
      .execute();
    await emitEvent(ctx, {
      type: 'forms.link_submitted',
      object: 'tasks',
      recordId: task.id,
      payload: { changes: {}, data: { form_id: form.id, link_id: link.id, values: all } },
    });
    return { form, values: all };
  });
}

/** An error the records engine raised at a record's field, moved to the form field writing it. */
function renameErrors(e: unknown, form: FormDef, object: string): unknown {
  if (!(e instanceof AppError) || e.code !== 'validation') return e;
  return validationError(
    e.errors.map((d) => {
      const f = form.fields.find((x) => x.target_field === `${object}.${d.path.split('.')[0]}`);
      return f ? { path: f.name, message: d.message } : d;
    }),
  );
}
