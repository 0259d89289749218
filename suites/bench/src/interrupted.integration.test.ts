import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { queryRows } from "@userstream/db/testing";
import { testServerUrl, waitFor } from "@userstream/test-support";
import { describe, expect, it } from "vitest";
import { startScript } from "./lib/processes";

const run = promisify(execFile);

async function vhostExists(vhost: string): Promise<boolean> {
  const { stdout } = await run("rabbitmqctl", ["-q", "list_vhosts", "name"]);
  return stdout.split("\n").some((line) => line.trim() === vhost);
}

async function databaseExists(name: string): Promise<boolean> {
  return (await queryRows(testServerUrl(), `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length > 0;
}

// A benchmark stopped while it seeds a million users (Ctrl-C, or a SIGTERM from a CI runner)
// drops what it made before it exits, instead of leaving it for the next sweep.
describe("a benchmark stopped half-way", () => {
  it.each([
    { script: "list.bench.ts", args: ["1000000", "10"], signal: "SIGINT", code: 130 },
    { script: "report.bench.ts", args: ["1000000"], signal: "SIGTERM", code: 143 },
  ] as const)("$script drops what it made on $signal and exits $code", async ({ script, args, signal, code }) => {
    const bench = startScript(`src/${script}`, [...args]);
    try {
      await waitFor(() => /seeding/.test(bench.output()), {
        timeoutMs: 120_000,
        what: `${script} to start seeding`,
        output: bench.output,
      });
      const [, database, vhost] = /database (\w+)(?:, vhost (\S+))?/.exec(bench.output()) ?? [];
      expect(database).toBeDefined();
      // The list benchmark makes a vhost for its API server; the report benchmark none.
      expect(vhost !== undefined).toBe(script === "list.bench.ts");
      expect(await databaseExists(database!)).toBe(true);
      if (vhost) expect(await vhostExists(vhost)).toBe(true);

      bench.child.kill(signal);
      expect(await bench.exited).toEqual({ code, signal: null });
      expect(bench.output()).toContain(`${signal}: cleaning up before exiting`);
      expect(await databaseExists(database!)).toBe(false);
      if (vhost) expect(await vhostExists(vhost)).toBe(false);
    } finally {
      if (bench.running()) await bench.stop("SIGKILL");
    }
  });
});
