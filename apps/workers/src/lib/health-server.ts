import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

/** Each dependency's check: resolves when it is usable, rejects (or returns false) when not. */
export type ReadinessChecks = Record<string, () => Promise<boolean>>;

async function runChecks(checks: ReadinessChecks, timeoutMs: number) {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
      const ok = await Promise.race([check().catch(() => false), timeout]);
      return [name, ok ? "up" : "down"] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * The worker's own HTTP port: `/healthz` says the process is alive, `/readyz` really checks each
 * dependency (503 when one is down), `/metrics` serves Prometheus metrics.
 */
export async function startHealthServer(options: {
  port: number;
  checks: ReadinessChecks;
  registry: Registry;
  checkTimeoutMs?: number;
}): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (path === "/healthz") return send(200, { status: "ok" });
    if (path === "/readyz") {
      void runChecks(options.checks, options.checkTimeoutMs ?? 2_000).then((checks) => {
        const ready = Object.values(checks).every((state) => state === "up");
        send(ready ? 200 : 503, { status: ready ? "ready" : "unready", checks });
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
  return server;
}
