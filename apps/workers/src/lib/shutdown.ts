import type { PinoLogger as Logger } from "@userstream/messaging/logging";

type Step = { name: string; run: () => Promise<unknown> };

/**
 * Ordered shutdown: steps run one after another in the order they were registered (stop
 * consuming → finish in-flight → close channel and connection → disconnect the database),
 * bounded by a timer that exits the process if they take too long.
 */
export function createShutdown(logger: Logger, timeoutMs: number) {
  const steps: Step[] = [];
  let started: Promise<void> | undefined;

  async function shutdown(signal: string) {
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error({ timeoutMs }, "shutdown took too long; exiting");
      process.exit(1);
    }, timeoutMs);
    force.unref();
    for (const step of steps) {
      try {
        await step.run();
      } catch (err) {
        logger.error({ err, step: step.name }, "shutdown step failed");
      }
    }
    clearTimeout(force);
    logger.info("stopped");
  }

  return {
    add(name: string, run: () => Promise<unknown>) {
      steps.push({ name, run });
    },
    /** Runs the steps once, however many signals arrive. */
    run(signal: string): Promise<void> {
      started ??= shutdown(signal);
      return started;
    },
    listen() {
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => void this.run(signal).then(() => process.exit(0)));
      }
    },
  };
}
