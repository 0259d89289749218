// The REST API on its own (the design's port 8083): `/api/v1/*`, `/api/openapi.json`,
// `/api/health`, `/metrics`, and the same procedures over tRPC (`/api/trpc/*`, for a proxy that
// sends them here), served by the web's own route handlers through a plain Node http server
// instead of Next.js. `pnpm --filter @userstream/web start:api`, on API_HOST:API_PORT.
import type { AddressInfo } from "node:net";
import * as rest from "~/app/api/v1/[...path]/route";
import * as openApi from "~/app/api/openapi.json/route";
import * as trpc from "~/app/api/trpc/[trpc]/route";
import * as health from "~/app/api/health/route";
import * as metrics from "~/app/metrics/route";
import { env } from "~/env";
import { warnAboutDevelopmentAdmin } from "~/instrumentation-node";
import { createApiServer, type Route } from "~/server/api/api-server";
import { getLogger, setLogService } from "~/server/logger";
import { observeRequestDurations } from "~/server/request-metrics";
import { closeOnSignals } from "~/server/shutdown";

const ROUTES: Route[] = [
  { path: "/api/v1/", handlers: rest },
  { path: "/api/openapi.json", handlers: openApi },
  { path: "/api/health", handlers: health },
  { path: "/api/trpc/", handlers: trpc },
  { path: "/metrics", handlers: metrics },
];

setLogService("api");
await warnAboutDevelopmentAdmin(env);
const logger = getLogger();
observeRequestDurations();
const server = createApiServer(ROUTES, (error) => logger.error({ err: error }, "request failed"));
// Keep-alive connections outlive a load balancer's idle timeout (usually 60 s), as Next.js does.
server.keepAliveTimeout = 65_000;
closeOnSignals(env.SHUTDOWN_TIMEOUT_MS, server);
server.listen(env.API_PORT, env.API_HOST, () => {
  logger.info({ port: (server.address() as AddressInfo).port, host: env.API_HOST }, "REST API listening");
});
