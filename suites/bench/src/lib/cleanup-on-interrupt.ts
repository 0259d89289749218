/**
 * Returns `cleanup` made idempotent, and runs it on SIGINT (Ctrl-C) or SIGTERM too, then exits
 * (130 or 143, as a shell reports a process ended by that signal): a benchmark stopped half-way
 * through seeding ten million users drops its database and vhost instead of leaving them behind.
 * Call the returned function in the benchmark's `finally` as well.
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
      once()
        .catch((error: unknown) => console.error("cleanup failed:", error))
        .finally(() => process.exit(code));
    });
  }
  return once;
}
