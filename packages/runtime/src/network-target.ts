import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/*
 * Which addresses an outgoing webhook may reach. An integrator's URL is typed by an admin, so a URL
 * naming (or resolving to) this machine, the private network or a cloud's metadata address would
 * let the webhooks probe what only the servers can reach. Such targets are refused unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS says otherwise (tests, local development): when the endpoint is
 * registered, and again at each delivery, where the connection goes to the very address checked
 * (a name that resolved to a public address at registration may resolve elsewhere later).
 */

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64: the IPv4 address inside decides, and it is not checked here
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped or -compatible IPv6 address (`::ffff:10.0.0.1`), if any. */
function embeddedIpv4(address: string): string | undefined {
  const match = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const [high, low] = [parseInt(hex[1] ?? "0", 16), parseInt(hex[2] ?? "0", 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** True for an address on the public internet; false for private, loopback, link-local and other special ranges. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NOT_PUBLIC.check(address, "ipv4");
  const inner = embeddedIpv4(address);
  return inner ? !NOT_PUBLIC.check(inner, "ipv4") : !NOT_PUBLIC.check(address, "ipv6");
}

/** A target refused: its name resolves (or is) an address that is not public. */
export class TargetRefusedError extends Error {
  override name = "TargetRefusedError";
}

/** One resolved address of a target. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves `hostname` (a name or an IP literal, as in a URL: IPv6 in brackets) and checks every
 * address it resolves to: all must be public unless `allowPrivate`. Returns the addresses, the
 * first to connect to. Throws `TargetRefusedError` naming the first address refused, or the DNS error.
 */
export async function resolveTarget(hostname: string, { allowPrivate }: { allowPrivate: boolean }): Promise<CheckedAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = isIP(host);
  const addresses: CheckedAddress[] = literal
    ? [{ address: host, family: literal as 4 | 6 }]
    : (await lookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family as 4 | 6 }));
  if (addresses.length === 0) throw new Error(`${host} resolves to no address`);
  const refused = allowPrivate ? undefined : addresses.find(({ address }) => !isPublicAddress(address));
  if (refused) {
    const what = literal ? refused.address : `${host} resolves to ${refused.address}, which`;
    throw new TargetRefusedError(`${what} is a private, loopback or link-local address: webhooks may not be sent there`);
  }
  return addresses;
}
