/**
 * Runs a process's start function; a failure to start (bad environment, unreachable port) is
 * printed as one readable line and the process exits non-zero.
 */
export function runMain(start: () => Promise<{ listen(): void }>) {
  start().then(
    (shutdown) => shutdown.listen(),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
