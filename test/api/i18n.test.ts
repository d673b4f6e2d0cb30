import { describe, expect, test } from 'vitest';
import { DIALECTS, callAs, serverFor } from '../helpers';

describe.each(DIALECTS)('labels in the reader’s language on %s', (dialect) => {
  const s = serverFor(dialect);

  test('a Ukrainian reader gets standard labels in Ukrainian; renamed and custom labels stay as written', async () => {
    await s!.call('POST', '/api/v1/metadata/objects/companies/fields', {
      name: 'region_manager',
      label: 'Region manager',
      type: 'text',
    });
    // An administrator renamed a standard field: their word wins in every language.
    await s!.call('PATCH', '/api/v1/metadata/objects/companies/fields/industry', {
      label: 'Sector',
    });
    await s!.call('PATCH', `/api/v1/users/${s!.adminId}`, { locale: 'uk' });

    const objects = (await s!.call('GET', '/api/v1/metadata/objects')).body.data as {
      name: string;
      label_plural: string;
      fields: { name: string; label: string; options?: { value: string; label: string }[] }[];
      related_lists: { object: string; label: string }[];
    }[];
    const companies = objects.find((o) => o.name === 'companies')!;
    expect(companies.label_plural).toBe('Компанії');
    const label = (name: string) => companies.fields.find((f) => f.name === name)?.label;
    expect(label('name')).toBe('Назва');
    expect(label('created_at')).toBe('Створено');
    expect(label('industry')).toBe('Sector');
    expect(label('region_manager')).toBe('Region manager');
    expect(companies.related_lists.find((r) => r.object === 'contacts')?.label).toBe('Контакти');
    const leads = objects.find((o) => o.name === 'leads')!;
    expect(leads.fields.find((f) => f.name === 'status')?.options).toContainEqual({
      value: 'new',
      label: 'Новий',
    });

    // Another user reading in English at the same time is not affected.
    const { key } = await s!.keyFor({ email: 'en@example.com', name: 'En', role: 'Administrator' });
    const inEnglish = (await callAs(s!, key)('GET', '/api/v1/metadata/objects/companies')).body;
    expect(inEnglish.label_plural).toBe('Companies');
    expect(inEnglish.fields.find((f: { name: string }) => f.name === 'name').label).toBe('Name');

    // Messages next to fields come in Ukrainian too; the field stays named as in the API.
    const invalid = await s!.call('POST', '/api/v1/contacts', {
      last_name: 'Koval',
      email: 'not-an-address',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toContainEqual({
      path: 'email',
      message: 'має бути адресою ел. пошти, наприклад name@example.com',
    });
    expect(invalid.body.detail).toBe(
      'email: має бути адресою ел. пошти, наприклад name@example.com',
    );
    const english = await callAs(s!, key)('POST', '/api/v1/contacts', { email: 'nope' });
    expect(english.body.errors[0].message).toMatch(/^must be an e-mail address/);

    // A file with Ukrainian headers maps to the fields they name; its problems read in Ukrainian.
    const file = await s!.app.inject({
      method: 'POST',
      url: '/api/v1/companies/import?dry_run=true',
      headers: { authorization: `Bearer ${s!.adminKey}`, 'content-type': 'text/csv' },
      payload: 'Назва;Місто;Країна;Клієнт\nКиївхліб;Київ;Україна;може\n',
    });
    const report = JSON.parse(file.body);
    expect(report.mapping).toEqual({
      Назва: 'name',
      Місто: 'city',
      Країна: 'country',
      Клієнт: 'is_customer',
    });
    expect(report.errors[0].message).toBe('«може» — не «так» і не «ні»');

    // A language the app does not offer is refused with the field named.
    const bad = await s!.call('PATCH', `/api/v1/users/${s!.adminId}`, { locale: 'xx' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('locale');
  });
});
