import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';
import { startSmtp } from '../support/smtp';
import { queueMail } from '../../server/src/core/mail/mailer';

describe.each(DIALECTS)('e-mail on %s', (dialect) => {
  const s = serverFor(dialect);
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => smtp.close());

  const logRow = (id: string) =>
    s.kontor.database.db
      .selectFrom('mail_log')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  test('without an SMTP server a mail is kept in the log as not sent', async () => {
    s.kontor.settings.smtpUrl = '';
    const id = await s.asSystem((ctx) =>
      queueMail(ctx, { to: 'a@example.com', subject: 'Hello', text: 'Body' }),
    );
    await s.drain();
    expect(await logRow(id)).toMatchObject({ status: 'not_sent', to_address: 'a@example.com' });
  });

  test('a queued mail is sent once through SMTP after its transaction commits', async () => {
    s.kontor.settings.smtpUrl = smtp.url;
    const before = smtp.received.length;
    const id = await s.asSystem((ctx) =>
      queueMail(ctx, { to: 'b@example.com', subject: 'Reminder: call Alfreds', text: 'Call them' }),
    );
    await s.drain();
    await s.drain();
    expect(smtp.received.length).toBe(before + 1);
    expect(smtp.received.at(-1)!.to).toEqual(['b@example.com']);
    expect(smtp.received.at(-1)!.raw).toContain('Reminder: call Alfreds');
    expect(await logRow(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('a mail queued in a transaction that rolls back is neither logged nor sent', async () => {
    s.kontor.settings.smtpUrl = smtp.url;
    const before = smtp.received.length;
    let id = '';
    await expect(
      s.asSystem(async (ctx) => {
        id = await queueMail(ctx, { to: 'c@example.com', subject: 'Never', text: 'x' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await s.drain();
    expect(smtp.received.length).toBe(before);
    const row = await s.kontor.database.db
      .selectFrom('mail_log')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  test('a refused mail is retried with backoff and its error logged', async () => {
    const refusing = await startSmtp({ refuse: true });
    try {
      s.kontor.settings.smtpUrl = refusing.url;
      const id = await s.asSystem((ctx) =>
        queueMail(ctx, { to: 'd@example.com', subject: 'Refused', text: 'x' }),
      );
      await s.drain();
      const row = await logRow(id);
      expect(row.status).toBe('queued');
      expect(row.attempts).toBe(1);
      expect(String(row.last_error)).toMatch(/mailbox unavailable/);
      const job = await s.kontor.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'mail.send')
        .where('status', '=', 'queued')
        .executeTakeFirstOrThrow();
      expect(new Date(job.run_at as string).getTime()).toBeGreaterThan(s.clock.now().getTime());
    } finally {
      s.kontor.settings.smtpUrl = '';
      await refusing.close();
    }
  });
});
