import type { PrismaClient } from "@userstream/db";
import { readQueueStats, type QueueStats, type QueueStatsOptions, type QueueStatsSource } from "./queue-stats";

/**
 * Where the pipeline view looks: the broker (`amqpUrl`), its management API (`management`, e.g.
 * http://rabbitmq:15672 and its user; unset → AMQP only), the queues the workers' `retryPolicy`
 * makes, and each worker's HTTP port.
 */
export interface PipelineConfig extends QueueStatsOptions {
  /** The management UI as an admin's browser reaches it (the link on the page). */
  managementUiUrl: string;
  processes: { name: string; url: string }[];
}

export interface ProcessReadiness {
  name: string;
  url: string;
  /** ready: /readyz answered 200; unready: it answered otherwise; unreachable: no answer. */
  state: "ready" | "unready" | "unreachable";
  checks: Record<string, string> | null;
}

/** Counts per minute, oldest first, the last bucket being the current minute. */
export interface MinuteSeries {
  minutes: string[];
  registrations: number[];
  emailsSent: number[];
  emailsFailed: number[];
}

export interface PipelineSnapshot {
  takenAt: Date;
  source: QueueStatsSource;
  sourceError: string | null;
  queues: QueueStats[];
  processes: ProcessReadiness[];
  perMinute: MinuteSeries;
  managementUiUrl: string;
}

const CHART_MINUTES = 30;

async function readiness(process: { name: string; url: string }): Promise<ProcessReadiness> {
  try {
    const response = await fetch(new URL("/readyz", process.url), { signal: AbortSignal.timeout(3_000), cache: "no-store" });
    const body = (await response.json().catch(() => null)) as { checks?: Record<string, string> } | null;
    return { ...process, state: response.ok ? "ready" : "unready", checks: body?.checks ?? null };
  } catch {
    return { ...process, state: "unreachable", checks: null };
  }
}

/** Fills the minutes with no row with zeros. */
function series(rows: { minute: Date; count: bigint | number }[], minutes: Date[]): number[] {
  const byMinute = new Map(rows.map((row) => [row.minute.getTime(), Number(row.count)]));
  return minutes.map((minute) => byMinute.get(minute.getTime()) ?? 0);
}

/**
 * Registrations received, emails sent and emails that failed (failed or dead, by when they were
 * last updated), per minute over the last half hour, from the database: the same numbers on
 * every web instance.
 */
export async function readPerMinute(db: PrismaClient, now = new Date()): Promise<MinuteSeries> {
  const current = Math.floor(now.getTime() / 60_000) * 60_000;
  const minutes = Array.from({ length: CHART_MINUTES }, (_, i) => new Date(current - (CHART_MINUTES - 1 - i) * 60_000));
  const since = minutes[0] ?? new Date(current);
  const [registrations, sent, failed] = await Promise.all([
    db.$queryRaw<{ minute: Date; count: bigint }[]>`
      SELECT date_trunc('minute', received_at) AS minute, count(*) AS count FROM registrations
      WHERE received_at >= ${since} GROUP BY 1`,
    db.$queryRaw<{ minute: Date; count: bigint }[]>`
      SELECT date_trunc('minute', sent_at) AS minute, count(*) AS count FROM notification_logs
      WHERE status = 'sent' AND sent_at >= ${since} GROUP BY 1`,
    db.$queryRaw<{ minute: Date; count: bigint }[]>`
      SELECT date_trunc('minute', updated_at) AS minute, count(*) AS count FROM notification_logs
      WHERE status IN ('failed', 'dead') AND updated_at >= ${since} GROUP BY 1`,
  ]);
  return {
    minutes: minutes.map((minute) => minute.toISOString()),
    registrations: series(registrations, minutes),
    emailsSent: series(sent, minutes),
    emailsFailed: series(failed, minutes),
  };
}

/** Everything `/admin/pipeline` shows, read fresh on each call (nothing kept between calls). */
export async function getPipelineSnapshot(db: PrismaClient, config: PipelineConfig): Promise<PipelineSnapshot> {
  const [queueStats, processes, perMinute] = await Promise.all([
    readQueueStats(config),
    Promise.all(config.processes.map(readiness)),
    readPerMinute(db),
  ]);
  return {
    takenAt: new Date(),
    source: queueStats.source,
    sourceError: queueStats.error ?? null,
    queues: queueStats.queues,
    processes,
    perMinute,
    managementUiUrl: config.managementUiUrl,
  };
}
