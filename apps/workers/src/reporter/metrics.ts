import { Counter } from "prom-client";
import { createWorkerMetrics } from "../lib/worker-metrics";

/** The reporter's Prometheus metrics; the handler time is the report's duration, lock wait included. */
export function createReporterMetrics() {
  const metrics = createWorkerMetrics("reporter", "report.generate", [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900]);
  const runs = new Counter({
    name: "reporter_runs_total",
    help: "Report runs, by result (succeeded, failed, already-done)",
    labelNames: ["result"] as const,
    registers: [metrics.registry],
  });
  // Every result from the start (at 0): a missing series is a wrong name, never "none yet".
  for (const result of ["succeeded", "failed", "already-done"]) runs.inc({ result }, 0);
  return { ...metrics, runs };
}
