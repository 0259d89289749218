import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The reporter's Prometheus metrics. */
export function createReporterMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    consumed: new Counter({
      name: "reporter_messages_total",
      help: "report.generate messages settled, by outcome (acked, retried, dead-lettered)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    runs: new Counter({
      name: "reporter_runs_total",
      help: "Report runs, by result (succeeded, failed, already-done)",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: "reporter_run_seconds",
      help: "Time to handle one report request, waiting for the lock included",
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers: [registry],
    }),
  };
}
