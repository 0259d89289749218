import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The metrics every worker has: the process defaults, messages settled by outcome (acked, retried,
 * dead-lettered) and the time from delivery to settlement. Each worker adds its own on `registry`.
 */
export function createWorkerMetrics(role: string, queue: string, latencyBuckets: number[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    consumed: new Counter({
      name: `${role}_messages_total`,
      help: `${queue} messages settled, by outcome (acked, retried, dead-lettered)`,
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: `${role}_handler_seconds`,
      help: `Time from delivery to settlement of a ${queue} message`,
      buckets: latencyBuckets,
      registers: [registry],
    }),
  };
}

/** A readiness check that really asks the database. */
export function databaseCheck(db: { $queryRaw(query: TemplateStringsArray): Promise<unknown> }) {
  return async () => {
    await db.$queryRaw`SELECT 1`;
    return true;
  };
}
