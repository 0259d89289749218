import "server-only";
import { createLogger, type PinoLogger } from "@userstream/runtime";
import { env } from "~/env";

const globalForLogger = globalThis as unknown as { userstreamLogger?: PinoLogger; userstreamAuditLogger?: PinoLogger };
let service = "web";

/**
 * Names the process in every line (`service`): "web" for the Next.js server, "api" for the REST
 * API on its own. Call before the first line is logged.
 */
export function setLogService(name: string): void {
  service = name;
}

/**
 * The process's one logger (cached on globalThis: Next.js may load this module more than once).
 * Lines about a registration carry its `registrationId`, so one grep follows it across services.
 */
export function getLogger(): PinoLogger {
  globalForLogger.userstreamLogger ??= createLogger(service, env);
  return globalForLogger.userstreamLogger;
}

/** The audit trail of changes made by admins and API keys: the process's lines, tagged `log: "audit"`. */
export function getAuditLogger(): PinoLogger {
  globalForLogger.userstreamAuditLogger ??= getLogger().child({ log: "audit" });
  return globalForLogger.userstreamAuditLogger;
}
