import { spawn, type ChildProcess } from "node:child_process";
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
}

/** Starts the real supervisor in a child process, running each spec's script as a Node process. */
function startSupervisor(specs: Spec[], options: Record<string, number> = {}) {
  const list = specs.map((spec) => {
    const file = join(dir, `${spec.name}.mjs`);
    writeFileSync(file, spec.script);
    return { name: spec.name, cwd: dir, args: [file] };
  });
  const program = `import { supervise } from ${JSON.stringify(supervisorModule)}; supervise(${JSON.stringify(list)}, ${JSON.stringify(options)});`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", program], { stdio: ["ignore", "pipe", "pipe"] });
  const events: Record<string, unknown>[] = [];
  let buffer = "";
  child.stderr.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("{")) events.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, events, exited };
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

  it("restarts a process that keeps crashing, doubling the wait each time, and leaves the others alone", async () => {
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

    const restarts = supervisor.events.filter((event) => event.msg === "process exited; restarting" && event.name === "crashing");
    expect(restarts.slice(0, 5).map((event) => event.delay)).toEqual([20, 40, 80, 160, 160]);
    expect(restarts.every((event) => event.code === 3)).toBe(true);
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
    expect(supervisor.events).toContainEqual(expect.objectContaining({ msg: "process exited; restarting", name: "worker", signal: "SIGKILL" }));

    supervisor.child.kill("SIGTERM");
    expect(await supervisor.exited).toBe(0);
  });

  it("on SIGTERM stops every process with SIGTERM, restarts none, and exits 0", async () => {
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
    expect(supervisor.events.some((event) => event.msg === "process exited; restarting")).toBe(false);
  });

  it("exits 1 when a process ignores SIGTERM past the stop timeout", async () => {
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
    const pid = Number(lines(join(dir, "stubborn.log"))[0]?.split(" ")[1]);
    process.kill(pid, "SIGKILL");
  });
});
