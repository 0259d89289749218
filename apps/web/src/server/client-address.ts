import { BlockList, isIP } from "node:net";

/**
 * The address a request came from, for rate limits.
 *
 * Next.js keeps an `X-Forwarded-For` sent by the client as it is, so that header alone would let
 * anyone pick their own address. The connection's real address is stamped on every request under
 * CLIENT_ADDRESS_HEADER when it arrives (`instrumentation-node.ts`, and the API server's
 * `api-server.ts`), overwriting whatever a client sent under that name. `X-Forwarded-For` is read
 * only when that connection comes from a proxy listed in TRUSTED_PROXIES.
 */
export const CLIENT_ADDRESS_HEADER = "x-userstream-client-address";

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
function ipv6Groups(address: string): number[] | null {
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
function normalise(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const groups = ipv6Groups(trimmed);
  const mapped = groups && groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (!mapped) return trimmed;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

function familyOf(address: string): "ipv4" | "ipv6" | null {
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
  for (const raw of list.split(",").map((entry) => entry.trim()).filter(Boolean)) {
    const [address = "", prefix, ...extra] = raw.split("/");
    const ip = normalise(address);
    const family = familyOf(ip);
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
      const family = familyOf(address);
      return family !== null && blockList.check(address, family);
    },
  };
}

/**
 * The client's address. The connection's own address, unless it is a trusted proxy: then
 * `X-Forwarded-For` is walked from the right (each proxy appends the address it saw), skipping
 * the entries that are trusted proxies themselves, and the first one that is not is the client.
 * Entries to its left are whatever the client wrote and are never read. An entry that is not an
 * address ends the walk at the proxy that handed it over: a broken chain is counted against
 * that proxy, never against a name the client may have chosen.
 */
export function clientAddress(headers: Headers, trustedProxies: TrustedProxies): string {
  const peer = headers.get(CLIENT_ADDRESS_HEADER);
  if (!peer) return "unknown";
  let client = normalise(peer);
  if (!trustedProxies.has(client)) return client;
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").filter((entry) => entry.trim());
  for (const entry of forwarded.reverse().map(normalise)) {
    if (!familyOf(entry)) break;
    client = entry;
    if (!trustedProxies.has(entry)) break;
  }
  return client;
}

/**
 * The key a client address is counted under by every per-client limit: an IPv4 address as it is
 * (an IPv4-mapped IPv6 one as its IPv4 address); an IPv6 address as its /64 prefix, since one
 * subscriber usually holds a whole /64 and could otherwise take a fresh address per request.
 * Different spellings of one address give one key (`2001:DB8::1`, `2001:db8:0:0::1`).
 */
export function addressLimitKey(address: string): string {
  const ip = normalise(address);
  const groups = familyOf(ip) === "ipv6" ? ipv6Groups(ip) : null;
  if (!groups) return ip;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** The client's limit key (`addressLimitKey` of `clientAddress`): what rate limits and sign-in lock-outs count. */
export function clientLimitKey(headers: Headers, trustedProxies: TrustedProxies): string {
  return addressLimitKey(clientAddress(headers, trustedProxies));
}
