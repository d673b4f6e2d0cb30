import nodemailer, { type Transporter } from 'nodemailer';
import { isoNow } from '../clock';
import { newId } from '../ids';
import type { Kontor, RecordContext } from '../kontor';
import { enqueueJob } from '../jobs/queue';
import type { JobHandlers } from '../jobs/worker';
import type { JobRow } from '../jobs/queue';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The record the mail is about (a task), for its timeline and the mail log. */
  related?: { object: string; id: string };
}

/**
 * Queues an e-mail in the caller's transaction: it is logged now and sent by a job once the change
 * that asked for it commits, retried with backoff while the SMTP server refuses. Returns its id in
 * the mail log.
 */
export async function queueMail(ctx: RecordContext, msg: MailMessage): Promise<string> {
  const id = newId();
  await ctx.db
    .insertInto('mail_log')
    .values({
      id,
      created_at: isoNow(ctx.k.clock),
      to_address: msg.to,
      subject: msg.subject,
      text_body: msg.text,
      html_body: msg.html ?? null,
      status: 'queued',
      attempts: 0,
      related_object: msg.related?.object ?? null,
      related_id: msg.related?.id ?? null,
    })
    .execute();
  await enqueueJob(ctx.db, ctx.k.clock, 'mail.send', { id }, { maxAttempts: 6 });
  return id;
}

interface MailRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  status: string;
  attempts: number;
}

const transports = new Map<string, Transporter>();
function transportFor(url: string) {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

/** Sends a queued e-mail; a mail already sent is not sent again when the job repeats. */
const sendMail = {
  async outside(k: Kontor, payload: unknown, job: JobRow): Promise<void> {
    const { id } = payload as { id: string };
    const db = k.database.db;
    const row = (await db
      .selectFrom('mail_log')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()) as MailRow | undefined;
    if (!row || row.status === 'sent' || row.status === 'not_sent') return;
    if (!k.settings.smtpUrl) {
      await db
        .updateTable('mail_log')
        .set({ status: 'not_sent', last_error: 'no SMTP server is configured (KONTOR_SMTP_URL)' })
        .where('id', '=', id)
        .execute();
      return;
    }
    try {
      const info = await transportFor(k.settings.smtpUrl).sendMail({
        from: k.settings.mailFrom,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        ...(row.html_body ? { html: row.html_body } : {}),
      });
      await db
        .updateTable('mail_log')
        .set({
          status: 'sent',
          sent_at: isoNow(k.clock),
          message_id: String(info.messageId ?? ''),
          attempts: row.attempts + 1,
          last_error: null,
        })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      await db
        .updateTable('mail_log')
        .set({
          attempts: row.attempts + 1,
          last_error: (err as Error).message.slice(0, 2000),
          // The job is parked after this attempt: say so in the log too.
          ...(job.attempts >= job.max_attempts ? { status: 'failed' } : {}),
        })
        .where('id', '=', id)
        .execute();
      throw err;
    }
  },
};

export const MAIL_JOBS: JobHandlers = { 'mail.send': sendMail };
