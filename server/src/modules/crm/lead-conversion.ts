import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { writeAudit } from '../../core/audit/audit-log';
import { isoNow } from '../../core/clock';
import { AppError, validationError, parseInput } from '../../core/errors';
import { isId } from '../../core/ids';
import type { RecordContext } from '../../core/kontor';
import { canWriteField, scopeCondition } from '../../core/permissions/scope';
import { grantFor } from '../../core/permissions/grants';
import type { ApiRecord, RecordHooks } from '../../core/records/hooks';
import { loadRecord } from '../../core/records/read';
import { createRecord, updateRecord } from '../../core/records/write';
import { foldText, searchCondition } from '../../core/search/search-index';

/** New leads start as `new`; only conversion may mark one `converted`. */
export const leadStatusHook: RecordHooks = {
  async beforeWrite(_ctx, e) {
    if (e.values.status === 'converted' && !e.options.system) {
      throw validationError([
        {
          path: 'status',
          message: 'is set by converting the lead (POST /api/v1/leads/{id}/convert)',
        },
      ]);
    }
    if (e.before?.status === 'converted' && e.values.status !== undefined && !e.options.system) {
      throw validationError([{ path: 'status', message: 'a converted lead keeps its status' }]);
    }
    if (e.action === 'create' && e.values.status === undefined) e.values.status = 'new';
  },
};

export const convertInputSchema = z.strictObject({
  company_id: z.string().refine(isId, 'must be a record id (UUID)').optional(),
  create_deal: z.boolean().default(false),
  deal: z
    .strictObject({
      name: z.string().optional(),
      amount: z.unknown().optional(),
      pipeline_id: z.string().optional(),
      stage_id: z.string().optional(),
      expected_close_date: z.string().optional(),
    })
    .optional(),
});

export type ConvertInput = z.input<typeof convertInputSchema>;

const LEGAL_FORMS = new Set([
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'plc',
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'aps',
  'co',
  'corp',
  'corporation',
  'company',
  'tov',
  'sp',
  'zoo',
]);

/** A company name reduced for matching: folded, punctuation and legal form dropped. */
export function normaliseCompanyName(name: string): string {
  const words = foldText(name).match(/[\p{L}\p{N}]+/gu) ?? [];
  while (words.length > 1 && LEGAL_FORMS.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}

function domainOf(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  const host = t.includes('@') ? t.split('@')[1] : t.replace(/^https?:\/\//, '').split('/')[0];
  return host.replace(/^www\./, '') || null;
}

const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'icloud.com',
  'gmx.de',
  'ukr.net',
  'mail.com',
  'proton.me',
  'protonmail.com',
]);

async function matchCompany(ctx: RecordContext, lead: ApiRecord): Promise<string | null> {
  const object = ctx.k.meta.get('companies');
  const scope = scopeCondition(ctx.actor, object, 'read');
  const visible = scope ? sql<SqlBool>` and ${scope}` : sql``;
  const domain = domainOf(lead.domain as string) ?? domainOf(lead.email as string);
  if (domain && !FREE_MAIL.has(domain)) {
    const byDomain = await sql<{ id: string }>`
      select id from companies where lower(domain) = ${domain} and deleted_at is null ${visible}
      order by created_at limit 1`.execute(ctx.db);
    if (byDomain.rows[0]) return byDomain.rows[0].id;
  }
  const name = lead.company_name as string | null;
  if (!name) return null;
  const wanted = normaliseCompanyName(name);
  if (!wanted) return null;
  // Candidates come from the search index (folded like the names), then compare in full.
  const list = await ctx.db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where(searchCondition(ctx.k.database.dialect, object, wanted))
    .where(sql<SqlBool>`deleted_at is null ${visible}`)
    .orderBy('created_at')
    .limit(500)
    .execute();
  const hit = (list as { id: string; name: string }[]).find(
    (c) => normaliseCompanyName(c.name) === wanted,
  );
  return hit?.id ?? null;
}

/** Whether the user may change this contact (a teammate's may be readable but not theirs to edit). */
async function mayUpdate(ctx: RecordContext, contactId: string): Promise<boolean> {
  const contacts = ctx.k.meta.get('contacts');
  if (
    grantFor(ctx.actor.role, 'contacts').update === 'none' ||
    !canWriteField(ctx.actor, contacts, 'company_id')
  )
    return false;
  const scope = scopeCondition(ctx.actor, contacts, 'update');
  if (!scope) return true;
  return !!(await ctx.db
    .selectFrom('contacts')
    .select('id')
    .where('id', '=', contactId)
    .where(scope)
    .executeTakeFirst());
}

