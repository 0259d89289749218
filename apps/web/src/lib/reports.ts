import type { ReportKind, ReportRequest, ReportStatus } from "@userstream/contracts";

/** Reports that are still to change: the admin page keeps polling while one is listed. */
export function isReportActive(status: ReportStatus): boolean {
  return status === "queued" || status === "running";
}

export const REPORT_KIND_LABELS: Record<ReportKind, string> = { users: "Users", notifications: "Email notifications" };
export const REPORT_STATUS_LABELS: Record<ReportStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
};

/** `2026-11-28 02:00:05 UTC`: the same text on the server and in every browser, so hydration matches. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The filters of a report in words: "from 2026-01-01, verified only", or "all". */
export function describeFilters(filters: ReportRequest["filters"]): string {
  const parts: string[] = [];
  if ("registeredFrom" in filters && filters.registeredFrom) parts.push(`from ${filters.registeredFrom}`);
  if ("registeredTo" in filters && filters.registeredTo) parts.push(`to ${filters.registeredTo}`);
  if ("verifiedOnly" in filters && filters.verifiedOnly) parts.push("verified only");
  if ("status" in filters && filters.status) parts.push(`status ${filters.status}`);
  return parts.length > 0 ? parts.join(", ") : "all";
}
