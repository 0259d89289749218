import type { PinoLogger } from "@userstream/messaging/logging";

/**
 * Logs that the process has started and the port it bound (the one it got when told port 0): at
 * every LOG_LEVEL but `silent`, since supervisors and tests read where it listens from this line.
 */
export function logStarted(logger: PinoLogger, server: { address(): unknown }, fields: Record<string, unknown>, message: string) {
  const address = server.address();
  const port = typeof address === "object" && address ? (address as { port: number }).port : undefined;
  const startLogger = logger.isLevelEnabled("info") || logger.level === "silent" ? logger : logger.child({}, { level: "info" });
  startLogger.info({ port, ...fields }, message);
}
