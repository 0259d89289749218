import { BlockList, isIP } from "node:net";

/*
 * IP addresses as configured (TRUSTED_PROXIES) and as seen on requests: parsing and normalising
 * only. `env.ts` validates TRUSTED_PROXIES with it, so it imports nothing of the app.
 */

/** The reverse proxies whose `X-Forwarded-For` is believed (TRUSTED_PROXIES). */
export interface TrustedProxies {
  /** The addresses and ranges as configured, normalised. */
  readonly entries: readonly string[];
  has(address: string): boolean;
}

/**
 * The eight 16-bit groups of an IPv6 address, or null when `address` is not one. A trailing
 * dotted IPv4 part (`::ffff:192.0.2.1`) counts as the last two groups; a zone (`%eth0`) is dropped.
 */
export function ipv6Groups(address: string): number[] | null {
  const bare = address.split("%")[0] ?? "";
  if (isIP(bare) !== 6) return null;
  const toGroups = (part: string) =>
    part === ""
      ? []
      : part.split(":").flatMap((group) => {
          if (!group.includes(".")) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = "", tail] = bare.split("::");
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** `::ffff:192.0.2.1` (and `::ffff:c000:201`) is 192.0.2.1: one client, one address. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const groups = ipv6Groups(trimmed);
  const mapped = groups && groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (!mapped) return trimmed;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

export function addressFamily(address: string): "ipv4" | "ipv6" | null {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/**
 * Reads TRUSTED_PROXIES: addresses and CIDR ranges, IPv4 or IPv6, separated by commas (spaces
 * allowed). Empty: no proxy is trusted. Throws, naming every entry that is neither.
 */
export function parseTrustedProxies(list: string): TrustedProxies {
  const blockList = new BlockList();
  const entries: string[] = [];
  const invalid: string[] = [];
  for (const raw of list
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)) {
    const [address = "", prefix, ...extra] = raw.split("/");
    const ip = normaliseAddress(address);
    const family = addressFamily(ip);
    const bits = family === "ipv4" ? 32 : 128;
    if (!family || extra.length > 0 || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
      invalid.push(`"${raw}"`);
    } else if (prefix === undefined) {
      blockList.addAddress(ip, family);
      entries.push(ip);
    } else {
      blockList.addSubnet(ip, Number(prefix), family);
      entries.push(`${ip}/${prefix}`);
    }
  }
  if (invalid.length > 0) {
    throw new Error(`${invalid.join(", ")}: not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, 2001:db8::/32)`);
  }
  return {
    entries,
    has(address) {
      const family = addressFamily(address);
      return family !== null && blockList.check(address, family);
    },
  };
}
