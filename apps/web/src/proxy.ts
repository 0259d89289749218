import { NextResponse, type NextRequest } from "next/server";
import { env } from "./env";
import { pageContentSecurityPolicy } from "./lib/content-security-policy";
import { crossSiteRefusal } from "./server/cross-site";

/**
 * Refuses a post to a page from another site with 403 (server actions: sign-in, sign-out; see
 * `server/cross-site.ts`), and gives every page request a fresh CSP nonce: on the request (where
 * Next.js reads it for its own scripts, and pages as `x-nonce`) and on the response. Authorisation
 * is never decided here, and a request that skipped this proxy (CVE-2025-29927's forged
 * `x-middleware-subrequest`) would still meet Next.js's own check of server actions' `Origin`
 * against `Host`; only the status would differ.
 */
export function proxy(request: NextRequest) {
  const refusal = crossSiteRefusal(request, new URL(env.APP_URL).origin);
  if (refusal) return refusal;
  const nonce = btoa(crypto.randomUUID());
  // eslint-disable-next-line no-restricted-properties -- Next inlines NODE_ENV at build time; not configuration.
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes and static files get the fixed policy from next.config.ts.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
