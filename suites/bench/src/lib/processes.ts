import { readdir, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
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
 * CPU seconds used so far by each process with the command name `name` (e.g. postgres) whose
 * command line holds `argument`, when given (the broker is `beam.smp … -s rabbit`, unlike the
 * short-lived `rabbitmqctl` runs, which are beam.smp too), by pid.
 */
async function cpuSecondsByName(name: string, argument?: string): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== name) continue;
      if (argument && !(await readFile(`/proc/${entry}/cmdline`, "utf8")).split("\0").join(" ").includes(argument)) continue;
      found.set(Number(entry), await cpuSeconds(Number(entry)));
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

/**
 * The CPU seconds processes spent between two readings: those still there at the second (all of
 * it for those started meanwhile). A process that ended meanwhile (a PostgreSQL backend whose
 * client closed) takes its CPU with it: the figure is then low, never negative.
 */
function spentBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** CPU seconds the whole machine has spent busy (all cores, every process), from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
}

/** Where a run's CPU went, in µs per item: its own processes, the broker, PostgreSQL and the whole machine. */
export interface CpuPerItem {
  processesUs: number;
  /** The broker's CPU beyond what it spends idle (its own timers, the connected clients' heartbeats). */
  brokerUs: number;
  /** PostgreSQL's CPU beyond what it spends idle (its background processes, the clients' idle polling). */
  databaseUs: number;
  /** Everything busy on the machine: the run's processes, the benchmark itself and anyone else's. */
  machineUs: number;
  /** How much of the machine's cores were busy meanwhile: near 100 %, the machine is the limit. */
  machineBusyPercent: number;
  /** What the broker and PostgreSQL spent idle just before the run, in % of one core: taken out of the figures above. */
  idlePercent: { broker: number; database: number };
}

/** How long `startCpuMeter` watches the broker and PostgreSQL idle before the run. */
const IDLE_SAMPLE_MS = 2_000;

/**
 * Starts counting the CPU of the processes `pids` (the ones a run measures), of the broker
 * (`beam.smp … -s rabbit`), of every PostgreSQL process and of the whole machine; `perItem(count)`
 * reads them again and divides by the items the run handled. The broker and PostgreSQL are first
 * watched idle for two seconds, and that rate is taken out of their figures: at a low rate their
 * background work would otherwise count as the items' cost (a slow run would look expensive).
 */
export async function startCpuMeter(pids: number[]) {
  const read = async () => ({
    processes: new Map(await Promise.all(pids.map(async (pid) => [pid, await cpuSeconds(pid)] as const))),
    broker: await cpuSecondsByName("beam.smp", "-s rabbit"),
    database: await cpuSecondsByName("postgres"),
    machine: await machineBusySeconds(),
    at: Date.now(),
  });
  const idleStart = await read();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
  const before = await read();
  const idleSeconds = (before.at - idleStart.at) / 1000;
  const idle = {
    broker: spentBetween(idleStart.broker, before.broker) / idleSeconds,
    database: spentBetween(idleStart.database, before.database) / idleSeconds,
  };
  return {
    async perItem(count: number): Promise<CpuPerItem> {
      const after = await read();
      const seconds = (after.at - before.at) / 1000;
      const us = (cpuSeconds: number) => Math.round((Math.max(0, cpuSeconds) / count) * 1e6);
      const machine = after.machine - before.machine;
      return {
        processesUs: us(spentBetween(before.processes, after.processes)),
        brokerUs: us(spentBetween(before.broker, after.broker) - idle.broker * seconds),
        databaseUs: us(spentBetween(before.database, after.database) - idle.database * seconds),
        machineUs: us(machine),
        machineBusyPercent: Math.round((machine / (seconds * availableParallelism())) * 100),
        idlePercent: { broker: Math.round(idle.broker * 100), database: Math.round(idle.database * 100) },
      };
    },
  };
}
