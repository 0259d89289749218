import { NON_PAGE_CONTENT_SECURITY_POLICY } from "./content-security-policy";

/**
 * Sent with every answer of the web (`next.config.ts`) and of the API server on its own
 * (`api-server.ts`): one list, so the two cannot drift apart. Pages add their nonce CSP
 * (`proxy.ts`); everything else gets NON_PAGE_CONTENT_SECURITY_POLICY.
 */
export const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
] as const;

/** Two years, subdomains included (what browsers' preload lists ask for, without opting into them). */
const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * The Strict-Transport-Security value when the public address (APP_URL) is https, else null: a
 * site reached over plain http must not tell browsers to refuse plain http. Sent even when TLS
 * ends at a proxy in front, since the browser only ever sees the https address.
 */
export function strictTransportSecurity(appUrl: string): string | null {
  return new URL(appUrl).protocol === "https:" ? STRICT_TRANSPORT_SECURITY : null;
}

/** Every header the API server adds to its answers: the list above, the non-page CSP, and HSTS for an https APP_URL. */
export function apiServerSecurityHeaders(appUrl: string): Record<string, string> {
  const headers: Record<string, string> = { "Content-Security-Policy": NON_PAGE_CONTENT_SECURITY_POLICY };
  for (const { key, value } of SECURITY_HEADERS) headers[key] = value;
  const hsts = strictTransportSecurity(appUrl);
  if (hsts) headers["Strict-Transport-Security"] = hsts;
  return headers;
}
