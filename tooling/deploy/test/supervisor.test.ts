import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const supervisorModule = fileURLToPath(new URL("../../../scripts/supervisor.mjs", import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "userstream-supervisor-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Spec {
  name: string;
  script: string;
  /** Waits for this URL to answer before the process counts as ready. */
  health?: string;
}

/** Starts the real supervisor in a child process, running each spec's script as a Node process. */
function startSupervisor(specs: Spec[], options: Record<string, number> = {}) {
  const list = specs.map((spec) => {
    const file = join(dir, `${spec.name}.mjs`);
    writeFileSync(file, spec.script);
    return { name: spec.name, cwd: dir, args: [file], health: spec.health };
  });
  const program = `import { supervise } from ${JSON.stringify(supervisorModule)};
supervise(${JSON.stringify(list)}, { ...${JSON.stringify(options)}, onReady: () => console.log("READY") });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", program], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  /** The supervisor's own lines, without their prefix. */
  const said = () => [...stderr.matchAll(/^\[supervisor\] +(.*)$/gm)].map((match) => match[1] ?? "");
  return { child, exited, said, stdout: () => stdout, stderr: () => stderr };
}

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting until ${what}`);
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : []);

/** A process that records its start, and on SIGTERM records that it stopped and exits. */
const longRunning = (name: string) => `
import { appendFileSync } from "node:fs";
appendFileSync(${JSON.stringify(`${name}.log`)}, "started " + process.pid + "\\n");
process.on("SIGTERM", () => { appendFileSync(${JSON.stringify(`${name}.log`)}, "stopped " + process.pid + "\\n"); process.exit(0); });
setInterval(() => {}, 1000);
`;

