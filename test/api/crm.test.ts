import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('CRM behaviour on %s', (dialect) => {
  const s = serverFor(dialect);

  async function stage(kind: string, name?: string) {
    const res = await s!.call('GET', `/api/v1/stages?filter[kind]=${kind}&sort=position`);
    return name ? res.body.data.find((x: { name: string }) => x.name === name) : res.body.data[0];
  }

  test('converts a lead into a contact, an existing company matched by domain, and a deal, once', async () => {
    const company = (
      await s!.call('POST', '/api/v1/companies', { name: 'Ernst Handel', domain: 'ernsthandel.at' })
    ).body;
    const lead = (
      await s!.call('POST', '/api/v1/leads', {
        first_name: 'Roland',
        last_name: 'Mendel',
        company_name: 'Ernst Handel GmbH',
        email: 'roland@ernsthandel.at',
      })
    ).body;
    expect(lead.status).toBe('new');

    const res = await s!.call('POST', `/api/v1/leads/${lead.id}/convert`, {
      create_deal: true,
      deal: {
        name: 'Ernst Handel: first order',
        amount: { amount_minor: 500000, currency: 'EUR' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.company_id).toBe(company.id);
    expect(res.body.company_created).toBe(false);
    expect(res.body.contact).toMatchObject({ full_name: 'Roland Mendel', company_id: company.id });
    expect(res.body.deal).toMatchObject({
      company_id: company.id,
      contact_id: res.body.contact.id,
      status: 'open',
    });
    expect(res.body.lead).toMatchObject({
      status: 'converted',
      converted_contact_id: res.body.contact.id,
      converted_company_id: company.id,
      converted_deal_id: res.body.deal.id,
    });

    const again = await s!.call('POST', `/api/v1/leads/${lead.id}/convert`, {});
    expect(again.status).toBe(409);
    expect(
      (await s!.call('GET', '/api/v1/companies?filter[name][starts_with]=Ernst&count=true')).body
        .total,
    ).toBe(1);
  });

  test('matches a company by its normalised name and creates one when none matches', async () => {
    const existing = (await s!.call('POST', '/api/v1/companies', { name: 'Königlich Essen' })).body;
    const l1 = (
      await s!.call('POST', '/api/v1/leads', {
        last_name: 'Ahlers',
        company_name: 'KÖNIGLICH ESSEN GmbH',
      })
    ).body;
    const r1 = await s!.call('POST', `/api/v1/leads/${l1.id}/convert`);
    expect(r1.body.company_id).toBe(existing.id);

    const l2 = (
      await s!.call('POST', '/api/v1/leads', {
        last_name: 'Nobody',
        company_name: 'Brand New Ltd',
        email: 'n@brandnew.example',
      })
    ).body;
    const r2 = await s!.call('POST', `/api/v1/leads/${l2.id}/convert`);
    expect(r2.body.company_created).toBe(true);
    const created = await s!.call('GET', `/api/v1/companies/${r2.body.company_id}`);
    expect(created.body).toMatchObject({ name: 'Brand New Ltd', domain: 'brandnew.example' });
  });

  test('refuses to mark a lead converted by hand', async () => {
    const l = (await s!.call('POST', '/api/v1/leads', { last_name: 'Hand' })).body;
    const res = await s!.call('PATCH', `/api/v1/leads/${l.id}`, { status: 'converted' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('status');
  });

  test('moves a deal through stages, requires a lost reason and keeps the stage history', async () => {
    const first = await stage('open');
    const deal = (await s!.call('POST', '/api/v1/deals', { name: 'Stages' })).body;
    expect(deal).toMatchObject({ stage_id: first.id, status: 'open', closed_at: null });

    s!.clock.advance(3_600_000);
    const next = await stage('open', 'Proposal');
    expect((await s!.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: next.id })).status).toBe(
      200,
    );

    s!.clock.advance(7_200_000);
    const lost = await stage('lost');
    const noReason = await s!.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: lost.id });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('lost_reason');
    const closed = await s!.call('PATCH', `/api/v1/deals/${deal.id}`, {
      stage_id: lost.id,
      lost_reason: 'Price',
    });
    expect(closed.body).toMatchObject({
      status: 'lost',
      lost_reason: 'Price',
      closed_at: s!.clock.now().toISOString(),
    });

    const history = await s!.call('GET', `/api/v1/deals/${deal.id}/stage-history`);
    expect(history.body.data.map((h: { stage_id: string }) => h.stage_id)).toEqual([
      first.id,
      next.id,
      lost.id,
    ]);
    expect(
      history.body.data.map((h: { seconds_in_stage: number }) => h.seconds_in_stage).slice(0, 2),
    ).toEqual([3600, 7200]);
    expect(history.body.data[2].exited_at).toBeNull();

    const reopened = await s!.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: first.id });
    expect(reopened.body).toMatchObject({ status: 'open', closed_at: null });
  });

  test('keeps a stage and pipeline together and supports several pipelines', async () => {
    const p = (
      await s!.call('POST', '/api/v1/pipelines', { name: 'Service contracts', position: 1 })
    ).body;
    const st = (
      await s!.call('POST', '/api/v1/stages', {
        name: 'Offer',
        pipeline_id: p.id,
        position: 0,
        probability: 30,
        kind: 'open',
      })
    ).body;
    const d = await s!.call('POST', '/api/v1/deals', { name: 'Contract', pipeline_id: p.id });
    expect(d.body.stage_id).toBe(st.id);
    const sales = await stage('open');
    const mismatch = await s!.call('POST', '/api/v1/deals', {
      name: 'Wrong',
      pipeline_id: p.id,
      stage_id: sales.id,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].path).toBe('stage_id');
  });

  test('keeps a company total of its won deals in step with the deals', async () => {
    const c = (await s!.call('POST', '/api/v1/companies', { name: 'Totals Inc' })).body;
    const won = await stage('won');
    const d1 = (
      await s!.call('POST', '/api/v1/deals', {
        name: 'W1',
        company_id: c.id,
        stage_id: won.id,
        amount: { amount_minor: 1000, currency: 'USD' },
      })
    ).body;
    await s!.call('POST', '/api/v1/deals', {
      name: 'W2',
      company_id: c.id,
      stage_id: won.id,
      amount: { amount_minor: 2550, currency: 'USD' },
    });
    await s!.call('POST', '/api/v1/deals', {
      name: 'Open',
      company_id: c.id,
      amount: { amount_minor: 99999, currency: 'USD' },
    });
    let got = (await s!.call('GET', `/api/v1/companies/${c.id}`)).body;
    expect(got.won_deals_count).toBe(2);
    expect(got.won_deals_amount).toEqual({ amount_minor: 3550, currency: 'USD', amount: '35.50' });
    await s!.call('DELETE', `/api/v1/deals/${d1.id}`);
    got = (await s!.call('GET', `/api/v1/companies/${c.id}`)).body;
    expect(got.won_deals_count).toBe(1);
    expect(got.won_deals_amount.amount_minor).toBe(2550);
    const readOnly = await s!.call('PATCH', `/api/v1/companies/${c.id}`, { won_deals_count: 7 });
    expect(readOnly.status).toBe(400);
  });
});

