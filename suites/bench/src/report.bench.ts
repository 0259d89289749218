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
import { percentile, ratio, report, round } from "./lib/results";

const run = promisify(execFile);
const REPORTER_NODE_FLAGS = ["--max-semi-space-size=2"];
const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.argv[2] ?? "100000,1000000").split(",").map(Number);
const RUNS = 5;

// The same columns and order the reporter writes.
const COPY_SQL = `COPY (SELECT id, first_name, last_name, email, email_verified_at IS NOT NULL, created_at
  FROM users ORDER BY created_at, id) TO STDOUT WITH CSV HEADER`;

async function seedUpTo(client: pg.Client, total: number) {
  const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  const have = rows[0]?.n ?? 0;
  if (have >= total) return;
  await client.query(
    `INSERT INTO users (registration_id, first_name, last_name, email, created_at, updated_at)
     SELECT gen_random_uuid(), 'First' || i, 'Last' || i, 'user' || i || '@example.com', now() - make_interval(secs => i), now()
     FROM generate_series($1::int + 1, $2::int) AS i`,
    [have, total],
  );
  // Settled, as a production table is between bursts of registrations: otherwise autovacuum,
  // woken by the seeding, competes with the measurements for the two cores.
  await client.query("VACUUM (ANALYZE) users");
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

const database = await createTestDatabase("userstream_bench");
const client = new pg.Client({ connectionString: database.url });
const reportsDir = await mkdtemp(path.join(tmpdir(), "userstream-bench-reports-"));
const results = [];
try {
  await client.connect();
  // The reporter writes times in UTC; so does the baseline, or time-zone conversion would skew it.
  await client.query("SET timezone = 'UTC'");
  for (const size of sizes) {
    process.stdout.write(`seeding ${size} users… `);
    const seeded = performance.now();
    await seedUpTo(client, size);
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
  await client.end();
  await database.drop();
  await rm(reportsDir, { recursive: true, force: true });
}

await report("report", results, { runsPerFigure: RUNS, targets: "ratioToCopy ≤ 1.5, peakRssMb ≤ 150 and flat across sizes" });
console.log("targets: ratioToCopy ≤ 1.5, peakRssMb ≤ 150 and flat across sizes");
