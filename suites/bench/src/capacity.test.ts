import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const machine = { date: "2026-12-02T10:00:00.000Z", cpus: 2, cpuModel: "test" };
// Results as the benchmarks write them, cut to the fields the model reads. Median runs: the
// receiver's middle rate is 3,000/s (120 µs, broker 150, PostgreSQL 100), the sender's 800/s.
const ingest = {
  machine,
  results: [
    {
      consumer: "baseline",
      mode: "full speed",
      perSecond: 6_000,
      consumerCpuUsPerMessage: 25,
      brokerCpuUsPerMessage: 90,
      databaseCpuUsPerMessage: 70,
    },
    {
      consumer: "receiver",
      mode: "full speed",
      perSecond: 2_000,
      consumerCpuUsPerMessage: 999,
      brokerCpuUsPerMessage: 999,
      databaseCpuUsPerMessage: 999,
    },
    {
      consumer: "receiver",
      mode: "full speed",
      perSecond: 3_000,
      consumerCpuUsPerMessage: 120,
      brokerCpuUsPerMessage: 150,
      databaseCpuUsPerMessage: 100,
    },
    {
      consumer: "receiver",
      mode: "full speed",
      perSecond: 4_000,
      consumerCpuUsPerMessage: 1,
      brokerCpuUsPerMessage: 1,
      databaseCpuUsPerMessage: 1,
    },
    {
      consumer: "receiver",
      mode: "paced 1000/s",
      perSecond: 1_000,
      consumerCpuUsPerMessage: 400,
      brokerCpuUsPerMessage: 400,
      databaseCpuUsPerMessage: 400,
    },
  ],
};
const accept = {
  machine,
  results: [
    { target: "API server: REST", load: "full speed, 50 connections", serverCpuUsPerRequest: 100, databaseCpuUsPerRequest: 5 },
    {
      target: "API server: REST, limit in PostgreSQL, a client per request",
      load: "full speed, 50 connections",
      serverCpuUsPerRequest: 300,
      databaseCpuUsPerRequest: 30,
    },
    {
      target: "API server: REST, limit in PostgreSQL, a client per request",
      load: "500 req/s",
      serverCpuUsPerRequest: 900,
      databaseCpuUsPerRequest: 90,
    },
  ],
};
const email = {
  machine,
  results: [
    {
      sender: "baseline (nodemailer pool)",
      perSecond: 2_000,
      senderCpuUsPerEmail: null,
      brokerCpuUsPerEmail: 0,
      databaseCpuUsPerEmail: 0,
    },
    { sender: "sender", perSecond: 800, senderCpuUsPerEmail: 1_200, brokerCpuUsPerEmail: 50, databaseCpuUsPerEmail: 50 },
    { sender: "sender", perSecond: 700, senderCpuUsPerEmail: 5_000, brokerCpuUsPerEmail: 500, databaseCpuUsPerEmail: 500 },
    { sender: "sender", perSecond: 900, senderCpuUsPerEmail: 1, brokerCpuUsPerEmail: 1, databaseCpuUsPerEmail: 1 },
  ],
};
const DOC =
  "# Scaling\n\nBefore.\n\n<!-- capacity:start (pnpm bench:capacity writes this part) -->\nold\n<!-- capacity:end -->\n\nAfter.\n";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "capacity-"));
  await writeFile(path.join(dir, "scaling.md"), DOC);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeResults(files: Record<string, unknown>) {
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, `${name}.json`), JSON.stringify(content));
}

async function capacity(...args: string[]) {
  const run = promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "src/capacity.ts", "--results", dir, "--doc", path.join(dir, "scaling.md"), ...args],
    {
      cwd: benchDir,
    },
  );
  return run.then(
    ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("pnpm bench:capacity", () => {
  it("sizes each part from the median runs and writes the tables into the document between its markers", async () => {
    await writeResults({ ingest, accept, email });
    const { code, stdout } = await capacity();
    expect(code).toBe(0);
    // Per registration: API 300, receiver 120, sender 1,200, broker 150 + 50, PostgreSQL 30 + 100 + 50.
    expect(stdout).toContain("Per registration: API server 300, receiver 120, sender 1200, broker 200, PostgreSQL 180.");
    // Worked out in lib/capacity.test.ts.
    expect(stdout).toContain("| API server pods | 2 | 18 | 172 |");
    expect(stdout).toContain("| receiver pods | 2 | 7 | 69 |");
    expect(stdout).toContain("| sender pods | 72 (latency) | 715 (latency) | 7143 (latency) |");
    expect(stdout).toContain("| RabbitMQ cores | 1 | 6 | 58 |");
    expect(stdout).toContain("| RabbitMQ nodes | 3 | 3 | 15 |");
    expect(stdout).toContain("| user.registration queues | 1 | 2 | 11 |"); // half of 150 µs: 7.5 cores at 100,000/s
    expect(stdout).toContain("| PostgreSQL primary cores | 1 | 3 | 26 |");
    expect(stdout).toContain("One user.registration queue carries up to 9,333 registrations/s");
    expect(stdout).toContain("| sender, per email | 1200 | bench:email (2026-12-02) |");
    const doc = await readFile(path.join(dir, "scaling.md"), "utf8");
    expect(doc).toMatch(
      /^# Scaling\n\nBefore\.\n\n<!-- capacity:start[^\n]*-->\n\| registrations\/s \| 1,000 \| 10,000 \| 100,000 \|/,
    );
    expect(doc).not.toContain("old");
    expect(doc).toContain("| API server pods | 2 | 18 | 172 |");
    expect(doc.endsWith("<!-- capacity:end -->\n\nAfter.\n")).toBe(true);
  });

  it("prints a changed assumption's figures and leaves the document alone", async () => {
    await writeResults({ ingest, accept, email });
    const { code, stdout } = await capacity("--set", "emailsInFlightPerSender=500");
    expect(code).toBe(0);
    expect(stdout).toContain("| sender pods | 4 (cpu) | 35 (cpu) | 343 (cpu) |");
    expect(await readFile(path.join(dir, "scaling.md"), "utf8")).toBe(DOC);
  });

  it("says which benchmarks to run when their results are missing, all of them, and changes nothing", async () => {
    await writeResults({ ingest, accept });
    const one = await capacity();
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`${path.join(dir, "email.json")} is missing: run \`pnpm bench:email\` first`);
    await rm(path.join(dir, "ingest.json"));
    const two = await capacity();
    expect(two.stderr).toContain(
      `${path.join(dir, "ingest.json")}, ${path.join(dir, "email.json")} are missing: run \`pnpm bench:ingest\`, \`pnpm bench:email\` first`,
    );
    expect(await readFile(path.join(dir, "scaling.md"), "utf8")).toBe(DOC);
  });

  it("refuses an assumption it does not know, and a share above 1", async () => {
    await writeResults({ ingest, accept, email });
    const unknown = await capacity("--set", "replicas=3");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--set replicas=3: no assumption "replicas"');
    const share = await capacity("--set", "utilisation=5");
    expect(share.code).toBe(1);
    expect(share.stderr).toContain("--set utilisation=5: utilisation is a share, at most 1");
  });
});
