import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { TEMPLATE_DATABASE_VARIABLE, queryRows } from "@userstream/db/testing";
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

/**
 * The databases a benchmark's process made: their names carry its pid when it was started with
 * {@link OWN_NAMES} (in a test run they carry the run's owner instead: USERSTREAM_TEST_OWNER_PID).
 */
async function databasesOf(pid: number): Promise<string[]> {
  const rows = await queryRows(
    testServerUrl(),
    `SELECT datname FROM pg_database WHERE datname LIKE 'userstream_bench_p${pid}t%'`,
  );
  return (rows as { datname: string }[]).map((row) => row.datname);
}

/** The processes started by `pid` (its children), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

/** A benchmark's environment in which what it makes is named after its own pid. */
const OWN_NAMES: NodeJS.ProcessEnv = { USERSTREAM_TEST_OWNER_PID: undefined };

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

  it("report.bench.ts drops its database when stopped while the database is still being made", async () => {
    // Without the test run's migrated template the database is migrated in place: seconds in
    // which it exists and the benchmark does not know its name yet.
    const bench = startScript("src/report.bench.ts", ["1000"], { ...OWN_NAMES, [TEMPLATE_DATABASE_VARIABLE]: undefined });
    try {
      const pid = bench.child.pid!;
      // The database exists (its migrations under way) before the benchmark names it.
      await waitFor(async () => (await databasesOf(pid)).length > 0, { timeoutMs: 60_000, what: "the database to be made" });
      expect(bench.output()).not.toMatch(/database \w+/);
      bench.child.kill("SIGTERM");
      expect(await bench.exited).toEqual({ code: 143, signal: null });
      expect(await databasesOf(pid)).toEqual([]);
    } finally {
      if (bench.running()) await bench.stop("SIGKILL");
    }
  });

  it("ingest.bench.ts stops the consumer it started and drops its database and vhost on SIGTERM", async () => {
    const bench = startScript("src/ingest.bench.ts", ["200000"], OWN_NAMES);
    try {
      const pid = bench.child.pid!;
      // The baseline consumer of the first run: a process of the benchmark's own.
      const started = await waitFor(
        () => /baseline, 200000/.test(bench.output()) && childrenOf(pid).length > 0 && childrenOf(pid),
        {
          timeoutMs: 180_000,
          what: "the first run's consumer",
          output: bench.output,
        },
      );
      const [database] = await databasesOf(pid);
      expect(database).toBeDefined();
      const { stdout: vhosts } = await run("rabbitmqctl", ["-q", "list_vhosts", "name"]);
      expect(vhosts).toContain(`userstream-bench-p${pid}t`);
      bench.child.kill("SIGTERM");
      expect(await bench.exited).toEqual({ code: 143, signal: null });
      expect(started.filter(alive)).toEqual([]);
      expect(await databaseExists(database!)).toBe(false);
      const { stdout } = await run("rabbitmqctl", ["-q", "list_vhosts", "name"]);
      expect(stdout.split("\n").filter((line) => line.startsWith(`userstream-bench-p${pid}t`))).toEqual([]);
    } finally {
      if (bench.running()) await bench.stop("SIGKILL");
    }
  });
});
