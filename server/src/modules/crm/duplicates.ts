import { sql, type SqlBool } from 'kysely';
import { AppError } from '../../core/errors';
import { countryCode, toE164 } from '../../core/metadata/phone';
import type { RecordHooks } from '../../core/records/hooks';
import { scopeCondition } from '../../core/permissions/scope';

/**
 * A new contact whose e-mail (ignoring case) or phone (as E.164) matches an existing one is
 * refused with 409 naming it, unless the caller asks to create it anyway.
 */
export const contactDuplicatesHook: RecordHooks = {
  async beforeWrite(ctx, e) {
    if (e.action !== 'create' || e.options.allowDuplicates) return;
    // One indexed lookup per value; OR across columns would scan the table.
    const checks: { field: string; cond: ReturnType<typeof sql<SqlBool>>; key: string }[] = [];
    const email = e.values.email;
    if (typeof email === 'string' && email) {
      checks.push({
        field: 'email',
        cond: sql<SqlBool>`lower(email) = lower(${email})`,
        key: `contact-email:${email.toLowerCase()}`,
      });
    }
    const region =
      countryCode(e.values.country as string | undefined) ??
      (ctx.k.settings.phoneRegion || undefined);
    for (const field of ['phone', 'mobile']) {
      const v = e.values[field];
      const n = typeof v === 'string' && v ? toE164(v, region) : null;
      if (n) {
        checks.push({ field, cond: sql<SqlBool>`phone_e164 = ${n}`, key: `contact-phone:${n}` });
        checks.push({ field, cond: sql<SqlBool>`mobile_e164 = ${n}`, key: `contact-phone:${n}` });
      }
    }
    if (checks.length === 0) return;
    // On PostgreSQL, creates of the same e-mail or phone wait for each other until commit, so that
    // the second one sees the first. SQLite has a single writer already.
    if (ctx.k.database.dialect === 'postgres') {
      const keys = checks.map((c) => c.key).sort();
      for (const key of new Set(keys))
        await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(ctx.db);
    }
    // All lookups in one round trip; each branch still uses its own index.
    const branches = checks.map(
      (c, i) =>
        sql`select * from (select ${i} as k, id, full_name from contacts where ${c.cond} and deleted_at is null limit 1) as ${sql.id(`b${i}`)}`,
    );
    const found = await sql<{ k: number; id: string; full_name: string | null }>`
      select k, id, full_name from (${sql.join(branches, sql` union all `)}) as hits order by k limit 1`.execute(
      ctx.db,
    );
    const hit = found.rows[0];
    {
      const check = checks[Number(hit?.k ?? 0)];
      const existing = hit ? { id: hit.id, full_name: hit.full_name } : undefined;
      if (existing) {
        const object = ctx.k.meta.get('contacts');
        const scope = scopeCondition(ctx.actor, object, 'read');
        const visible =
          !scope ||
          !!(await ctx.db
            .selectFrom('contacts')
            .select('id')
            .where(sql<SqlBool>`id = ${existing.id} and ${scope}`)
            .executeTakeFirst());
        if (!visible) {
          throw new AppError(
            'duplicate',
            `A contact with this ${check.field === 'email' ? 'e-mail' : 'phone number'} already exists, outside what you can see`,
            [{ path: check.field, message: 'matches a contact you cannot see' }],
          );
        }
        throw new AppError(
          'duplicate',
          `A contact with this ${check.field === 'email' ? 'e-mail' : 'phone number'} already exists: ${existing.full_name ?? existing.id}`,
          [{ path: check.field, message: `matches contact ${existing.id}` }],
          {
            existing: { object: 'contacts', id: existing.id, name: existing.full_name },
            hint: 'send "allow_duplicates": true in the query to create it anyway',
          },
        );
      }
    }
  },
};
