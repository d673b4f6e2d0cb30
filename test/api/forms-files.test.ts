import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor, type TestServer } from '../helpers';
import { JPEG, multipart, PNG } from '../support/forms';

async function upload(
  s: TestServer,
  url: string,
  key: string,
  files: Parameters<typeof multipart>[1],
) {
  const body = multipart({}, files);
  const res = await s.app.inject({
    method: 'POST',
    url,
    headers: { ...body.headers, authorization: `Bearer ${key}` },
    payload: body.payload,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe.each(DIALECTS)('files of records on %s', (dialect) => {
  const s = serverFor(dialect);

  test('a photo is stored against a record, listed and downloaded with its detected type', async () => {
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Roof for Alfreds' })).body;
    const up = await upload(s, `/api/v1/deals/${deal.id}/files`, s.adminKey, [
      { field: 'file', name: '../../etc/roof.png', type: 'image/png', data: PNG },
    ]);
    expect(up.status).toBe(201);
    expect(up.body.data[0]).toMatchObject({ name: 'roof.png', mime: 'image/png', object: 'deals' });
    const list = await s.call('GET', `/api/v1/deals/${deal.id}/files`);
    expect(list.body.data.map((f: { id: string }) => f.id)).toEqual([up.body.data[0].id]);
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/v1/files/${up.body.data[0].id}/content`,
      headers: { authorization: `Bearer ${s.adminKey}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(PNG)).toBe(true);
  });

  test('refuses a file whose content is not a photo, whatever it claims to be', async () => {
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Fence' })).body;
    const up = await upload(s, `/api/v1/deals/${deal.id}/files`, s.adminKey, [
      { field: 'file', name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('MZ not a photo') },
    ]);
    expect(up.status).toBe(400);
    expect(up.body.errors[0]).toMatchObject({ path: 'files[0]' });
    const claimed = await upload(s, `/api/v1/deals/${deal.id}/files`, s.adminKey, [
      { field: 'file', name: 'photo.png', type: 'image/png', data: JPEG },
    ]);
    expect(claimed.status).toBe(400);
    expect(claimed.body.errors[0].message).toContain('its content is image/jpeg');
    expect((await s.call('GET', `/api/v1/deals/${deal.id}/files`)).body.data).toEqual([]);
  });

  test('a user who cannot read the record cannot list or download its files', async () => {
    const deal = (await s.call('POST', '/api/v1/deals', { name: 'Private deal' })).body;
    const up = await upload(s, `/api/v1/deals/${deal.id}/files`, s.adminKey, [
      { field: 'file', name: 'a.jpg', type: 'image/jpeg', data: JPEG },
    ]);
    const other = await s.keyFor({
      email: 'rep-files@example.com',
      name: 'Rep',
      role: 'Sales representative',
    });
    const as = (url: string) =>
      s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${other.key}` } });
    expect((await as(`/api/v1/deals/${deal.id}/files`)).statusCode).toBe(404);
    expect((await as(`/api/v1/files/${up.body.data[0].id}/content`)).statusCode).toBe(404);
  });
});
