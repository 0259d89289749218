import { addressFamily, ipv6Groups, normaliseAddress, type TrustedProxies } from "../config/ip-addresses";

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
  let client = normaliseAddress(peer);
  if (!trustedProxies.has(client)) return client;
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").filter((entry) => entry.trim());
  for (const entry of forwarded.reverse().map(normaliseAddress)) {
    if (!addressFamily(entry)) break;
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
  const ip = normaliseAddress(address);
  const groups = addressFamily(ip) === "ipv6" ? ipv6Groups(ip) : null;
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
