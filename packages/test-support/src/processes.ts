import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** How a process ended: its exit code, or the signal that ended it. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started by a test or a suite (a server, a worker, a script), its output kept. */
export interface StartedProcess {
  child: ChildProcess;
  /** What it wrote to stdout and stderr so far (with `keepOutput`, the end of it). */
  output(): string;
  /** Settles once it has ended. */
  exited: Promise<Exit>;
  /** True until it has ended. */
  running(): boolean;
  /**
   * Sends `signal` (SIGTERM unless given; to its whole process group when started with `group`)
   * and waits for the exit; with `killAfterMs`, a SIGKILL follows when it has not ended by then.
   */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Where and how `startProcess` runs a command. */
export interface StartProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Also writes its output to this file (the folder is made). */
  logFile?: string;
  /**
   * Runs it in a process group of its own and signals the whole group, so that what it starts
   * (pnpm → node) stops with it.
   */
  group?: boolean;
  /** Keeps only the last this many characters of output (a benchmark's long run); all unless given. */
  keepOutput?: number;
  /** `stop()` follows up with SIGKILL when the process has not ended this long after its signal. */
  killAfterMs?: number;
}

/** Starts `command` with its stdout and stderr piped: kept for `output()` and copied to `logFile`. */
export function startProcess(command: string, args: string[], options: StartProcessOptions): StartedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: options.group,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.keepOutput !== undefined && output.length > options.keepOutput) output = output.slice(-options.keepOutput);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal }) as Exit);
  const running = () => child.exitCode === null && child.signalCode === null;
  const signalIt = (signal: NodeJS.Signals) => {
    if (!running() || child.pid === undefined) return;
    if (options.group) process.kill(-child.pid, signal);
    else child.kill(signal);
  };
  return {
    child,
    output: () => output,
    exited,
    running,
    async stop(signal = "SIGTERM") {
      signalIt(signal);
      const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => signalIt("SIGKILL"), options.killAfterMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

/** "exit 3" or "signal SIGKILL", for messages. */
export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit ${exit.code}`;
}

/**
 * Polls `url` until it answers 2xx. Fails at once when `started` has ended (its port taken, its
 * configuration refused) rather than after the whole wait, and after `timeoutMs` with the last
 * answer; `what` names the process in the error.
 */
export async function waitUntilServing(
  started: StartedProcess,
  url: string,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<void> {
  const { what, timeoutMs = 90_000, intervalMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (;;) {
    if (!started.running()) throw new Error(`${what} exited (${describeExit(await started.exited)})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready at ${url} after ${timeoutMs} ms (${last})`);
    await sleep(intervalMs);
  }
}
