/**
 * Cross-site request forgery: a page on another site making the admin's browser send a request
 * that changes something here. One rule, for every way in that can change something (tRPC and
 * REST mutations through `trpc.ts`, server actions and any other page post through `proxy.ts`):
 *
 * - `Sec-Fetch-Site` present (every current browser sends it): allowed only when `same-origin`
 *   or `none` (typed into the address bar, a bookmark). `same-site` is refused too: a sibling
 *   subdomain is another party.
 * - Otherwise `Origin` present (older browsers): allowed only when it is APP_URL's origin.
 * - Neither: allowed. Only a browser can be made to send a request on someone else's behalf, and
 *   browsers send one of these headers with every request that can change something; a request
 *   without them comes from a program (curl, another service with an API key), which could send
 *   any header it likes anyway.
 */

/** What a refused request is told. */
export const CROSS_SITE_MESSAGE = "Requests from other sites may not change anything here.";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * True when a browser sent the request from another site (see above). `appOrigin` is APP_URL's
 * origin; without it, an `Origin` header alone never passes.
 */
export function isCrossSiteRequest(headers: Headers, appOrigin: string | undefined): boolean {
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site !== "same-origin" && site !== "none";
  const origin = headers.get("origin");
  if (origin !== null) return origin !== appOrigin;
  return false;
}

/**
 * For route handlers and the proxy: 403 for a cross-site request with a method that may change
 * something; null (go on) for anything else. Reading is never refused: a cross-site page cannot
 * read the answer.
 */
export function crossSiteRefusal(request: Request, appOrigin: string): Response | null {
  if (SAFE_METHODS.has(request.method) || !isCrossSiteRequest(request.headers, appOrigin)) return null;
  return Response.json(
    { message: CROSS_SITE_MESSAGE, code: "FORBIDDEN" },
    { status: 403, headers: { "cache-control": "no-store" } },
  );
}
