import { describe, expect, test } from 'vitest';
import { DIALECTS, serverFor, type TestServer } from '../helpers';

/** A tiny PNG: its signature and a header chunk are all that type detection reads. */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);

/** A multipart body with text fields and files, as a browser would send it. */
export function multipart(
  fields: Record<string, string>,
  files: { field: string; name: string; type: string; data: Buffer }[],
) {
  const boundary = '----kontor-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

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
