import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { Server } from "node:http";
import { createShutdown, type Shutdown } from "@userstream/runtime";
import { closeDb } from "./db";
import { getLogger } from "./logger";
import { closePublisher } from "./publisher";

/**
 * The web's graceful stop, the same ordered registry as every worker's (`@userstream/runtime`),
 * run on SIGTERM/SIGINT beside Next's own (which stops accepting connections and lets the requests
 * under way finish). In order: registrations are refused from now on (the closing publisher
 * refuses new publishes, which the API answers with 503), the publishes under way get their
 * confirm, the channel and connection close, then the database pool. A timer ends the process if
 * this takes longer than `timeoutMs`.
 *
 * Given the `server` (the API server, which has no Next.js to do it), it also stops accepting
 * connections at once, and closes the database pool only once the requests under way are
 * answered; then the process exits 0.
 *
 * Next.js's own handler ends the process with 143 as soon as its requests are answered, even
 * before the closes above are done. With `NEXT_MANUAL_SIG_HANDLE` set (the supervisor and the
 * image set it) Next leaves the signal to this registry, which then does Next's part too: it
 * stops the server the requests came in on (known from the first request) and exits 0.
 */
export function createWebShutdown(timeoutMs: number, server?: Server, manualSignals = false): Shutdown {
  let requestServer = server;
  if (manualSignals && !server) {
    subscribe("http.server.request.start", (message) => {
      requestServer ??= (message as { server: Server }).server;
    });
  }
  const shutdown = createShutdown(getLogger(), timeoutMs, {
    start: "shutting down: new registrations are refused",
    done: "publisher and database closed",
  });
  let served: Promise<void> = Promise.resolve();
  // Not awaited here: the requests under way are answered while the publisher closes.
  shutdown.add("stop accepting connections", async () => {
    if (requestServer) served = closeServer(requestServer);
  });
  shutdown.add("refuse new registrations and close the publisher", closePublisher);
  shutdown.add("finish the requests under way", () => served);
  shutdown.add("disconnect the database", closeDb);
  return shutdown;
}

/** Runs the web's shutdown on SIGTERM/SIGINT; exits 0 after it unless Next.js owns the signal. */
export function closeOnSignals(timeoutMs: number, server?: Server, manualSignals = false): void {
  createWebShutdown(timeoutMs, server, manualSignals).listen({ exit: Boolean(server) || manualSignals });
}

/** Stops accepting connections and resolves once the requests under way are answered (idle keep-alive sockets close at once). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
