import "server-only";
import pino, { type Logger } from "pino";
import { env } from "~/env";

const globalForLogger = globalThis as unknown as { userstreamLogger?: Logger };

/**
 * The web's JSON logger (pino), as the workers': one line per event, tagged `service: "web"`.
 * Lines about a registration carry its `registrationId`, so one grep follows it across services.
 */
export function getLogger(): Logger {
  globalForLogger.userstreamLogger ??= pino({ level: env.LOG_LEVEL, base: { service: "web" }, timestamp: pino.stdTimeFunctions.isoTime });
  return globalForLogger.userstreamLogger;
}
