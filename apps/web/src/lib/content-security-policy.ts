/**
 * The Content-Security-Policy values. Everything is served from this origin: no remote fonts
 * (Geist is bundled), scripts or styles.
 *
 * Pages get a fresh nonce per request from `proxy.ts`; Next.js reads it from the request's policy
 * and puts it on its own inline bootstrap scripts, so no inline script runs without it ('strict-
 * dynamic' lets the scripts those load run too). Styles keep 'unsafe-inline': React and Next set
 * inline style attributes, and CSS cannot run code. Development also needs eval (React's error
 * overlays) and websockets (hot reload).
 */
export function pageContentSecurityPolicy(nonce: string, isDevelopment: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${isDevelopment ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** API answers, static files and anything else the proxy does not see: nothing may run or frame them. */
export const NON_PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
