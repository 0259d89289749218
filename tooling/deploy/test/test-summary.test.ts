/**
 * `npm test`'s closing line (scripts/test-summary.mjs) and the step runner that records every step
 * and prints that line on exit (scripts/test-steps.sh), run for real on made-up steps and reports.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const scripts = fileURLToPath(new URL("../../../scripts/", import.meta.url));

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "userstream-test-summary-"));
});
afterEach(() => {
  // A made-up run left behind by a failed test stops its steps on SIGTERM.
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  lastLine: string;
}

function finished(child: ReturnType<typeof spawn>): Promise<Run> {
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve({ code, stdout, lastLine: stdout.trimEnd().split("\n").at(-1) ?? "" }));
  });
}

const vitestReport = (passed: number, failed: number, pending = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  numPendingTests: pending,
  numTodoTests: 0,
});
const playwrightReport = (expected: number, unexpected: number, flaky = 0, skipped = 0) => ({
  stats: { expected, unexpected, flaky, skipped },
});

describe("the summary of a step record", () => {
  function summarize(record: string[], reports: Record<string, unknown> = {}): Promise<Run> {
    for (const [name, report] of Object.entries(reports)) writeFileSync(join(dir, name), JSON.stringify(report));
    const file = join(dir, "steps.tsv");
    writeFileSync(file, record.map((line) => line.replaceAll("{dir}", dir)).join("\n"));
    return finished(spawn(process.execPath, [join(scripts, "test-summary.mjs"), file]));
  }

  it("adds up the reports' tests and one entry per step without a report, and exits 0 when all passed", async () => {
    const run = await summarize(
      [
        "planned\tbuild\t",
        "planned\tvitest\t{dir}/vitest.json",
        "planned\tbench:report\t",
        "planned\tplaywright\t{dir}/playwright.json",
        "started\tbuild",
        "ended\tbuild\t0\t41",
        "started\tvitest",
        "ended\tvitest\t0\t120",
        "started\tbench:report",
        "ended\tbench:report\t0\t9",
        "started\tplaywright",
        "ended\tplaywright\t0\t60",
      ],
      { "vitest.json": vitestReport(370, 0, 2), "playwright.json": playwrightReport(25, 0, 0, 1) },
    );
    expect(run.lastLine).toBe("tests: 397 passed, 0 failed, 3 skipped");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/bench:report\s+9s\s+passed/);
  });

  it("counts a failed step without a report (a benchmark) as a failed entry", async () => {
    const run = await summarize(
      [
        "planned\tvitest\t{dir}/vitest.json",
        "planned\tbench:ingest\t",
        "started\tvitest",
        "ended\tvitest\t0\t100",
        "started\tbench:ingest",
        "ended\tbench:ingest\t1\t12",
      ],
      { "vitest.json": vitestReport(10, 0) },
    );
    expect(run.lastLine).toBe("tests: 10 passed, 1 failed, 0 skipped");
    expect(run.stdout).toMatch(/bench:ingest\s+12s\s+failed \(exit 1\)/);
    expect(run.code).toBe(1);
  });

  it("counts a runner that exits non-zero with no failed test in its report as one failure", async () => {
    const run = await summarize(
      ["planned\tplaywright\t{dir}/playwright.json", "started\tplaywright", "ended\tplaywright\t1\t30"],
      {
        "playwright.json": playwrightReport(0, 0),
      },
    );
    expect(run.lastLine).toBe("tests: 0 passed, 1 failed, 0 skipped");
    expect(run.code).toBe(1);
  });

  it("counts failed and flaky tests of the reports, a missing or unreadable report, and an interrupted step", async () => {
    const run = await summarize(
      [
        "planned\tvitest\t{dir}/vitest.json",
        "planned\tplaywright\t{dir}/playwright.json",
        "planned\tchaos\t{dir}/chaos.json",
        "planned\tbench:list\t",
        "started\tvitest",
        "ended\tvitest\t1\t100",
        "started\tplaywright",
        "ended\tplaywright\t1\t50",
        "started\tchaos",
        "ended\tchaos\t0\t200",
        "started\tbench:list",
      ],
      { "vitest.json": vitestReport(8, 2), "playwright.json": playwrightReport(20, 1, 1) },
    );
    // vitest 2, playwright 1 + 1 flaky, chaos's missing report 1, bench:list interrupted 1.
    expect(run.lastLine).toBe("tests: 28 passed, 6 failed, 0 skipped");
    expect(run.stdout).toMatch(/chaos\s+200s\s+failed: no readable report/);
    expect(run.stdout).toMatch(/bench:list\s+interrupted/);
    expect(run.code).toBe(1);
  });

  it("counts the steps that never ran, and never reads 0 failed without a step record", async () => {
    const notRun = await summarize(["planned\tbuild\t", "planned\tlint\t", "started\tbuild", "ended\tbuild\t2\t5"]);
    expect(notRun.lastLine).toBe("tests: 0 passed, 1 failed, 0 skipped, 1 not run");
    expect(notRun.code).toBe(1);

    const missing = await finished(spawn(process.execPath, [join(scripts, "test-summary.mjs"), join(dir, "none.tsv")]));
    expect(missing.lastLine).toBe("tests: 0 passed, 1 failed, 0 skipped");
    expect(missing.code).toBe(1);
  });
});

describe("the step runner", () => {
  /** Runs a made-up `npm test` built on scripts/test-steps.sh, as scripts/test.sh is. */
  function runSteps(body: string) {
    const script = join(dir, "run.sh");
    writeFileSync(
      script,
      [
        "set -euo pipefail",
        `STEP_RECORD=${JSON.stringify(join(dir, "output", "steps.tsv"))}`,
        `source ${JSON.stringify(join(scripts, "test-steps.sh"))}`,
        body.replaceAll("{dir}", dir),
      ].join("\n"),
    );
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(child);
    return child;
  }

  it("prints the summary when the build fails, counting the steps that did not run", async () => {
    const run = await finished(
      runSteps(`
        plan_steps build lint vitest={dir}/vitest.json bench:report
        at_exit touch {dir}/cleaned-up
        step build false
        stop_if_a_step_failed
        step lint true
      `),
    );
    expect(run.lastLine).toBe("tests: 0 passed, 1 failed, 0 skipped, 3 not run");
    expect(run.code).not.toBe(0);
    expect(existsSync(join(dir, "cleaned-up"))).toBe(true);
  });

  it("runs every test step after a failed one, counts each, and exits non-zero", async () => {
    writeFileSync(join(dir, "vitest.json"), JSON.stringify(vitestReport(5, 0)));
    const run = await finished(
      runSteps(`
        plan_steps build vitest={dir}/vitest.json bench:report bench:ingest
        step build true
        stop_if_a_step_failed
        step vitest true
        step bench:report false
        step bench:ingest true
      `),
    );
    expect(run.lastLine).toBe("tests: 7 passed, 1 failed, 0 skipped");
    expect(run.code).toBe(1);
  });

  it("counts a background step, prints its output in one piece, and exits 0 when all passed", async () => {
    const run = await finished(
      runSteps(`
        plan_steps chaos vitest
        in_background chaos step chaos bash -c 'echo chaos output line'
        step vitest true
        wait_for_background_steps
      `),
    );
    expect(run.stdout).toContain("==> chaos (ran in the background):\nchaos output line");
    expect(run.lastLine).toBe("tests: 2 passed, 0 failed, 0 skipped");
    expect(run.code).toBe(0);
  });

  it("on SIGTERM stops the background steps, counts the running ones as interrupted, and still prints the summary", async () => {
    const pidFile = join(dir, "sleeper.pid");
    const child = runSteps(`
      plan_steps chaos vitest playwright
      in_background chaos step chaos bash -c 'echo $$ > ${pidFile}; exec sleep 600'
      step vitest sleep 600
      step playwright true
    `);
    const run = finished(child);
    await expect.poll(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "", { timeout: 10_000 }).toBe(true);
    await expect
      .poll(() => readFileSync(join(dir, "output", "steps.tsv"), "utf8").includes("started\tvitest"), { timeout: 10_000 })
      .toBe(true);
    const sleeper = Number(readFileSync(pidFile, "utf8"));
    child.kill("SIGTERM");
    const { lastLine, stdout, code } = await run;
    expect(lastLine).toBe("tests: 0 passed, 2 failed, 0 skipped, 1 not run");
    expect(stdout).toMatch(/chaos\s+interrupted/);
    expect(code).not.toBe(0);
    await expect.poll(() => isAlive(sleeper), { timeout: 5_000 }).toBe(false);
  });
});

/** Whether the process runs (a zombie waiting to be reaped counts as gone). */
function isAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}
