import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createAsyncApiDocument } from "@userstream/contracts/asyncapi";
import { env } from "~/env";
import { TRPC_MAX_BATCH_SIZE } from "~/lib/trpc-limits";
import { getDb } from "../db";
import { receiveResendWebhook } from "../deliverability/resend-webhook";
import { checkHealth } from "../health";
import { getLogger } from "../logger";
import { getWebMetrics } from "../metrics";
import { retryAfterHeaders } from "../rate-limiter";
import type { Route } from "./api-server";
import { createTRPCContext } from "./context";
import { withLimitedBody } from "./limited-body";
import { createOpenApiDocument } from "./openapi";
import { recordProcedureError } from "./procedure-errors";
import { REST_PREFIX, handleRestRequest } from "./rest-handler";
import { appRouter } from "./root";

/*
 * The API's request handlers, in one module for both servers: the Next.js route modules under
 * `app/` re-export them, and the API server on its own (`api-main.ts`) serves them by path
 * (`API_ROUTES`). Neither imports the other.
 */

/** `/api/trpc/*`: the typed API the pages use. */
export async function handleTrpcRequest(original: Request): Promise<Response> {
  const req = await withLimitedBody(original);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    router: appRouter,
    req,
    maxBatchSize: TRPC_MAX_BATCH_SIZE,
    createContext: () => createTRPCContext({ headers: req.headers }),
    responseMeta: ({ errors }) => ({ headers: retryAfterHeaders(errors) }),
    onError: ({ error, path, ctx }) => recordProcedureError(ctx?.logger, "trpc", path, error),
  });
}

/** `/api/v1/*`: the REST surface, served from the same procedures as tRPC. */
export function handleRestApiRequest(req: Request): Promise<Response> {
  return handleRestRequest(req, createTRPCContext);
}

let openApiDocument: ReturnType<typeof createOpenApiDocument> | undefined;

/** `/api/openapi.json`: built on first request from APP_URL, which is only known at run time, not at `next build`. */
export function handleOpenApiRequest(): Response {
  openApiDocument ??= createOpenApiDocument(env.APP_URL);
  return Response.json(openApiDocument);
}

let asyncApiDocument: ReturnType<typeof createAsyncApiDocument> | undefined;

/**
 * `/api/asyncapi.json`: the queues and messages (AsyncAPI 3), the document committed as
 * `packages/contracts/asyncapi.json`, built once from the same contracts.
 */
export function handleAsyncApiRequest(): Response {
  asyncApiDocument ??= createAsyncApiDocument();
  return Response.json(asyncApiDocument);
}

/**
 * `/api/health` and `/readyz` (as every worker names it): 200 when the database answers and the
 * broker accepts a connection; 503 otherwise. An orchestrator stops sending requests meanwhile.
 */
export async function handleHealthRequest(): Promise<Response> {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}

/**
 * `/healthz`: the process serves requests, whatever its dependencies say. An orchestrator restarts
 * a process whose `/healthz` stops answering; a database outage must not restart every replica.
 */
export function handleLivenessRequest(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}

/**
 * `/metrics`: this process's Prometheus metrics (text format). Meant for a scraper on the internal
 * network: the reverse proxy in front of the public port should not forward it.
 */
export async function handleMetricsRequest(): Promise<Response> {
  const { registry } = getWebMetrics();
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}

/**
 * `/api/webhooks/resend`: Resend's signed email events (server/deliverability/resend-webhook.ts).
 * Served by the API server too, so a deployment may point Resend at either.
 */
export async function handleResendWebhookRequest(original: Request): Promise<Response> {
  const req = await withLimitedBody(original);
  if (req instanceof Response) return req;
  const limit = env.SUPPRESS_AFTER_SOFT_BOUNCES;
  const answer = await receiveResendWebhook(await req.text(), req.headers, {
    db: getDb(),
    secret: env.RESEND_WEBHOOK_SECRET,
    softBounceLimit: limit === "off" ? null : limit,
    logger: getLogger(),
  });
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store" } });
}

const REST_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] as const;

/** What the API server on its own serves: the same handlers, at the same paths as the Next.js routes. */
export const API_ROUTES: Route[] = [
  { path: `${REST_PREFIX}/`, handlers: Object.fromEntries(REST_METHODS.map((method) => [method, handleRestApiRequest])) },
  { path: "/api/openapi.json", handlers: { GET: handleOpenApiRequest } },
  { path: "/api/asyncapi.json", handlers: { GET: handleAsyncApiRequest } },
  { path: "/api/health", handlers: { GET: handleHealthRequest } },
  { path: "/healthz", handlers: { GET: handleLivenessRequest } },
  { path: "/readyz", handlers: { GET: handleHealthRequest } },
  { path: "/api/webhooks/resend", handlers: { POST: handleResendWebhookRequest } },
  { path: "/api/trpc/", handlers: { GET: handleTrpcRequest, POST: handleTrpcRequest } },
  { path: "/metrics", handlers: { GET: handleMetricsRequest } },
];
