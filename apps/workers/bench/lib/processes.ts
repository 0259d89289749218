import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const workersDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A child process of the benchmark, with its output kept for when it fails. */
export interface BenchProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Spawns a child process of the benchmark, keeping the tail of its output. */
export function spawnProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): BenchProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = once(child, "exit");
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs a TypeScript entry of apps/workers (e.g. `src/receiver/main.ts`) as its own Node process. */
export function startNode(entry: string, env: Record<string, string>, args: string[] = [], nodeFlags: string[] = []): BenchProcess {
  return spawnProcess(process.execPath, [...nodeFlags, "--import", "tsx", entry, ...args], {
    cwd: workersDir,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
  });
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * CPU seconds used so far by every process with the command name `name` (e.g. postgres) whose
 * command line holds `argument`, when given (the broker is `beam.smp … -s rabbit`, unlike the
 * short-lived `rabbitmqctl` runs, which are beam.smp too).
 */
export async function cpuSecondsByName(name: string, argument?: string): Promise<number> {
  const { readdir } = await import("node:fs/promises");
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== name) continue;
      if (argument && !(await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0").join(" ").includes(argument)) continue;
      total += await cpuSeconds(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Polls until `probe` is truthy, or fails after `timeoutMs` with `what`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** CPU seconds the whole machine has spent busy (all cores, every process), from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
}
