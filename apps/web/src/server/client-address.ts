/**
 * The address a request came from, for rate limits.
 *
 * Next.js keeps an `X-Forwarded-For` sent by the client as it is, so that header alone would let
 * anyone pick their own address. The connection's real address is stamped on every request under
 * CLIENT_ADDRESS_HEADER when it arrives (`instrumentation-node.ts`), overwriting whatever a client
 * sent under that name. Only when TRUSTED_PROXY_HOPS proxies are in front is `X-Forwarded-For`
 * read, and then only the entry the outermost trusted proxy appended.
 */
export const CLIENT_ADDRESS_HEADER = "x-userstream-client-address";

/** `::ffff:127.0.0.1` is 127.0.0.1: one client, one key. */
function normalise(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

export function clientAddress(headers: Headers, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
    const entry = forwarded[forwarded.length - trustedProxyHops];
    if (entry) return normalise(entry);
  }
  const peer = headers.get(CLIENT_ADDRESS_HEADER);
  return peer ? normalise(peer) : "unknown";
}
