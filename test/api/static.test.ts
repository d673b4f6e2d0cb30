import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { serverFor } from '../helpers';

const built = existsSync('web/dist/index.html');

describe.skipIf(!built && !process.env.CI)('the built web app', () => {
  const s = serverFor('sqlite');

  test('assets go out compressed when the browser accepts it, and are cached for good', async () => {
    const index = await s!.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();

    const br = await s!.app.inject({
      method: 'GET',
      url: script!,
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const raw = readFileSync(`web/dist${script}`);
    expect(br.rawPayload.length).toBeLessThan(raw.length / 2);

    const plain = await s!.app.inject({ method: 'GET', url: script! });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(raw)).toBe(true);

    // A page of the app (not an asset) is checked again on every visit.
    const page = await s!.app.inject({ method: 'GET', url: '/o/companies' });
    expect(page.headers['cache-control']).toMatch(/no-cache|max-age=0/);
  });
});
