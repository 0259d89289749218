import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy } from "./lib/content-security-policy";

/**
 * Gives every page request a fresh CSP nonce: on the request (where Next.js reads it for its own
 * scripts, and pages as `x-nonce`) and on the response. Security headers only: authorisation is
 * never decided here, so a request that skips this proxy (CVE-2025-29927's forged
 * `x-middleware-subrequest`) gains nothing but a missing header.
 */
export function proxy(request: NextRequest) {
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