describe("scripts/supervisor.mjs", () => {
  let running: ChildProcess | undefined;
  afterEach(() => {
    if (running && running.exitCode === null) running.kill("SIGKILL");
  });

  it("prefixes each process's lines with its name, on stdout and stderr", async () => {
    const talker = `console.log("hello from out"); console.error("hello from err"); setInterval(() => {}, 1000);`;
    const supervisor = startSupervisor([
      { name: "talker", script: talker },
      { name: "b", script: longRunning("b") },
    ]);
    running = supervisor.child;
    await until(
      () => supervisor.stdout().includes("hello from out") && supervisor.stderr().includes("hello from err"),
      "both lines",
    );
    // Names padded to the longest ("supervisor"), no colour when not on a terminal.
    expect(supervisor.stdout()).toContain("[talker]     hello from out\n");
    expect(supervisor.stderr()).toContain("[talker]     hello from err\n");
    expect(supervisor.stderr()).not.toContain("\x1b[");
    supervisor.child.kill("SIGTERM");
    expect(await supervisor.exited).toBe(0);
  });

  it("restarts a process that keeps crashing after a good start, doubling the wait each time, and leaves the others alone", async () => {
    const crashing = `
import { appendFileSync } from "node:fs";
appendFileSync("crashing.log", "started\\n");
process.exit(3);
`;
    const supervisor = startSupervisor(
      [
        { name: "crashing", script: crashing },
        { name: "steady", script: longRunning("steady") },
      ],
      { baseDelayMs: 20, maxDelayMs: 160 },
    );
    running = supervisor.child;
    await until(() => lines(join(dir, "crashing.log")).length >= 6, "the crashing process ran six times");

    const restarts = supervisor.said().filter((line) => line.startsWith("crashing exited"));
    expect(restarts.slice(0, 5)).toEqual(
      [20, 40, 80, 160, 160].map((delay) => `crashing exited (code 3); restarting in ${delay} ms`),
    );
    // The steady process was started once and never restarted.
    expect(lines(join(dir, "steady.log"))).toHaveLength(1);

    supervisor.child.kill("SIGTERM");
    expect(await supervisor.exited).toBe(0);
  });

  it("starts a process again when it is killed", async () => {
    const supervisor = startSupervisor([{ name: "worker", script: longRunning("worker") }], { baseDelayMs: 20 });
    running = supervisor.child;
    const log = join(dir, "worker.log");
    await until(() => lines(log).length === 1, "the worker started");
    const firstPid = Number(lines(log)[0]?.split(" ")[1]);
    process.kill(firstPid, "SIGKILL");

    await until(() => lines(log).length === 2, "the worker started again");
    const secondPid = Number(lines(log)[1]?.split(" ")[1]);
    expect(secondPid).not.toBe(firstPid);
    expect(supervisor.said()).toContain("worker exited (signal SIGKILL); restarting in 20 ms");

    supervisor.child.kill("SIGTERM");
    expect(await supervisor.exited).toBe(0);
  });

  it("stops everything with 78 when a process refuses its configuration (exit 78), its message on screen", async () => {
    const misconfigured = `
import { appendFileSync } from "node:fs";
appendFileSync("misconfigured.log", "started\\n");
setTimeout(() => { console.error("Invalid environment variables:\\n  AMQP_URL: Invalid URL"); process.exit(78); }, 200);
`;
    const supervisor = startSupervisor([
      { name: "steady", script: longRunning("steady") },
      { name: "misconfigured", script: misconfigured },
    ]);
    running = supervisor.child;
    expect(await supervisor.exited).toBe(78);
    expect(supervisor.stderr()).toContain(
      "[misconfigured] Invalid environment variables:\n[misconfigured]   AMQP_URL: Invalid URL\n",
    );
    expect(supervisor.said()).toContain(
      "misconfigured stopped on its configuration (exit 78, see its message above); stopping everything",
    );
    // Not restarted; the other process was stopped, not left running.
    expect(lines(join(dir, "misconfigured.log"))).toHaveLength(1);
    expect(supervisor.said().filter((line) => line.startsWith("steady stopped"))).toHaveLength(1);
  });

  it("stops everything with 1 when a process exits before it ever answered its health URL", async () => {
    const supervisor = startSupervisor(
      [
        { name: "steady", script: longRunning("steady") },
        { name: "failing", script: `console.error("listen EADDRINUSE"); process.exit(1);`, health: "http://127.0.0.1:9/never" },
      ],
      { baseDelayMs: 20 },
    );
    running = supervisor.child;
    expect(await supervisor.exited).toBe(1);
    expect(supervisor.stderr()).toContain("[failing]    listen EADDRINUSE\n");
    expect(supervisor.said()).toContain("failing exited (code 1) before it was ever ready; stopping everything");
    expect(supervisor.said().filter((line) => line.startsWith("failing started"))).toHaveLength(1);
    expect(supervisor.said().filter((line) => line.startsWith("steady stopped"))).toHaveLength(1);
  });

  it("calls onReady once, when every process answers its health URL", async () => {
    // The health URLs are the test's own: 503 until it says otherwise.
    const healthy = new Set<string>();
    const asked = new Map<string, number>();
    const server = createServer((request, response) => {
      asked.set(request.url ?? "", (asked.get(request.url ?? "") ?? 0) + 1);
      response.statusCode = healthy.has(request.url ?? "") ? 200 : 503;
      response.end();
    }).listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const supervisor = startSupervisor([
        { name: "a", script: longRunning("a"), health: `${base}/a` },
        { name: "b", script: longRunning("b"), health: `${base}/b` },
      ]);
      running = supervisor.child;
      healthy.add("/a");
      await until(() => (asked.get("/a") ?? 0) > 0, "a was asked");
      // b asked twice more after a answered: the supervisor saw a ready and b not.
      const before = asked.get("/b") ?? 0;
      await until(() => (asked.get("/b") ?? 0) >= before + 2, "b was asked again");
      expect(supervisor.stdout()).not.toContain("READY");

      healthy.add("/b");
      await until(() => supervisor.stdout().includes("READY"), "ready");
      supervisor.child.kill("SIGTERM");
      expect(await supervisor.exited).toBe(0);
      expect(supervisor.stdout().match(/READY/g)).toEqual(["READY"]);
    } finally {
      server.close();
    }
  });

  it("on SIGTERM stops every process with SIGTERM, last started first, restarts none, and exits 0", async () => {
    const supervisor = startSupervisor([
      { name: "a", script: longRunning("a") },
      { name: "b", script: longRunning("b") },
    ]);
    running = supervisor.child;
    await until(() => lines(join(dir, "a.log")).length === 1 && lines(join(dir, "b.log")).length === 1, "both started");

    supervisor.child.kill("SIGTERM");
    expect(await supervisor.exited).toBe(0);
    for (const name of ["a", "b"]) {
      const [started, stopped, ...more] = lines(join(dir, `${name}.log`));
      expect(stopped).toBe(started?.replace("started", "stopped"));
      expect(more).toEqual([]);
    }
    const stops = supervisor.said().filter((line) => / stopped |every process/.test(line));
    expect(stops).toEqual(["b stopped (exit 0)", "a stopped (exit 0)", "every process stopped cleanly"]);
    expect(supervisor.said().some((line) => line.includes("restarting"))).toBe(false);
  });

  it("kills a process that ignores SIGTERM past the stop timeout, and exits 1", async () => {
    const stubborn = `
import { appendFileSync } from "node:fs";
appendFileSync("stubborn.log", "started " + process.pid + "\\n");
process.on("SIGTERM", () => {});
setInterval(() => {}, 1000);
`;
    const supervisor = startSupervisor([{ name: "stubborn", script: stubborn }], { stopTimeoutMs: 300 });
    running = supervisor.child;
    await until(() => lines(join(dir, "stubborn.log")).length === 1, "it started");
    supervisor.child.kill("SIGTERM");
    expect(await supervisor.exited).toBe(1);
    expect(supervisor.said()).toContain("stubborn stopped (signal SIGKILL, not cleanly)");
    const pid = Number(lines(join(dir, "stubborn.log"))[0]?.split(" ")[1]);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
