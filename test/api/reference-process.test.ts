import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';
import { multipart, PNG } from '../support/forms';

const DAY = 86_400_000;
const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe.each(DIALECTS)('the reference process on %s', (dialect) => {
  const s = serverFor(dialect);

  const create = async (object: string, body: Record<string, unknown>) => {
    const r = await s.call('POST', `/api/v1/${object}`, body);
    expect(r.status, `${object}: ${JSON.stringify(r.body)}`).toBe(201);
    return r.body as Record<string, any> & { id: string };
  };
  const stage = async (name: string) =>
    (await s.call('GET', `/api/v1/stages?filter[name][eq]=${name}`)).body.data[0].id as string;
  const tasksOf = async (dealId: string) =>
    (
      await s.call(
        'GET',
        `/api/v1/tasks?filter[related_id][eq]=${dealId}&sort=created_at&limit=100`,
      )
    ).body.data as { id: string; title: string; status: string; queue_id: string | null }[];
  const settle = async () => {
    for (let i = 0; i < 4; i++) await s.drain();
  };

  test('from the first stage to the installation report on the deal, every step in the run history', async () => {
    const installed = await s.call('POST', '/api/v1/automation/templates/reference/install', {
      installer_email: 'installers@example.com',
    });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    expect(installed.body.processes).toHaveLength(2);
    // Installing again keeps what is there.
    const again = await s.call('POST', '/api/v1/automation/templates/reference/install', {
      installer_email: 'installers@example.com',
    });
    expect(again.body.processes.map((p: { id: string }) => p.id)).toEqual(
      installed.body.processes.map((p: { id: string }) => p.id),
    );

    // A made product (a bill of two components), one component short and bought from a supplier.
    const supplier = await create('companies', { name: 'Steel Supply', is_supplier: true });
    const warehouse = await create('warehouses', { name: 'Plant' });
    const frame = await create('products', {
      name: 'Frame',
      kind: 'goods',
      supplier_id: supplier.id,
    });
    const bolt = await create('products', {
      name: 'Bolt',
      kind: 'goods',
      supplier_id: supplier.id,
    });
    await create('supplier_prices', {
      supplier_id: supplier.id,
      product_id: frame.id,
      price: eur('40.00'),
    });
    await create('supplier_prices', {
      supplier_id: supplier.id,
      product_id: bolt.id,
      price: eur('0.10'),
    });
    const gate = await create('products', { name: 'Garden gate', kind: 'goods' });
    const bom = await create('bills_of_materials', { name: 'Gate', product_id: gate.id });
    await create('bom_lines', { bom_id: bom.id, component_id: frame.id, quantity: '1' });
    await create('bom_lines', { bom_id: bom.id, component_id: bolt.id, quantity: '8' });
    const receipt = await s.call('POST', '/api/v1/stock/moves', {
      kind: 'receipt',
      product_id: bolt.id,
      warehouse_id: warehouse.id,
      quantity: '100',
    });
    expect(receipt.status).toBe(201);

    const customer = await create('companies', { name: 'Villa Rosa' });
    const deal = await create('deals', { name: 'Villa Rosa gates', company_id: customer.id });
    const order = await create('sales_orders', {
      currency: 'EUR',
      company_id: customer.id,
      deal_id: deal.id,
      warehouse_id: warehouse.id,
    });
    await create('sales_order_lines', {
      order_id: order.id,
      product_id: gate.id,
      quantity: '2',
      unit_price: eur('900.00'),
    });

    // 1. Stages: tasks for the sales manager, an estimate for production.
    await s.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: await stage('Qualified') });
    await settle();
    expect((await tasksOf(deal.id)).map((t) => t.title)).toEqual([
      'Qualify the needs of Villa Rosa gates',
      'Estimate the work for Villa Rosa gates',
    ]);
    s.clock.advance(3 * DAY);
    await s.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: await stage('Proposal') });
    await settle();
    expect((await tasksOf(deal.id)).map((t) => t.title)).toContain(
      'Send the proposal for Villa Rosa gates',
    );

    // 2. Won: production and purchase orders planned, tasks for production and purchasing.
    s.clock.advance(10 * DAY);
    await s.call('PATCH', `/api/v1/deals/${deal.id}`, { stage_id: await stage('Won') });
    await settle();
    const production = (
      await s.call('GET', `/api/v1/production_orders?filter[deal_id][eq]=${deal.id}`)
    ).body.data;
    expect(production).toHaveLength(1);
    expect(production[0]).toMatchObject({
      product_id: gate.id,
      quantity: '2.000',
      status: 'draft',
    });
    const purchase = (
      await s.call('GET', `/api/v1/purchase_orders?filter[supplier_id][eq]=${supplier.id}`)
    ).body.data;
    expect(purchase).toHaveLength(1);
    const poLines = (
      await s.call('GET', `/api/v1/purchase_order_lines?filter[order_id][eq]=${purchase[0].id}`)
    ).body.data;
    // Two frames are short; the bolts are in stock.
    expect(
      poLines.map((l: { product_id: string; quantity: string }) => [l.product_id, l.quantity]),
    ).toEqual([[frame.id, '2.000']]);

    // 3. The deal's tasks show where the order stands.
    let tasks = await tasksOf(deal.id);
    const produce = tasks.find((t) => t.title === 'Produce the order of Villa Rosa gates')!;
    const check = tasks.find((t) => t.title === 'Check the quality of Villa Rosa gates')!;
    expect(produce.status).toBe('open');
    expect(check.status).toBe('waiting');
    expect(tasks.find((t) => t.title === 'Order the materials for Villa Rosa gates')).toBeTruthy();

    // 4. Production done: installation starts, and the installation team gets its form link.
    await s.call('PATCH', `/api/v1/tasks/${produce.id}`, { status: 'done' });
    await settle();
    expect((await s.call('GET', `/api/v1/tasks/${check.id}`)).body.status).toBe('open');
    expect((await tasksOf(deal.id)).some((t) => t.title.startsWith('Install'))).toBe(false);
    await s.call('PATCH', `/api/v1/tasks/${check.id}`, { status: 'done' });
    await settle();
    tasks = await tasksOf(deal.id);
    const install = tasks.find((t) => t.title === 'Install Villa Rosa gates at the customer')!;
    expect(install.status).toBe('open');
    const mail = await s.kontor.database.db
      .selectFrom('mail_log')
      .selectAll()
      .where('related_id', '=', install.id)
      .executeTakeFirstOrThrow();
    expect(mail.to_address).toBe('installers@example.com');
    const url = /https?:\/\/\S+\/f\/[A-Za-z0-9_-]+/.exec(String(mail.text_body))![0];
    const path = new URL(url).pathname;

    // 5. The form, without a login: it closes the task and writes the result onto the deal.
    const form = await s.app.inject({ method: 'GET', url: path });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Installation report');
    const body = multipart(
      { installed_on: '2026-03-20', notes: 'Both gates hung and oiled', confirmed: 'on' },
      [{ field: 'photos', name: 'gate.png', type: 'image/png', data: PNG }],
    );
    const sent = await s.app.inject({
      method: 'POST',
      url: path,
      headers: body.headers,
      payload: body.payload,
    });
    expect(sent.statusCode, sent.body).toBe(200);
    await settle();
    const after = (await s.call('GET', `/api/v1/deals/${deal.id}`)).body;
    expect(after).toMatchObject({
      installed_on: '2026-03-20',
      installation_notes: 'Both gates hung and oiled',
      installation_confirmed: true,
    });
    expect((await s.call('GET', `/api/v1/tasks/${install.id}`)).body.status).toBe('done');
    // A second use of the link changes nothing.
    const reused = await s.app.inject({
      method: 'POST',
      url: path,
      headers: body.headers,
      payload: body.payload,
    });
    expect(reused.statusCode).toBeGreaterThanOrEqual(400);

    // The run history shows every step of the won process, each done once.
    const won = installed.body.processes[1].id;
    const runs = (await s.call('GET', `/api/v1/automation/runs?process_id=${won}`)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('done');
    const detail = (await s.call('GET', `/api/v1/automation/runs/${runs[0].id}`)).body;
    expect(
      detail.steps.map((x: { step_id: string; status: string }) => `${x.step_id}:${x.status}`),
    ).toEqual([
      'plan:done',
      'make:done',
      'buy:done',
      'production_done:done',
      'install:done',
      'send_form:done',
      'installed:done',
      'report:done',
    ]);
    const notes = (await s.call('GET', `/api/v1/activities?filter[related_id][eq]=${deal.id}`)).body
      .data;
    expect(notes.map((n: { body: string }) => n.body)).toContain(
      'Installed on 2026-03-20. Both gates hung and oiled',
    );
  });
});
