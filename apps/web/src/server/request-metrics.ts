import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getWebMetrics } from "./metrics";

/**
 * Every route the web and the API server answer, as the template the duration histogram is
 * labelled with: `{name}` stands for one path segment, `{...name}` for the rest of the path. A
 * fixed list keeps the label's values bounded whatever paths clients send; anything else is
 * `other`. `request-metrics.test.ts` checks that every page and route of `src/app`, and every REST
 * path of the OpenAPI document, has its template here.
 */
const ROUTE_TEMPLATES = [
  "/",
  "/users",
  "/confirm",
  "/manage",
  "/admin",
  "/admin/login",
  "/admin/api-keys",
  "/admin/emails",
  "/admin/pipeline",
  "/admin/reports",
  "/admin/suppressions",
  "/admin/users",
  "/admin/webhooks",
  "/api/health",
  "/healthz",
  "/readyz",
  "/api/webhooks/resend",
  "/api/openapi.json",
  "/api/asyncapi.json",
  "/api/admin/reports/{id}/download",
  "/api/trpc/{procedure}",
  "/api/v1/registrations",
  "/api/v1/registrations/{registrationId}",
  "/api/v1/registrations/{registrationId}/send-again",
  "/api/v1/users",
  "/api/v1/users/{id}",
  "/metrics",
  "/icon.svg",
  "/_next/{...asset}",
] as const;

function toPattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{...") ? ".+" : part.startsWith("{") ? "[^/]+" : part.replace(/[.]/g, "\\.")))
    .join("");
  return new RegExp(`^${source}/?$`);
}

const PATTERNS = ROUTE_TEMPLATES.map((template) => ({ template, pattern: toPattern(template) }));

/** The template of a request's path (its query ignored), or `other`. */
export function routeTemplate(url: string | undefined): string {
  const pathname = (url ?? "/").split("?", 1)[0] ?? "/";
  return PATTERNS.find(({ pattern }) => pattern.test(pathname))?.template ?? "other";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const globalForRequests = globalThis as unknown as { userstreamRequestsObserved?: boolean };

/**
 * Times every request of this process's HTTP servers, from its arrival (Node publishes
 * `http.server.request.start` before the server's `request` event, so Next.js's requests are seen
 * too) to the end of its response, into `web_http_request_duration_seconds`. Once per process.
 */
export function observeRequestDurations(): void {
  if (globalForRequests.userstreamRequestsObserved) return;
  globalForRequests.userstreamRequestsObserved = true;
  const { requestDuration } = getWebMetrics();
  subscribe("http.server.request.start", (message) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const end = requestDuration.startTimer();
    // Read now: a server may rewrite `request.url` while routing.
    const method = METHODS.has(request.method ?? "") ? (request.method as string) : "other";
    const route = routeTemplate(request.url);
    response.once("finish", () => end({ method, route, status: String(response.statusCode) }));
  });
}
