import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor, startServer } from '../helpers';

describe.each(DIALECTS)('custom fields and objects on %s', (dialect) => {
  const s = serverFor(dialect);

  test('adds a custom field to deals that can be set, filtered, sorted, searched and documented', async () => {
    const field = await s!.call('POST', '/api/v1/metadata/objects/deals/fields', {
      name: 'region_manager',
      label: 'Region manager',
      type: 'text',
      searchable: true,
    });
    expect(field.status).toBe(201);
    expect(field.body).toMatchObject({ name: 'region_manager', type: 'text', is_custom: true });

    const a = await s!.call('POST', '/api/v1/deals', {
      name: 'North deal',
      region_manager: 'Ingrid Olsen',
    });
    await s!.call('POST', '/api/v1/deals', { name: 'South deal', region_manager: 'Paolo Rossi' });
    expect(a.status).toBe(201);
    expect(a.body.region_manager).toBe('Ingrid Olsen');

    const filtered = await s!.call('GET', '/api/v1/deals?filter[region_manager][contains]=olsen');
    expect(filtered.body.data.map((d: { name: string }) => d.name)).toEqual(['North deal']);
    const sorted = await s!.call(
      'GET',
      '/api/v1/deals?filter[region_manager][is_empty]=false&sort=-region_manager&fields=name',
    );
    expect(sorted.body.data.map((d: { name: string }) => d.name)).toEqual([
      'South deal',
      'North deal',
    ]);
    const found = await s!.call('GET', '/api/v1/deals?q=ingrid');
    expect(found.body.data).toHaveLength(1);

    const doc = await s!.call('GET', '/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.components.schemas.Deals.properties.region_manager).toBeDefined();
    expect(doc.body.components.schemas.DealsCreate.properties.region_manager).toBeDefined();

    const anonymous = await s!.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const anonDoc = JSON.parse(anonymous.body);
    expect(anonDoc.components.schemas.Deals.properties.name).toBeDefined();
    expect(anonDoc.components.schemas.Deals.properties.region_manager).toBeUndefined();
    const page = await s!.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('/api/docs/start.js');
    expect((await s!.app.inject({ method: 'GET', url: '/api/docs/start.js' })).body).toContain(
      '/api/openapi.json',
    );
    expect(
      (await s!.app.inject({ method: 'GET', url: '/api/docs/swagger-ui-bundle.js' })).statusCode,
    ).toBe(200);
  });

  test('renames, relabels and removes a custom field without destroying its data', async () => {
    await s!.call('POST', '/api/v1/metadata/objects/companies/fields', {
      name: 'tier',
      label: 'Tier',
      type: 'select',
      options: [
        { value: 'gold', label: 'Gold' },
        { value: 'silver', label: 'Silver' },
      ],
    });
    const c = await s!.call('POST', '/api/v1/companies', { name: 'Tiered', tier: 'gold' });
    expect(c.body.tier).toBe('gold');
    const bad = await s!.call('POST', '/api/v1/companies', { name: 'Tiered', tier: 'bronze' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toEqual({ path: 'tier', message: 'must be one of: gold, silver' });

    const dropUsed = await s!.call('PATCH', '/api/v1/metadata/objects/companies/fields/tier', {
      options: [{ value: 'silver', label: 'Silver' }],
    });
    expect(dropUsed.status).toBe(400);

    const renamed = await s!.call('PATCH', '/api/v1/metadata/objects/companies/fields/tier', {
      name: 'level',
      label: 'Level',
    });
    expect(renamed.status).toBe(200);
    const after = await s!.call('GET', `/api/v1/companies/${c.body.id}`);
    expect(after.body.level).toBe('gold');
    expect(after.body.tier).toBeUndefined();

    const removed = await s!.call('DELETE', '/api/v1/metadata/objects/companies/fields/level');
    expect(removed.status).toBe(204);
    const gone = await s!.call('GET', `/api/v1/companies/${c.body.id}`);
    expect(gone.body.level).toBeUndefined();
    const filter = await s!.call('GET', '/api/v1/companies?filter[level]=gold');
    expect(filter.status).toBe(400);
    expect(filter.body.errors[0].path).toBe('filter[level]');
  });

  test('creates a custom object with a relation and a reverse list, then removes it', async () => {
    const created = await s!.call('POST', '/api/v1/metadata/objects', {
      name: 'installations',
      label_singular: 'Installation',
      label_plural: 'Installations',
      fields: [
        { name: 'installed_on', label: 'Installed on', type: 'date' },
        { name: 'hours', label: 'Hours', type: 'decimal', scale: 1 },
        {
          name: 'company_id',
          label: 'Company',
          type: 'relation',
          target: 'companies',
          reverse_name: 'installations',
        },
      ],
    });
    expect(created.status).toBe(201);
    const company = (await s!.call('POST', '/api/v1/companies', { name: 'Site owner' })).body;
    const rec = await s!.call('POST', '/api/v1/installations', {
      name: 'Boiler',
      installed_on: '2026-05-01',
      hours: '3.5',
      company_id: company.id,
    });
    expect(rec.status).toBe(201);
    expect(rec.body).toMatchObject({ hours: '3.5', installed_on: '2026-05-01' });
    const tooPrecise = await s!.call('POST', '/api/v1/installations', { name: 'x', hours: '3.55' });
    expect(tooPrecise.status).toBe(400);

    const related = await s!.call('GET', `/api/v1/companies/${company.id}/related/installations`);
    expect(related.body.data.map((r: { name: string }) => r.name)).toEqual(['Boiler']);
    const meta = await s!.call('GET', '/api/v1/metadata/objects/companies');
    expect(meta.body.related_lists).toContainEqual(
      expect.objectContaining({ name: 'installations', object: 'installations' }),
    );

    expect((await s!.call('DELETE', '/api/v1/metadata/objects/installations')).status).toBe(204);
    expect((await s!.call('GET', '/api/v1/installations')).status).toBe(404);
  });

  test('refuses a field name that is taken, reserved or malformed', async () => {
    const taken = await s!.call('POST', '/api/v1/metadata/objects/contacts/fields', {
      name: 'email',
      label: 'E',
      type: 'text',
    });
    expect(taken.status).toBe(400);
    const reserved = await s!.call('POST', '/api/v1/metadata/objects/contacts/fields', {
      name: 'version',
      label: 'V',
      type: 'text',
    });
    expect(reserved.status).toBe(400);
    const malformed = await s!.call('POST', '/api/v1/metadata/objects/contacts/fields', {
      name: 'Bad Name',
      label: 'B',
      type: 'text',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('name');
    const clash = await s!.call('POST', '/api/v1/metadata/objects/contacts/fields', {
      name: 'phone_e164',
      label: 'P',
      type: 'text',
    });
    expect(clash.status).toBe(400);
  });

  test('lets only administrators change metadata', async () => {
    const rep = await s!.keyFor({
      email: 'rep@example.com',
      name: 'Rep',
      role: 'Sales representative',
    });
    const res = await s!.app.inject({
      method: 'POST',
      url: '/api/v1/metadata/objects/deals/fields',
      headers: { authorization: `Bearer ${rep.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'sneaky', label: 'S', type: 'text' }),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('custom fields survive a restart', () => {
  test('on SQLite', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const pino = (await import('pino')).default;
    const { boot } = await import('../../server/src/boot');
    const { loadConfig } = await import('../../server/src/config');
    const { SYSTEM_ACTOR } = await import('../../server/src/core/actor');
    const { inTransaction } = await import('../../server/src/core/kontor');
    const { createField } = await import('../../server/src/core/metadata/constructor');
    const { createRecord } = await import('../../server/src/core/records/write');
    const dir = mkdtempSync(join(tmpdir(), 'kontor-restart-'));
    const config = loadConfig({ dataDir: dir, logLevel: 'silent', databaseUrl: '' }, {});
    const first = await boot({ config, log: pino({ level: 'silent' }) });
    await inTransaction(first.kontor, SYSTEM_ACTOR, (ctx) =>
      createField(ctx, 'contacts', { name: 'shoe_size', label: 'Shoe size', type: 'integer' }),
    );
    await first.kontor.meta.load(first.kontor.database.db);
    await inTransaction(first.kontor, SYSTEM_ACTOR, (ctx) =>
      createRecord(ctx, 'contacts', { last_name: 'Feet', shoe_size: 44 }),
    );
    await first.kontor.database.close();

    const second = await boot({ config, log: pino({ level: 'silent' }) });
    expect(second.kontor.meta.get('contacts').field('shoe_size')?.type).toBe('integer');
    const row = await second.kontor.database.db
      .selectFrom('contacts')
      .select('shoe_size')
      .where('last_name', '=', 'Feet')
      .executeTakeFirst();
    expect(row?.shoe_size).toBe(44);
    await second.kontor.database.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a second server process on PostgreSQL', () => {
  test('sees a custom field created through the first one', async (ctx) => {
    const s = await startServer('postgres');
    if (!s) return ctx.skip();
    const pino = (await import('pino')).default;
    const { boot } = await import('../../server/src/boot');
    const { loadConfig } = await import('../../server/src/config');
    const { buildApp } = await import('../../server/src/http/app');
    const { PG_URL } = await import('../helpers');
    const config = loadConfig({ dataDir: '/tmp', databaseUrl: PG_URL, logLevel: 'silent' }, {});
    const other = await boot({
      config,
      schema: s.kontor.database.schema!,
      log: pino({ level: 'silent' }),
    });
    const otherApp = await buildApp(other.kontor);
    try {
      const created = await s.call('POST', '/api/v1/metadata/objects/contacts/fields', {
        name: 'loyalty_level',
        label: 'Loyalty level',
        type: 'integer',
      });
      expect(created.status).toBe(201);
      let seen = false;
      for (let i = 0; i < 50 && !seen; i++) {
        seen = !!other.kontor.meta.get('contacts').field('loyalty_level');
        if (!seen) await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toBe(true);
      const res = await otherApp.inject({
        method: 'POST',
        url: '/api/v1/contacts',
        headers: { authorization: `Bearer ${s.adminKey}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ last_name: 'Loyal', loyalty_level: 3 }),
      });
      expect(res.statusCode).toBe(201);
    } finally {
      await otherApp.close();
      await other.kontor.database.close();
      await s.close();
    }
  });
});
