import type { PinoLogger as Logger } from "./logger";

type Step = { name: string; run: () => Promise<unknown> };

/** What the shutdown logs when it begins and ends. */
export interface ShutdownMessages {
  start: string;
  done: string;
}

/**
 * Ordered shutdown: steps run one after another in the order they were registered (stop
 * consuming → finish in-flight → close channel and connection → disconnect the database),
 * bounded by a timer that exits the process if they take too long. A step that fails is logged
 * and the next one still runs.
 */
export function createShutdown(
  logger: Logger,
  timeoutMs: number,
  messages: ShutdownMessages = { start: "shutting down", done: "stopped" },
) {
  const steps: Step[] = [];
  let started: Promise<void> | undefined;

  async function shutdown(signal: string) {
    logger.info({ signal }, messages.start);
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
    logger.info(messages.done);
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
    /**
     * Runs the steps on SIGTERM or SIGINT, then exits 0; with `exit: false` the process is left to
     * whoever else handles the signal (Next.js, which exits on its own once its requests are answered).
     */
    listen({ exit = true }: { exit?: boolean } = {}) {
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
          void this.run(signal).then(() => {
            if (exit) process.exit(0);
          });
        });
      }
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;
