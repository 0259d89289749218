import { Counter } from "prom-client";
import { createWorkerMetrics } from "../lib/worker-metrics";
import type { StoreOutcome } from "./store-registrations";

/** The receiver's Prometheus metrics. */
export function createReceiverMetrics() {
  const metrics = createWorkerMetrics(
    "receiver",
    "user.registration",
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );
  const stored = new Counter({
    name: "receiver_registrations_total",
    help: "Registrations handled, by result (created, duplicate email, redelivered message)",
    labelNames: ["result"] as const,
    registers: [metrics.registry],
  });
  // Exported at 0 from the start, as the outcomes are (worker-metrics.ts).
  for (const result of ["created", "duplicate", "redelivered"] satisfies StoreOutcome[]) stored.inc({ result }, 0);
  return { ...metrics, stored };
}
