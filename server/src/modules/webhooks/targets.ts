import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may not go unless the administrator allows private targets: this machine, the
 * private networks around it, link-local addresses (cloud metadata at 169.254.169.254 among them)
 * and ranges that are not the public internet. A target reaching these would let anyone who can
 * save a URL probe inside the network.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  // NAT64 and 6to4 addresses can carry any IPv4 address, a private one included. (IPv4-mapped
  // ones, ::ffff:a.b.c.d, BlockList checks against the IPv4 ranges above by itself; a rule for
  // ::ffff:0:0/96 would match every IPv4 address.)
  ['64:ff9b::', 96],
  ['2002::', 16],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

/** A target that must not be called; its message says why, for a 400 or the delivery log. */
export class TargetRefused extends Error {}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return true;
}

/** The problem with a target URL's form (scheme, host, credentials), or null when it is fine. */
export function targetUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute http or https URL, like https://example.com/hooks/kontor';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must use http or https, not ${url.protocol.replace(/:$/, '')}`;
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password)
    return 'must not carry a user name or password; the signature authenticates deliveries';
  if (url.hash) return 'must not have a #fragment';
  return null;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );
}

function refusedAddress(host: string, address: string): TargetRefused {
  const named = host === address ? address : `${host} (${address})`;
  return new TargetRefused(
    `${named} is a private, loopback, link-local or reserved address; webhooks go to public hosts unless private targets are allowed in the settings`,
  );
}

/** URL.hostname keeps IPv6 literals in brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Checks a target before it is saved and before each call: its form, then every address its host
 * resolves to. One private address among several refuses the whole name, since the connection
 * could take any of them.
 */
export async function assertTargetAllowed(raw: string, allowPrivate: boolean): Promise<void> {
  const problem = targetUrlProblem(raw);
  if (problem) throw new TargetRefused(problem);
  if (allowPrivate) return;
  const host = bareHost(new URL(raw));
  if (isIP(host)) {
    if (isBlockedAddress(host)) throw refusedAddress(host, host);
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch (err) {
    throw new TargetRefused(
      `the host ${host} could not be resolved (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (addresses.length === 0) throw new TargetRefused(`the host ${host} has no address`);
  for (const a of addresses) if (isBlockedAddress(a.address)) throw refusedAddress(host, a.address);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http.request that refuses blocked addresses at connection time, so a name whose
 * answer changes between the check and the call (DNS rebinding) still cannot reach inside.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number }, cb: LookupCallback) => {
    dnsLookup(hostname, { family: options.family, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      const bad = allowPrivate ? undefined : addresses.find((a) => isBlockedAddress(a.address));
      if (bad) return cb(refusedAddress(hostname, bad.address), []);
      if (options.all) return cb(null, addresses);
      const first = addresses[0];
      if (!first) return cb(new TargetRefused(`the host ${hostname} has no address`), []);
      cb(null, first.address, first.family);
    });
  };
}