/**
 * Turns a lead into a contact, a company (an existing one when the domain or the normalised
 * name matches) and optionally a deal, in one transaction. A lead converts once.
 */
export async function convertLead(ctx: RecordContext, leadId: string, rawInput: unknown) {
  const input = parseInput(convertInputSchema, rawInput);
  const leads = ctx.k.meta.get('leads');
  const lead = await loadRecord(ctx, leads, leadId, { action: 'update', raw: true });
  if (lead.status === 'converted' || lead.converted_at) {
    throw new AppError(
      'conflict',
      'This lead has already been converted',
      [{ path: 'id', message: 'is converted' }],
      {
        converted: {
          contact_id: lead.converted_contact_id,
          company_id: lead.converted_company_id,
          deal_id: lead.converted_deal_id,
        },
      },
    );
  }

  let companyId = input.company_id ?? null;
  let companyCreated = false;
  if (companyId) {
    await loadRecord(ctx, ctx.k.meta.get('companies'), companyId);
  } else {
    companyId = await matchCompany(ctx, lead);
    if (!companyId && lead.company_name) {
      const domain = domainOf(lead.domain as string) ?? domainOf(lead.email as string);
      const company = await createRecord(ctx, 'companies', {
        name: lead.company_name,
        domain: domain && !FREE_MAIL.has(domain) ? domain : null,
        city: lead.city ?? null,
        country: lead.country ?? null,
        owner_id: lead.owner_id ?? null,
      });
      companyId = company.id;
      companyCreated = true;
    }
  }

  let contact: ApiRecord | undefined;
  if (lead.email) {
    const existing = (await ctx.db
      .selectFrom('contacts')
      .select('id')
      .where(sql<SqlBool>`lower(email) = lower(${String(lead.email)}) and deleted_at is null`)
      .executeTakeFirst()) as { id: string } | undefined;
    if (existing)
      contact = await loadRecord(ctx, ctx.k.meta.get('contacts'), existing.id).catch(
        () => undefined,
      );
  }
  const contactCreated = !contact;
  if (!contact) {
    contact = await createRecord(
      ctx,
      'contacts',
      {
        first_name: lead.first_name ?? null,
        last_name: lead.last_name ?? null,
        email: lead.email ?? null,
        phone: lead.phone ?? null,
        job_title: lead.job_title ?? null,
        city: lead.city ?? null,
        country: lead.country ?? null,
        company_id: companyId,
        description: lead.description ?? null,
        owner_id: lead.owner_id ?? null,
      },
      { allowDuplicates: true },
    );
  } else if (!contact.company_id && companyId && (await mayUpdate(ctx, contact.id))) {
    contact = await updateRecord(ctx, 'contacts', contact.id, { company_id: companyId });
  }

  let deal: ApiRecord | undefined;
  if (input.create_deal || input.deal) {
    const d = input.deal ?? {};
    deal = await createRecord(ctx, 'deals', {
      name: d.name ?? (lead.company_name as string) ?? (lead.full_name as string) ?? 'Deal',
      ...(d.amount !== undefined ? { amount: d.amount } : {}),
      ...(d.pipeline_id ? { pipeline_id: d.pipeline_id } : {}),
      ...(d.stage_id ? { stage_id: d.stage_id } : {}),
      ...(d.expected_close_date ? { expected_close_date: d.expected_close_date } : {}),
      company_id: companyId,
      contact_id: contact.id,
      owner_id: lead.owner_id ?? null,
    }).catch((err: unknown) => {
      // Name the deal's fields as the caller wrote them: deal.amount, deal.stage_id.
      if (err instanceof AppError) {
        throw new AppError(
          err.code,
          err.message,
          err.errors.map((e) => ({ ...e, path: `deal.${e.path}` })),
          err.extra,
        );
      }
      throw err;
    });
  }

  const updated = await updateRecord(
    ctx,
    'leads',
    lead.id,
    {
      status: 'converted',
      converted_at: isoNow(ctx.k.clock),
      converted_contact_id: contact.id,
      converted_company_id: companyId,
      converted_deal_id: deal?.id ?? null,
    },
    { expectedVersion: lead.version, options: { system: true } },
  );
  await writeAudit(ctx, {
    object: 'leads',
    recordId: lead.id,
    action: 'convert',
    changes: {
      contact_id: [null, contact.id],
      company_id: [null, companyId],
      deal_id: [null, deal?.id ?? null],
    },
  });
  return {
    lead: updated,
    contact,
    contact_created: contactCreated,
    company_id: companyId,
    company_created: companyCreated,
    deal: deal ?? null,
  };
}
