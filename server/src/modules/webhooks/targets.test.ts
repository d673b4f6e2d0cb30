import { describe, expect, test } from 'vitest';
import { guardedLookup, isBlockedAddress, targetUrlProblem } from './targets';

describe('webhook targets', () => {
  test('blocks loopback, private, link-local, metadata and reserved addresses', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.20.30.40',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '2001:db8::1',
      'not an address',
    ])
      expect(isBlockedAddress(a), a).toBe(true);
  });

  test('lets public addresses through', () => {
    for (const a of [
      '93.184.215.14',
      '8.8.8.8',
      '172.32.0.1',
      '::ffff:8.8.8.8',
      '2606:4700:4700::1111',
    ])
      expect(isBlockedAddress(a), a).toBe(false);
  });

  test('names what is wrong with a URL', () => {
    expect(targetUrlProblem('https://hooks.example.com/kontor?x=1')).toBeNull();
    expect(targetUrlProblem('hooks.example.com')).toMatch(/absolute http or https URL/);
    expect(targetUrlProblem('file:///etc/passwd')).toBe('must use http or https, not file');
    expect(targetUrlProblem('https://user:pw@example.com/')).toMatch(/user name or password/);
    expect(targetUrlProblem('https://example.com/#top')).toBe('must not have a #fragment');
  });

  test('refuses at connection time a name that resolves to a blocked address', async () => {
    const lookup = (allow: boolean) =>
      new Promise<{ err: Error | null; address: unknown }>((resolve) =>
        guardedLookup(allow)('localhost', { all: true }, (err, address) =>
          resolve({ err, address }),
        ),
      );
    const refused = await lookup(false);
    expect(refused.err?.message).toMatch(/^localhost \(.+\) is a private, loopback/);
    const allowed = await lookup(true);
    expect(allowed.err).toBeNull();
    expect(Array.isArray(allowed.address) && allowed.address.length).toBeGreaterThan(0);
  });
});
