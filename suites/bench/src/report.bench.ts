// `pnpm bench:report [sizes]`: seeds users and writes the users report at each size, against the
// baseline of PostgreSQL's own `COPY (SELECT …) TO STDOUT WITH CSV` for the same rows, measured in
// the same run. Each figure is the median of RUNS runs. Prints a table and writes
// suites/bench/results/report.json.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { createTestDatabase } from "@userstream/db/testing";
import { cleanupOnInterrupt } from "./lib/cleanup-on-interrupt";
import { percentile, ratio, report, round } from "./lib/results";
import { seedUsers } from "./lib/seed-users";

const run = promisify(execFile);
const REPORTER_NODE_FLAGS = ["--max-semi-space-size=2"];
const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.argv[2] ?? "100000,1000000").split(",").map(Number);
const RUNS = 5;

// The same columns and order the reporter writes.
const COPY_SQL = `COPY (SELECT id, first_name, last_name, email, email_verified_at IS NOT NULL, created_at
  FROM users ORDER BY created_at, id) TO STDOUT WITH CSV HEADER`;

/** Adds users until there are `total` (lib/seed-users.ts: one statement, the indexes built after it). */
async function seedUpTo(client: pg.Client, url: string, total: number) {
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  const have = rows[0]?.n ?? 0;
  if (have < total) await seedUsers(url, have + 1, total);
}

/** The median time of RUNS runs of the baseline COPY, after one to warm the cache. */
async function timeCopy(client: pg.Client): Promise<number> {
  const seconds: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const started = performance.now();
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    await pipeline(client.query(copyTo(COPY_SQL)), sink);
    if (bytes === 0) throw new Error("COPY produced nothing");
    if (run > 0) seconds.push((performance.now() - started) / 1000);
  }
  return percentile(seconds, 50);
}

async function timeReport(databaseUrl: string, reportsDir: string) {
  // The same Node flags the reporter runs with (see scripts/supervise.mjs).
  const args = [
    ...REPORTER_NODE_FLAGS,
    "--import",
    "tsx",
    path.join(here, "run-report-child.ts"),
    databaseUrl,
    reportsDir,
    String(RUNS),
  ];
  const { stdout } = await run(process.execPath, args, {
    cwd: path.join(here, ".."),
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
    seconds: number;
    runs: number[];
    rows: number;
    maxRssMb: number;
  };
}

// Kept as a promise, so that an interrupt while the database is still being made drops it too.
const making = createTestDatabase("userstream_bench");
let client: pg.Client | undefined;
let reportsDir: string | undefined;
const cleanup = cleanupOnInterrupt(async () => {
  await client?.end().catch(() => undefined);
  await (await making.catch(() => undefined))?.drop();
  if (reportsDir) await rm(reportsDir, { recursive: true, force: true });
});
const results = [];
try {
  const database = await making;
  console.log(`database ${new URL(database.url).pathname.slice(1)}`);
  reportsDir = await mkdtemp(path.join(tmpdir(), "userstream-bench-reports-"));
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  // The reporter writes times in UTC; so does the baseline, or time-zone conversion would skew it.
  await client.query("SET timezone = 'UTC'");
  for (const size of sizes) {
    process.stdout.write(`seeding ${size} users… `);
    const seeded = performance.now();
    await seedUpTo(client, database.url, size);
    console.log(`${((performance.now() - seeded) / 1000).toFixed(1)} s`);
    const copySeconds = await timeCopy(client);
    const run = await timeReport(database.url, reportsDir);
    if (run.rows !== size) throw new Error(`the report has ${run.rows} rows, not ${size}`);
    results.push({
      users: size,
      reportSeconds: round(run.seconds, 3),
      rowsPerSecond: Math.round(size / run.seconds),
      peakRssMb: round(run.maxRssMb, 1),
      copySeconds: round(copySeconds, 3),
      ratioToCopy: ratio(run.seconds, copySeconds),
    });
  }
} finally {
  await cleanup();
}

await report("report", results, { runsPerFigure: RUNS, targets: "ratioToCopy ≤ 1.5, peakRssMb ≤ 150 and flat across sizes" });
console.log("targets: ratioToCopy ≤ 1.5, peakRssMb ≤ 150 and flat across sizes");
