import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startProcess, type StartedProcess } from "@userstream/test-support";

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs one of the benchmark's own TypeScript scripts (e.g. `src/ingest-baseline-consumer.ts`) as a Node process. */
export function startScript(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): StartedProcess {
  return startProcess(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: benchDir,
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    keepOutput: 20_000,
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

/** CPU seconds the whole machine has spent busy (all cores, every process), from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
}
