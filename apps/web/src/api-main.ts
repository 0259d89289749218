// The REST API on its own (the design's port 8083): `/api/v1/*`, `/api/openapi.json`,
// `/api/health`, `/metrics`, and the same procedures over tRPC (`/api/trpc/*`, for a proxy that
// sends them here), served by the web's own request handlers (server/api/request-handlers.ts) through a plain Node http server
// instead of Next.js. `pnpm --filter @userstream/web start:api`, on API_HOST:API_PORT.
import { once } from "node:events";
import { logListening, runMain } from "@userstream/runtime";
import { apiServerSecurityHeaders } from "~/lib/security-headers";
import { createApiServer } from "~/server/api/api-server";

runMain(async () => {
  // The environment first (the files filled in by runMain, then validated): every module below reads it.
  const { env } = await import("~/env");
  const { getLogger, setLogService } = await import("~/server/logger");
  const { observeRequestDurations } = await import("~/server/request-metrics");
  const { createWebShutdown } = await import("~/server/shutdown");
  const { API_ROUTES } = await import("~/server/api/request-handlers");

  setLogService("api");
  const logger = getLogger();
  observeRequestDurations();
  const server = createApiServer(API_ROUTES, {
    onError: (error) => logger.error({ err: error }, "request failed"),
    // The same security headers as the web's answers, HSTS included when APP_URL is https.
    headers: apiServerSecurityHeaders(env.APP_URL),
  });
  // Keep-alive connections outlive a load balancer's idle timeout (usually 60 s), as Next.js does.
  server.keepAliveTimeout = 65_000;
  const shutdown = createWebShutdown(env.SHUTDOWN_TIMEOUT_MS, server);
  server.listen(env.API_PORT, env.API_HOST);
  await once(server, "listening");
  logListening(logger, server, { host: env.API_HOST }, "REST API listening");
  return shutdown;
});
