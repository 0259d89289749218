import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { once } from "node:events";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { ownerEnv, reportedPort } from "@userstream/test-support";

const workersDir = resolve(import.meta.dirname, "..");
export const chaosLogDir = resolve(workersDir, "../../.test-output/chaos");

export type Role = "receiver" | "sender" | "reporter";
const PORT_VARIABLE: Record<Role, string> = { receiver: "RECEIVER_PORT", sender: "SENDER_PORT", reporter: "REPORTER_PORT" };

/** The command of the package's `start:<role>` script, run directly so signals reach the worker itself. */
function startCommand(role: Role): string[] {
  const scripts = (JSON.parse(readFileSync(join(workersDir, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const script = scripts[`start:${role}`];
  if (!script) throw new Error(`apps/workers has no start:${role} script`);
  return script.split(" ");
}

/** One worker process, started as production starts it, that the suite may signal. */
export interface WorkerProcess {
  name: string;
  role: Role;
  port: number;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<number | string>;
  /** True once the suite has signalled it to stop: any other exit is a crash. */
  stopRequested: boolean;
  /** kill -9: no shutdown code runs. */
  kill(): Promise<number | string>;
  /** SIGTERM: the graceful shutdown. */
  terminate(): Promise<number | string>;
  metrics(): Promise<string>;
}

let started = 0;

/**
 * Starts a worker on port 0 (its health server binds a port of its own and names it in its start
 * line), marked with this process as its owner so a sweep can end it if this run is killed.
 */
export async function startWorker(role: Role, env: Record<string, string>): Promise<WorkerProcess> {
  mkdirSync(chaosLogDir, { recursive: true });
  const name = `${role}-${++started}`;
  const log = createWriteStream(join(chaosLogDir, `${name}.log`));
  const [command = "node", ...args] = startCommand(role);
  const child = spawn(command, args, {
    cwd: workersDir,
    env: { ...process.env, ...env, ...ownerEnv(), [PORT_VARIABLE[role]]: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = once(child, "exit").then(([code, signal]) => (code as number | null) ?? (signal as string));
  const port = await reportedPort(child.stdout as Readable).catch((err: unknown) => {
    throw new Error(`${name} reported no port; see ${chaosLogDir}/${name}.log`, { cause: err });
  });
  const worker: WorkerProcess = {
    name,
    role,
    port,
    child,
    exited,
    stopRequested: false,
    kill: () => {
      worker.stopRequested = true;
      child.kill("SIGKILL");
      return exited;
    },
    terminate: () => {
      worker.stopRequested = true;
      child.kill("SIGTERM");
      return exited;
    },
    async metrics() {
      return (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    },
  };
  await waitUntilReady(worker);
  return worker;
}

async function waitUntilReady(worker: WorkerProcess): Promise<void> {
  for (let tries = 0; tries < 240; tries++) {
    if (worker.child.exitCode !== null) throw new Error(`${worker.name} exited at start; see ${chaosLogDir}/${worker.name}.log`);
    const ready = await fetch(`http://127.0.0.1:${worker.port}/readyz`).then((r) => r.ok, () => false);
    if (ready) return;
    await sleep(250);
  }
  throw new Error(`${worker.name} not ready; see ${chaosLogDir}/${worker.name}.log`);
}


