import { EXIT_CONFIG, loadEnvFiles } from "@userstream/contracts/load-env-files";
import { ConfigurationError } from "./env";

/**
 * Runs a process's start function, after filling the environment from `.env` and `.env.example`
 * (the environment wins). A failure to start is printed as one readable line and the process
 * exits non-zero: EXIT_CONFIG (78) for a bad variable, which no restart can fix, else 1 (an
 * unreachable port).
 */
export function runMain(start: () => Promise<{ listen(): void }>) {
  loadEnvFiles();
  start().then(
    (shutdown) => shutdown.listen(),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(err instanceof ConfigurationError ? EXIT_CONFIG : 1);
    },
  );
}