describe.each(DIALECTS)('merging duplicates on %s', (dialect) => {
  const s = serverFor(dialect);

  test('moves contacts, deals and activities to the survivor, keeps chosen values and the history', async () => {
    const keep = (await s.call('POST', '/api/v1/companies', { name: 'Merge Keep', city: 'Oslo' }))
      .body;
    const dup = (
      await s.call('POST', '/api/v1/companies', {
        name: 'Merge Keep AS',
        city: 'Bergen',
        phone: '+47 55 00 00 00',
      })
    ).body;
    const p = (await s.call('POST', '/api/v1/contacts', { last_name: 'Moved', company_id: dup.id }))
      .body;
    const d = (await s.call('POST', '/api/v1/deals', { name: 'Moved deal', company_id: dup.id }))
      .body;
    await s.call('POST', '/api/v1/activities', {
      kind: 'note',
      body: 'Old note',
      related_object: 'companies',
      related_id: dup.id,
    });

    const res = await s.call('POST', '/api/v1/companies/merge', {
      survivor_id: keep.id,
      merged_ids: [dup.id],
      values: { phone: '+47 55 00 00 00' },
    });
    expect(res.status).toBe(200);
    expect(res.body.survivor).toMatchObject({
      id: keep.id,
      city: 'Oslo',
      phone: '+47 55 00 00 00',
      contacts_count: 1,
    });
    expect((await s.call('GET', `/api/v1/contacts/${p.id}`)).body.company_id).toBe(keep.id);
    expect((await s.call('GET', `/api/v1/deals/${d.id}`)).body.company_id).toBe(keep.id);
    const gone = (await s.call('GET', `/api/v1/companies/${dup.id}?include_deleted=true`)).body;
    expect(gone).toMatchObject({ merged_into_id: keep.id });
    expect(gone.deleted_at).not.toBeNull();
    const tl = (await s.call('GET', `/api/v1/companies/${keep.id}/timeline`)).body.data;
    expect(
      tl.some(
        (i: { type: string; record?: { body: string } }) =>
          i.type === 'activity' && i.record?.body === 'Old note',
      ),
    ).toBe(true);
    expect(tl.filter((i: { action?: string }) => i.action === 'merge')).toHaveLength(2);

    expect(
      (
        await s.call('POST', '/api/v1/companies/merge', {
          survivor_id: keep.id,
          merged_ids: [keep.id],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await s.call('POST', '/api/v1/companies/merge', {
          survivor_id: keep.id,
          merged_ids: [dup.id],
        })
      ).status,
    ).toBe(404);
  });
});

describe.each(DIALECTS)('people need a name on %s', (dialect) => {
  const s = serverFor(dialect);

  test('a contact or lead without name, e-mail or phone is refused; related lists without a reverse name work', async () => {
    expect((await s.call('POST', '/api/v1/contacts', {})).status).toBe(400);
    expect((await s.call('POST', '/api/v1/leads', { job_title: 'Buyer' })).status).toBe(400);
    expect((await s.call('POST', '/api/v1/leads', { email: 'only@example.com' })).status).toBe(201);
    const d = (await s.call('POST', '/api/v1/deals', { name: 'Has leads list' })).body;
    const meta = (await s.call('GET', '/api/v1/metadata/objects/deals')).body;
    const list = meta.related_lists.find((l: { object: string }) => l.object === 'leads');
    expect((await s.call('GET', `/api/v1/deals/${d.id}/related/${list.name}`)).status).toBe(200);
  });
});
