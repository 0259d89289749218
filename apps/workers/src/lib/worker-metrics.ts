import type { Outcome } from "@userstream/messaging";
import { withTimeout } from "@userstream/runtime";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The metrics every worker has: the process defaults, deliveries received, messages settled by
 * outcome (acked, retried, dead-lettered), the time from delivery to settlement and the depth of
 * its queue as seen at each scrape. Each worker adds its own on `registry`.
 */
export function createWorkerMetrics(role: string, queue: string, latencyBuckets: number[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let depthProbe: () => Promise<number | undefined> = async () => undefined;
  const metrics = {
    registry,
    received: new Counter({
      name: `${role}_messages_received_total`,
      help: `${queue} deliveries received, redeliveries included`,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: `${role}_queue_depth`,
      help: `Messages ready in ${queue}, as seen at the last scrape (absent while the broker is away)`,
      registers: [registry],
      async collect() {
        // A broker that blocks this connection (a resource alarm) must not hang the whole scrape.
        const depth = await withTimeout(depthProbe(), 1_000).catch(() => undefined);
        if (depth === undefined) this.reset();
        else this.set(depth);
      },
    }),
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
  // Every outcome is exported from the start (at 0), so a scrape that lacks one means a wrong name,
  // not "none yet".
  for (const outcome of ["acked", "retried", "dead-lettered"] satisfies Outcome[]) metrics.consumed.inc({ outcome }, 0);
  return {
    ...metrics,
    /** The consumer's hooks that feed these metrics: spread them into `startConsumer`'s options. */
    consumerHooks: {
      onDelivered: () => metrics.received.inc(),
      onSettled(outcome: Outcome, seconds: number) {
        metrics.consumed.inc({ outcome });
        metrics.latency.observe(seconds);
      },
    },
    /** Where the queue depth gauge reads from: the running consumer. */
    measureQueueDepth(consumer: { queueDepth(): Promise<number | undefined> }) {
      depthProbe = () => consumer.queueDepth();
    },
  };
}
