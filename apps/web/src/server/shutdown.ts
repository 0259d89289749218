import "server-only";
import { closeDb } from "./db";
import { getLogger } from "./logger";
import { closePublisher } from "./publisher";

/**
 * The web's part of a graceful stop, run on SIGTERM/SIGINT beside Next's own (which stops
 * accepting connections and lets the requests under way finish). In order: registrations are
 * refused from now on (the closing publisher refuses new publishes, which the API answers with
 * 503), the publishes under way get their confirm, the channel and connection close, then the
 * database pool. A timer ends the process if this takes longer than `timeoutMs`.
 */
export function closeOnSignals(timeoutMs: number): void {
  let started = false;
  const stop = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    const logger = getLogger();
    logger.info({ signal }, "shutting down: new registrations are refused");
    setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long; exiting");
      process.exit(1);
    }, timeoutMs).unref();
    void closeConnections().then(() => logger.info("publisher and database closed"));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** Closes the publisher (after its publishes under way), then the database pool. */
export async function closeConnections(): Promise<void> {
  await closePublisher();
  await closeDb();
}
