import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import { withTimeout } from "./with-timeout";

/** A dependency's check: it is down when this rejects (or resolves to false), up otherwise. */
export type ReadinessCheck = () => Promise<unknown>;
export type ReadinessChecks = Record<string, ReadinessCheck>;
/** As every process's readiness answer says it. */
export type CheckState = "up" | "down";

/** Until its real check is set, a dependency still coming up reads as down. */
const NOT_YET: ReadinessCheck = async () => false;

/**
 * Runs every check at once, each bounded by `timeoutMs`, and says which are up. `onDown` hears
 * why one is down (for the log: the answer itself names only the dependency).
 */
export async function runChecks(
  checks: ReadinessChecks,
  timeoutMs: number,
  onDown?: (name: string, reason: unknown) => void,
): Promise<Record<string, CheckState>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        const result = await withTimeout(check(), timeoutMs, () => new Error(`${name} did not answer within ${timeoutMs} ms`));
        if (result === false) throw new Error(`${name} is not ready`);
        return [name, "up"] as const;
      } catch (reason) {
        onDown?.(name, reason);
        return [name, "down"] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** A running health server: its HTTP server, and where the checks of dependencies that came up later are set. */
export interface HealthServer {
  server: Server;
  /** Sets (or replaces) the check of dependency `name`. */
  setCheck(name: string, check: ReadinessCheck): void;
  close(): Promise<void>;
}

/**
 * A process's own HTTP port, started first so that it answers while its dependencies come up:
 * `/healthz` says the process is alive, `/readyz` really checks each dependency (503 naming the
 * ones that are down; those in `pending` read as down until `setCheck` gives them a check),
 * `/metrics` serves Prometheus metrics.
 */
export async function startHealthServer(options: {
  port: number;
  registry: Registry;
  checks?: ReadinessChecks;
  pending?: readonly string[];
  checkTimeoutMs?: number;
}): Promise<HealthServer> {
  const checks: ReadinessChecks = {
    ...Object.fromEntries((options.pending ?? []).map((name) => [name, NOT_YET])),
    ...options.checks,
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (path === "/healthz") return send(200, { status: "ok" });
    if (path === "/readyz") {
      void runChecks(checks, options.checkTimeoutMs ?? 2_000).then((states) => {
        const ready = Object.values(states).every((state) => state === "up");
        send(ready ? 200 : 503, { status: ready ? "ready" : "unready", checks: states });
      });
      return;
    }
    if (path === "/metrics") {
      void options.registry.metrics().then((text) => {
        response.writeHead(200, { "content-type": options.registry.contentType }).end(text);
      });
      return;
    }
    send(404, { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, resolve);
  });
  return {
    server,
    setCheck(name, check) {
      checks[name] = check;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A readiness check that really asks the database: `ping` runs `SELECT 1`. */
export function databaseCheck(ping: () => Promise<unknown>): ReadinessCheck {
  return async () => {
    await ping();
  };
}
