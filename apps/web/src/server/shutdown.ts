import "server-only";
import { subscribe } from "node:diagnostics_channel";
import type { Server } from "node:http";
import { closeDb } from "./db";
import { getLogger } from "./logger";
import { closePublisher } from "./publisher";

/**
 * The web's part of a graceful stop, run on SIGTERM/SIGINT beside Next's own (which stops
 * accepting connections and lets the requests under way finish). In order: registrations are
 * refused from now on (the closing publisher refuses new publishes, which the API answers with
 * 503), the publishes under way get their confirm, the channel and connection close, then the
 * database pool. A timer ends the process if this takes longer than `timeoutMs`.
 *
 * Given the `server` (the API server, which has no Next.js to do it), it also stops accepting
 * connections, and closes the database pool only once the requests under way are answered; then
 * the process exits 0.
 *
 * Next.js's own handler ends the process with 143 as soon as its requests are answered, even
 * before the closes above are done. With `NEXT_MANUAL_SIG_HANDLE` set (the supervisor and the
 * image set it) Next leaves the signal to this function, which then does Next's part too: it
 * stops the server the requests came in on (known from the first request) and exits 0.
 */
export function closeOnSignals(timeoutMs: number, server?: Server, manualSignals = false): void {
  let started = false;
  let requestServer = server;
  if (manualSignals && !server) {
    subscribe("http.server.request.start", (message) => {
      requestServer ??= (message as { server: Server }).server;
    });
  }
  const stop = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    const logger = getLogger();
    logger.info({ signal }, "shutting down: new registrations are refused");
    setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long; exiting");
      process.exit(1);
    }, timeoutMs).unref();
    const served = requestServer ? closeServer(requestServer) : Promise.resolve();
    void closePublisher()
      .then(() => served)
      .then(closeDb)
      .then(() => {
        logger.info("publisher and database closed");
        if (server || manualSignals) process.exit(0);
      });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** Stops accepting connections and resolves once the requests under way are answered (idle keep-alive sockets close at once). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
