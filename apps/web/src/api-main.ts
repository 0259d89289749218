// The REST API on its own (the design's port 8083): `/api/v1/*`, `/api/openapi.json`,
// `/api/health`, `/metrics`, and the same procedures over tRPC (`/api/trpc/*`, for a proxy that
// sends them here), served by the web's own route handlers through a plain Node http server
// instead of Next.js. `pnpm --filter @userstream/web start:api`, on API_HOST:API_PORT.
import type { AddressInfo } from "node:net";
import { loadEnvOrExit } from "~/instrumentation-node";
import { apiServerSecurityHeaders } from "~/lib/security-headers";
import { createApiServer, type Route } from "~/server/api/api-server";

// The environment first (the files filled in, then validated): every module below reads it.
const env = await loadEnvOrExit();
const { getLogger, setLogService } = await import("~/server/logger");
const { observeRequestDurations } = await import("~/server/request-metrics");
const { closeOnSignals } = await import("~/server/shutdown");

const ROUTES: Route[] = [
  { path: "/api/v1/", handlers: await import("~/app/api/v1/[...path]/route") },
  { path: "/api/openapi.json", handlers: await import("~/app/api/openapi.json/route") },
  { path: "/api/health", handlers: await import("~/app/api/health/route") },
  { path: "/api/trpc/", handlers: await import("~/app/api/trpc/[trpc]/route") },
  { path: "/metrics", handlers: await import("~/app/metrics/route") },
];

setLogService("api");
const logger = getLogger();
observeRequestDurations();
const server = createApiServer(ROUTES, {
  onError: (error) => logger.error({ err: error }, "request failed"),
  // The same security headers as the web's answers, HSTS included when APP_URL is https.
  headers: apiServerSecurityHeaders(env.APP_URL),
});
// Keep-alive connections outlive a load balancer's idle timeout (usually 60 s), as Next.js does.
server.keepAliveTimeout = 65_000;
closeOnSignals(env.SHUTDOWN_TIMEOUT_MS, server);
server.listen(env.API_PORT, env.API_HOST, () => {
  logger.info({ port: (server.address() as AddressInfo).port, host: env.API_HOST }, "REST API listening");
});
