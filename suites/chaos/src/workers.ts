import { join } from "node:path";
import {
  describeExit,
  metricsText,
  readiness,
  repoRoot,
  spawnWorker,
  waitFor,
  type Exit,
  type WorkerProcess,
  type WorkerRole,
} from "@userstream/test-support";

export const chaosLogDir = join(repoRoot, ".test-output", "chaos");

/** A worker of the suite, started as production starts it, its output in `<chaosLogDir>/<name>.log`. */
export interface ChaosWorker extends WorkerProcess {
  name: string;
  /** True once the suite has signalled it to stop: any other exit is a crash. */
  stopRequested: boolean;
  /** kill -9: no shutdown code runs. */
  kill(): Promise<Exit>;
  /** SIGTERM: the graceful shutdown. */
  terminate(): Promise<Exit>;
  metrics(): Promise<string>;
}

let started = 0;

/** Starts a worker with `env` and waits until its `/readyz` says it is ready. */
async function startWorker(role: WorkerRole, env: Record<string, string>): Promise<ChaosWorker> {
  const name = `${role}-${++started}`;
  const logFile = join(chaosLogDir, `${name}.log`);
  const spawned = spawnWorker(role, env, { as: "start-script", logFile });
  const worker: ChaosWorker = {
    ...spawned,
    name,
    stopRequested: false,
    kill: () => {
      worker.stopRequested = true;
      return spawned.stop("SIGKILL");
    },
    terminate: () => {
      worker.stopRequested = true;
      return spawned.stop("SIGTERM");
    },
    metrics: async () => metricsText(await spawned.port),
  };
  await spawned.ready().catch((err: unknown) => {
    throw new Error(`${name} did not start; see ${logFile}`, { cause: err });
  });
  return worker;
}

/**
 * The workers the suite runs, started with one environment: any exit the suite did not ask for is
 * recorded in `crashes`, since a fault must never end a process.
 */
export function createFleet(env: Record<string, string>) {
  const workers = new Set<ChaosWorker>();
  const crashes: string[] = [];

  function running(role?: WorkerRole): ChaosWorker[] {
    return [...workers].filter((worker) => role === undefined || worker.role === role);
  }

  return {
    crashes,
    running,
    /** Starts a worker of `role` with the fleet's environment, `overrides` over it. */
    async start(role: WorkerRole, overrides: Record<string, string> = {}): Promise<ChaosWorker> {
      const worker = await startWorker(role, { ...env, ...overrides });
      workers.add(worker);
      void worker.exited.then((exit) => {
        workers.delete(worker);
        if (!worker.stopRequested)
          crashes.push(`${worker.name} exited (${describeExit(exit)}); see ${chaosLogDir}/${worker.name}.log`);
      });
      return worker;
    },
    /** The one running worker of `role`. */
    only(role: WorkerRole): ChaosWorker {
      const [worker] = running(role);
      if (!worker) throw new Error(`no ${role} running`);
      return worker;
    },
    /** Waits until every running worker's `/readyz` says `dependency` is `state` (and the answer is 503 while down, 200 when all are up). */
    async untilReadiness(dependency: "broker" | "database", state: "up" | "down") {
      const matches = async (worker: ChaosWorker) => {
        const { status, body } = await readiness(await worker.port);
        return body.checks[dependency] === state && status === (state === "down" ? 503 : 200);
      };
      await waitFor(async () => (await Promise.all(running().map(matches))).every(Boolean), 30_000);
    },
  };
}
