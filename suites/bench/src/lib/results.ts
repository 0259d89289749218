import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@userstream/test-support";

/** Where the results go (`suites/bench/results/<name>.json`, not committed); charts go to `docs/charts/`. */
export const resultsDir = path.join(repoRoot, "suites", "bench", "results");

/** The value below which `p` percent of the samples fall (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** p50 and p99 of latencies in milliseconds, rounded to 0.1 ms. */
export function latencySummary(samplesMs: readonly number[]) {
  return { p50Ms: round(percentile(samplesMs, 50), 1), p99Ms: round(percentile(samplesMs, 99), 1) };
}

export function round(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The row whose `key` is the median of the rows' (the lower middle of an even count). */
export function medianRow<Row extends Record<K, number>, K extends keyof Row>(rows: readonly Row[], key: K): Row {
  const sorted = [...rows].sort((a, b) => a[key] - b[key]);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new Error("no rows");
  return middle;
}

/** project / baseline, rounded to two places. */
export function ratio(project: number, baseline: number): number {
  return round(project / baseline, 2);
}

/** What the figures were measured on: they are only comparable within one run. */
export function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((load) => round(load, 2)),
    node: process.version,
  };
}

/** Prints a table and writes `suites/bench/results/<name>.json` with the machine it ran on. */
export async function report(name: string, rows: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  console.table(rows);
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.json`);
  await writeFile(file, `${JSON.stringify({ benchmark: name, machine: machine(), results: rows, ...extra }, null, 2)}\n`);
  console.log(`written ${path.relative(repoRoot, file)}`);
}

/** The numbers given on the command line, or the defaults. */
export function sizeArgs<T extends Record<string, number>>(defaults: T): T {
  const names = Object.keys(defaults);
  const values = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const sizes = { ...defaults };
  values.forEach((value, i) => {
    const name = names[i];
    if (name === undefined || !Number.isFinite(Number(value))) throw new Error(`usage: [${names.join("] [")}] (numbers)`);
    (sizes as Record<string, number>)[name] = Number(value);
  });
  return sizes;
}
