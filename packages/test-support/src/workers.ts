import { readFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { inheritedEnv, workerCpuProfileDir } from "./env";
import { ownerEnv } from "./owner";
import { repoRoot, workersDir } from "./paths";
import { reportedPort } from "./ports";
import { startProcess, waitUntilServing, type StartedProcess } from "./processes";
import { metricSample } from "./prometheus-text";

/** The three workers of apps/workers. */
export type WorkerRole = "receiver" | "sender" | "reporter";

const PORT_VARIABLE: Record<WorkerRole, string> = { receiver: "RECEIVER_PORT", sender: "SENDER_PORT", reporter: "REPORTER_PORT" };

/** A worker run as a real child process, as in production, so a test can SIGTERM or kill -9 it. */
export interface WorkerProcess extends StartedProcess {
  role: WorkerRole;
  /** The port of its health server, bound to port 0 and read from its start line. */
  port: Promise<number>;
  /** Waits until its `/readyz` answers 200 (failing at once if it exits); resolves with its port. */
  ready(timeoutMs?: number): Promise<number>;
}

/** How `spawnWorker` starts a worker. */
export interface SpawnWorkerOptions {
  /**
   * "source" (the default): its TypeScript entry through tsx, as the tests run it;
   * "start-script": the command of apps/workers' `start:<role>` script, as production starts it:
   * its bundle with plain node (call `ensureWorkerBundles()` first).
   */
  as?: "source" | "start-script";
  /** Also writes its output to this file. */
  logFile?: string;
  /** Keeps only the last this many characters of its output. */
  keepOutput?: number;
}

/**
 * The command of a package.json script in `dir` (e.g. apps/workers' `start:receiver`), to run
 * directly so signals reach the process itself rather than pnpm.
 */
export function packageScriptCommand(dir: string, name: string): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts;
  const script = scripts[name];
  if (!script) throw new Error(`${path.relative(repoRoot, dir)} has no ${name} script`);
  return script.split(" ");
}

/**
 * Starts a worker with `env` over this process's environment, at LOG_LEVEL info unless `env` says
 * otherwise, its health server on port 0, and marked with this run as its owner so that a sweep
 * ends it if the run is killed.
 */
export function spawnWorker(role: WorkerRole, env: Record<string, string>, options: SpawnWorkerOptions = {}): WorkerProcess {
  const [command = "node", ...args] =
    options.as === "start-script"
      ? packageScriptCommand(workersDir, `start:${role}`)
      : [process.execPath, "--import", "tsx", `src/${role}/main.ts`];
  const profileDir = workerCpuProfileDir();
  if (profileDir) args.unshift("--cpu-prof", `--cpu-prof-dir=${profileDir}`);
  const started = startProcess(command, args, {
    cwd: workersDir,
    env: { ...inheritedEnv(), LOG_LEVEL: "info", [PORT_VARIABLE[role]]: "0", ...ownerEnv(), ...env },
    logFile: options.logFile,
    keepOutput: options.keepOutput,
  });
  const port = reportedPort(started.child.stdout as Readable);
  // A worker killed before it started never reports one; only a test that awaits the port cares.
  port.catch(() => undefined);
  const ready = async (timeoutMs = 60_000) => {
    const bound = await port;
    await waitUntilServing(started, `http://127.0.0.1:${bound}/readyz`, { what: `the ${role}`, timeoutMs });
    return bound;
  };
  return { ...started, role, port, ready };
}

/** A worker's `/readyz`: its status and which dependencies are up. */
export async function readiness(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

/** A worker's `/metrics`, as text. */
export async function metricsText(port: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
}

/** One sample of a worker's `/metrics` (see `metricSample`). */
export async function metricValue(port: number, sample: string): Promise<number> {
  return metricSample(await metricsText(port), sample);
}
