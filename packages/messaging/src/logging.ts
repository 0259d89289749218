import pino, { type Logger as PinoLogger } from "pino";
import pinoPretty from "pino-pretty";

/**
 * How a process writes its log lines: `json` (one object a line, for machines), `pretty` (coloured
 * text for a person) or `auto`: pretty when stdout is a terminal outside production, JSON otherwise.
 */
export const LOG_FORMATS = ["auto", "pretty", "json"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** The variables every process's logger is built from, as each process's validated env names them. */
export interface LogSettings {
  LOG_LEVEL: string;
  LOG_FORMAT: LogFormat;
  NODE_ENV: string;
}

/** Whether lines are written as text for a person rather than JSON. */
export function isPrettyLogs(format: LogFormat, stdoutIsTerminal: boolean, nodeEnv: string): boolean {
  if (format !== "auto") return format === "pretty";
  return stdoutIsTerminal && nodeEnv !== "production";
}

/**
 * Every process's pino logger: one line per event with an ISO `time` and its `service`, so the
 * lines of all processes can be merged and followed by one registration id.
 */
export function createLogger(service: string, settings: LogSettings): PinoLogger {
  const options = { level: settings.LOG_LEVEL, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  if (!isPrettyLogs(settings.LOG_FORMAT, process.stdout.isTTY === true, settings.NODE_ENV)) return pino(options);
  // A stream in this thread, written synchronously: pino's worker-thread transports cannot be
  // found once Next.js has bundled the server, and a line written just before an exit is kept.
  const pretty = pinoPretty({ sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service", messageFormat: "{service}: {msg}" });
  return pino(options, pretty);
}

export type { PinoLogger };
