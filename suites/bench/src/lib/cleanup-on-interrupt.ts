import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";

/**
 * Returns `cleanup` made idempotent, and runs it on SIGINT (Ctrl-C) or SIGTERM too, then exits
 * (130 or 143, as a shell reports a process ended by that signal): a benchmark stopped half-way
 * through seeding ten million users drops its database and vhost instead of leaving them behind.
 * On a signal, the processes the benchmark started (workers, servers, baseline consumers) are
 * stopped first: a SIGTERM sent to the benchmark alone does not reach them. Call the returned
 * function in the benchmark's `finally` as well.
 */
export function cleanupOnInterrupt(cleanup: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  const once = () => (running ??= cleanup());
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up before exiting…`);
      // Stopping its processes makes the benchmark's own steps fail now: expected, not news.
      process.on("uncaughtException", () => undefined);
      process.on("unhandledRejection", () => undefined);
      stopDescendants()
        .then(once)
        .catch((error: unknown) => console.error("cleanup failed:", error))
        .finally(() => process.exit(code));
    });
  }
  return once;
}

/** The benchmark's own database and vhost (`vhost: false`: none), dropped by `drop`. */
export interface BenchPlace {
  database: TestDatabase;
  vhost: { url: string; drop(): Promise<void> };
  drop(): Promise<void>;
}

/**
 * Makes the benchmark's database (and vhost) and drops them when `drop` is called or the
 * benchmark is interrupted, even while they are still being made (a Ctrl-C during the
 * migrations). `beforeDrop` stops what uses them first (an API server, a client).
 */
export async function benchPlace(beforeDrop: () => Promise<void> = async () => undefined): Promise<BenchPlace> {
  const making = Promise.all([createTestDatabase("userstream_bench"), createTestVhost("userstream-bench")]);
  const drop = cleanupOnInterrupt(async () => {
    await beforeDrop();
    const made = await making.catch(() => undefined);
    if (made) await Promise.all(made.map((place) => place.drop()));
  });
  const [database, vhost] = await making;
  return { database, vhost, drop };
}

/** Every process below this one, from /proc (Linux, as the benchmarks' CPU figures are). */
function descendants(): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(process.pid);
  return found;
}

/** SIGTERM to every process the benchmark started, then SIGKILL to any still there after 5 s. */
async function stopDescendants(): Promise<void> {
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // Already gone.
      }
    }
  };
  signal(descendants(), "SIGTERM");
  for (let waited = 0; waited < 5_000 && descendants().length > 0; waited += 100) await sleep(100);
  signal(descendants(), "SIGKILL");
}
