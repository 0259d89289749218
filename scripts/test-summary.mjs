// Prints the closing lines of `npm test`: one row per step (how it ended, how long it took), then
// one line adding up every step. Steps are read from the record scripts/test-steps.sh keeps; a step
// with a test runner's JSON report (Vitest, Playwright) counts its tests, any other step counts as
// one entry. A step that failed, was interrupted or never ran is never counted as passed.
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/**
 * Parses the step record: `planned NAME [REPORT]`, `started NAME`, `ended NAME EXIT_CODE SECONDS`
 * (tab-separated, one per line) into the planned steps, in order, with what became of each.
 */
export function parseStepRecord(text) {
  const steps = new Map();
  for (const line of text.split("\n").filter(Boolean)) {
    const [kind, name, ...rest] = line.split("\t");
    if (kind === "planned") steps.set(name, { name, report: rest[0] || undefined, started: false });
    const step = steps.get(name);
    if (!step) continue;
    if (kind === "started") step.started = true;
    if (kind === "ended") Object.assign(step, { exitCode: Number(rest[0]), seconds: Number(rest[1]) });
  }
  return [...steps.values()];
}

/** Passed, failed and skipped tests in a Vitest or Playwright JSON report. */
export function countReport(report) {
  if ("numPassedTests" in report) {
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    };
  }
  // A flaky pass (failed, then passed on a retry) is still a failure to report.
  return { passed: report.stats.expected, failed: report.stats.unexpected + report.stats.flaky, skipped: report.stats.skipped };
}

/**
 * Adds up the steps. `readReport(path)` returns the parsed report, or throws when there is none
 * or it cannot be read. Returns the totals and one row per step.
 */
export function summarize(steps, readReport) {
  const totals = { passed: 0, failed: 0, skipped: 0, notRun: 0 };
  const rows = [];
  for (const step of steps) {
    const time = step.seconds === undefined ? "" : `${step.seconds}s`;
    if (!step.started) {
      totals.notRun++;
      rows.push([step.name, "not run", time]);
      continue;
    }
    if (step.exitCode === undefined) {
      totals.failed++;
      rows.push([step.name, "interrupted", time]);
      continue;
    }
    if (!step.report) {
      if (step.exitCode === 0) totals.passed++;
      else totals.failed++;
      rows.push([step.name, step.exitCode === 0 ? "passed" : `failed (exit ${step.exitCode})`, time]);
      continue;
    }
    let counts;
    try {
      counts = countReport(readReport(step.report));
    } catch (error) {
      totals.failed++;
      rows.push([step.name, `failed: no readable report at ${step.report} (${error.message.split("\n")[0]})`, time]);
      continue;
    }
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    let result = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
    // A runner that exits non-zero with no failed test (a crashed setup, an error outside any test)
    // is one failure of its own.
    if (step.exitCode !== 0 && counts.failed === 0) {
      totals.failed++;
      result += `; exit ${step.exitCode} with no failed test: counted as 1 failed`;
    } else if (step.exitCode !== 0) {
      result += ` (exit ${step.exitCode})`;
    }
    rows.push([step.name, result, time]);
  }
  return { totals, rows, ok: totals.failed === 0 && totals.notRun === 0 };
}

/** The closing line; CI's log ends with it, so it always starts `tests: N passed, N failed, N skipped`. */
export function summaryLine({ passed, failed, skipped, notRun }) {
  const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  return notRun > 0 ? `${line}, ${notRun} not run` : line;
}

function formatRows(rows) {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, result, time]) => `  ${name.padEnd(width)}  ${time.padStart(5)}  ${result}`).join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const recordFile = process.argv[2];
  if (!recordFile) {
    console.error("usage: node scripts/test-summary.mjs STEP_RECORD");
    process.exit(2);
  }
  const steps = existsSync(recordFile) ? parseStepRecord(readFileSync(recordFile, "utf8")) : [];
  const { totals, rows, ok } = summarize(steps, (path) => JSON.parse(readFileSync(path, "utf8")));
  if (steps.length === 0) {
    // Nothing was planned or the record is gone: no evidence of a passing run.
    totals.failed++;
    rows.push(["(steps)", `no step record at ${recordFile}`, ""]);
  }
  console.log(`\nsteps:\n${formatRows(rows)}`);
  console.log(summaryLine(totals));
  process.exit(ok && steps.length > 0 ? 0 : 1);
}
