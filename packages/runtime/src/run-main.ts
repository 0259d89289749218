import { isConfigurationError } from "./env";
import { EXIT_CONFIG, loadEnvFiles } from "./load-env-files.mjs";

/**
 * Ends a process whose start failed: one readable line, and EXIT_CONFIG (78) for a bad variable,
 * which no restart can fix, else 1 (an unreachable port). No logger: LOG_LEVEL or LOG_FORMAT may
 * be what is wrong, and the message is for a person.
 */
export function exitOnStartFailure(err: unknown): never {
  console.error(err instanceof Error ? err.message : err);
  return process.exit(isConfigurationError(err) ? EXIT_CONFIG : 1);
}

/**
 * Runs a process's start function, after filling the environment from `.env` and `.env.example`
 * (the environment wins), then listens for the signals that stop it in order. A failure to start
 * ends the process (`exitOnStartFailure`).
 */
export function runMain(start: () => Promise<{ listen(): void }>): void {
  loadEnvFiles();
  start().then((shutdown) => shutdown.listen(), exitOnStartFailure);
}
