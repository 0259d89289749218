import type { Registry } from "prom-client";
import { startHealthServer, type ReadinessChecks } from "./health-server";
import { createLogger, logListening, type LogSettings } from "./logger";
import { createShutdown } from "./shutdown";

/**
 * What every long-running process starts with, before it opens any connection: its logger, its
 * ordered shutdown, and its health server, which answers `/healthz` at once and `/readyz` truthfully
 * while the dependencies come up (those in `pending` read as down until the process sets their
 * check). The health server's port is logged at once, so a supervisor can watch it from the start.
 */
export async function startService(options: {
  service: string;
  env: LogSettings & { SHUTDOWN_TIMEOUT_MS: number };
  port: number;
  registry: Registry;
  checks?: ReadinessChecks;
  pending?: readonly string[];
}) {
  const logger = createLogger(options.service, options.env);
  const shutdown = createShutdown(logger, options.env.SHUTDOWN_TIMEOUT_MS);
  const health = await startHealthServer(options);
  logListening(logger, health.server, {}, "health server listening");
  return { logger, shutdown, health };
}
