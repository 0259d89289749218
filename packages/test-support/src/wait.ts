import { setTimeout as sleep } from "node:timers/promises";

/** How long `waitFor` waits, how often it asks, and what its error says on a timeout. */
export interface WaitOptions {
  /** How long to wait in all; 15 s unless given. */
  timeoutMs?: number;
  /** The pause between two probes; 50 ms unless given. */
  intervalMs?: number;
  /** What is awaited, for the error: "<what> not reached in 15000 ms". */
  what?: string;
  /** Read when the wait times out, for the error: e.g. a process's output so far. */
  output?: () => string;
}

/**
 * Probes until `probe` returns something truthy, and returns that. A probe that throws counts as
 * "not yet" (a server still starting); on a timeout the error says what was awaited, carries the
 * last error thrown as its cause and, with `output`, shows it. `options` may be the timeout alone.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: number | WaitOptions = {},
): Promise<Exclude<T, false | null | undefined>> {
  const {
    timeoutMs = 15_000,
    intervalMs = 50,
    what = "condition",
    output,
  } = typeof options === "number" ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, false | null | undefined>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const shown = output ? `; output so far:\n${output()}` : "";
      throw new Error(`${what} not reached in ${timeoutMs} ms${shown}`, { cause: lastError });
    }
    await sleep(intervalMs);
  }
}
