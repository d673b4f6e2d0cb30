import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor } from '../helpers';

describe.each(DIALECTS)('import and export on %s', (dialect) => {
  const s = serverFor(dialect);

  async function upload(object: string, body: Buffer | string, query = '', type = 'text/csv') {
    const res = await s!.app.inject({
      method: 'POST',
      url: `/api/v1/${object}/import${query}`,
      headers: { authorization: `Bearer ${s!.adminKey}`, 'content-type': type },
      payload: body,
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  }

  test('imports a semicolon CSV with a BOM, quoted newlines and empty cells, mapping headers by label', async () => {
    const csv =
      '\uFEFFName;City;Country;Supplier;Description\n"Müller; Söhne";Köln;Germany;yes;"two\nlines"\nPlain Ltd;;UK;no;\n';
    const res = await upload('companies', Buffer.from(csv, 'utf8'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 2, created: 2, failed: 0 });
    const got = await s!.call('GET', '/api/v1/companies?filter[city]=K%C3%B6ln');
    expect(got.body.data[0]).toMatchObject({
      name: 'Müller; Söhne',
      is_supplier: true,
      description: 'two\nlines',
    });
    const plain = await s!.call('GET', '/api/v1/companies?filter[name]=Plain%20Ltd');
    expect(plain.body.data[0]).toMatchObject({ city: null, is_supplier: false });
  });

  test('reads windows-1252 and tab-separated files', async () => {
    const text = 'name\tcity\nCafé Noël\tNîmes\n';
    const res = await upload('companies', iconv.encode(text, 'windows-1252'));
    expect(res.status).toBe(200);
    expect(res.body.warnings[0]).toContain('windows-1252');
    expect((await s!.call('GET', '/api/v1/companies?q=noel')).body.data[0].city).toBe('Nîmes');
  });

  test('a failed import changes nothing and reports every bad row by line', async () => {
    const before = (await s!.call('GET', '/api/v1/contacts?count=true&limit=1')).body.total;
    const csv =
      'First name,Last name,E-mail,Birthday\nAna,Trujillo,ana@example.com,1970-01-01\nBad,Mail,not-an-email,1970-01-01\nBad,Date,ok@example.com,31/12/1970\n';
    const res = await upload('contacts', csv);
    expect(res.status).toBe(400);
    expect(res.body.report).toMatchObject({ rows: 3, failed: 2 });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'line 3.email',
      'line 4.birthday',
    ]);
    expect((await s!.call('GET', '/api/v1/contacts?count=true&limit=1')).body.total).toBe(before);
  });

  test('a dry run checks everything and writes nothing', async () => {
    const res = await upload('companies', 'name\nDry One\nDry Two\n', '?dry_run=true');
    expect(res.body).toMatchObject({ dry_run: true, created: 2 });
    expect(
      (await s!.call('GET', '/api/v1/companies?filter[name][starts_with]=Dry&count=true')).body
        .total,
    ).toBe(0);
  });

  test('upserts by a chosen field and resolves relations by name', async () => {
    await upload('companies', 'name,external_ref\nUpsert Co,U-1\n');
    const res = await upload(
      'companies',
      'name,external_ref,city\nUpsert Company,U-1,Oslo\nSecond,U-2,Bergen\n',
      '?upsert=external_ref',
    );
    expect(res.body).toMatchObject({ created: 1, updated: 1 });
    const got = await s!.call('GET', '/api/v1/companies?filter[external_ref]=U-1');
    expect(got.body.data).toHaveLength(1);
    expect(got.body.data[0]).toMatchObject({ name: 'Upsert Company', city: 'Oslo' });
    const contacts = await upload('contacts', 'last_name,company\nNordmann,Upsert Company\n');
    expect(contacts.body.created).toBe(1);
    const c = await s!.call('GET', '/api/v1/contacts?filter[last_name]=Nordmann');
    expect(c.body.data[0].company_id).toBe(got.body.data[0].id);
  });

  test('exports the filtered list to CSV and XLSX with the same rows, and the CSV imports back', async () => {
    await s!.call('POST', '/api/v1/companies/batch', {
      operations: [
        {
          op: 'create',
          data: { name: 'Export Alpha', country: 'Norway', phone: '+47 22 00 00 00' },
        },
        { op: 'create', data: { name: 'Export Beta', country: 'Norway' } },
        { op: 'create', data: { name: 'Export Gamma', country: 'Chile' } },
      ],
    });
    const url =
      '/api/v1/companies/export?filter[country]=Norway&sort=name&fields=name,country,phone';
    const csv = await s!.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${s!.adminKey}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(
      csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n'),
    ).toEqual(['Name,Country,Phone', 'Export Alpha,Norway,+47 22 00 00 00', 'Export Beta,Norway,']);

    const xlsx = await s!.app.inject({
      method: 'GET',
      url: `${url}&format=xlsx`,
      headers: { authorization: `Bearer ${s!.adminKey}` },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['Name', 'Country', 'Phone'],
      ['Export Alpha', 'Norway', '+47 22 00 00 00'],
      ['Export Beta', 'Norway'],
    ]);

    const back = await upload('companies', csv.body.replace(/Export/g, 'Reimported'));
    expect(back.body).toMatchObject({ created: 2, failed: 0 });
  });
});

describe.each(DIALECTS)('typed XLSX on %s', (dialect) => {
  const s = serverFor(dialect);

  test('writes money as numbers with their currency and dates as dates, and reads them back', async () => {
    await s.call('POST', '/api/v1/deals', {
      name: 'Typed',
      amount: { amount: '1234.50', currency: 'USD' },
      expected_close_date: '2026-12-31',
      external_ref: 'TYPED',
    });
    const res = await s.app.inject({
      method: 'GET',
      url: '/api/v1/deals/export?format=xlsx&filter[external_ref]=TYPED&fields=name,amount,expected_close_date',
      headers: { authorization: `Bearer ${s.adminKey}` },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const row = wb.worksheets[0].getRow(2);
    expect(row.getCell(2).value).toBe(1234.5);
    expect(row.getCell(2).numFmt).toContain('"USD"');
    expect(row.getCell(3).value).toEqual(new Date('2026-12-31T00:00:00.000Z'));

    const back = await s.app.inject({
      method: 'POST',
      url: '/api/v1/deals/import',
      headers: {
        authorization: `Bearer ${s.adminKey}`,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    expect(back.statusCode).toBe(200);
    const copies = (
      await s.call('GET', '/api/v1/deals?filter[name]=Typed&filter[external_ref][is_empty]=true')
    ).body.data;
    expect(copies[0]).toMatchObject({
      amount: { amount_minor: 123450, currency: 'USD' },
      expected_close_date: '2026-12-31',
    });
  });
});
