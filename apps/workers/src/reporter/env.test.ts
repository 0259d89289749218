import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadReporterEnv } from "./env";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

describe("reporter environment", () => {
  it("resolves a relative REPORTS_DIR from the repository root, as the web does", () => {
    expect(loadReporterEnv({}).REPORTS_DIR).toBe(path.join(repoRoot, "reports"));
    expect(loadReporterEnv({ REPORTS_DIR: "/var/lib/userstream/reports" }).REPORTS_DIR).toBe("/var/lib/userstream/reports");
  });

  it.each([
    ["REPORT_CRON", "every day"],
    ["REPORT_RETENTION_DAYS", "0"],
  ])("names the bad variable %s", (name, value) => {
    expect(() => loadReporterEnv({ [name]: value })).toThrow(new RegExp(`\\n  ${name}: `));
  });

  it("accepts off and cron expressions with seconds", () => {
    expect(loadReporterEnv({ REPORT_CRON: "off" }).REPORT_CRON).toBe("off");
    expect(loadReporterEnv({ REPORT_CRON: "*/5 * * * * *" }).REPORT_CRON).toBe("*/5 * * * * *");
  });
});
