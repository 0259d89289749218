import { describe, expect, it } from "vitest";
import { describeFilters, formatBytes, formatDuration, formatUtc, isReportActive } from "./reports";

describe("report formatting", () => {
  it("describes filters in words", () => {
    expect(describeFilters({})).toBe("all");
    expect(describeFilters({ registeredFrom: "2026-01-01", registeredTo: "2026-01-31", verifiedOnly: true })).toBe(
      "from 2026-01-01, to 2026-01-31, verified only",
    );
    expect(describeFilters({ verifiedOnly: false })).toBe("all");
    expect(describeFilters({ status: "failed" })).toBe("status failed");
  });

  it("formats sizes, durations and times the same everywhere", () => {
    expect([0, 999, 1000, 15_400, 2_500_000, 5_000_000_000].map(formatBytes)).toEqual([
      "0 B",
      "999 B",
      "1.0 kB",
      "15.4 kB",
      "2.5 MB",
      "5.00 GB",
    ]);
    expect([12, 1_250, 59_999, 61_000, 3_725_000].map(formatDuration)).toEqual([
      "12 ms",
      "1.3 s",
      "60.0 s",
      "1 min 1 s",
      "62 min 5 s",
    ]);
    expect(formatUtc(new Date(Date.UTC(2026, 10, 28, 2, 0, 5, 123)))).toBe("2026-11-28 02:00:05 UTC");
  });

  it("keeps polling for queued and running reports only", () => {
    expect(["queued", "running", "succeeded", "failed"].map((s) => isReportActive(s as never))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
