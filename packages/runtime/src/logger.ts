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
  const pretty = pinoPretty({
    sync: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
    messageFormat: "{service}: {msg}",
  });
  return pino(options, pretty);
}

export type { PinoLogger };

/** The logging surface a library needs (the messaging layer); pino satisfies it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/**
 * Logs that a server is listening and the port it bound (the one it got when told port 0): at
 * every LOG_LEVEL but `silent`, since supervisors and tests read where it listens from this line.
 */
export function logListening(
  logger: PinoLogger,
  server: { address(): unknown },
  fields: Record<string, unknown>,
  message: string,
) {
  const address = server.address();
  const port = typeof address === "object" && address ? (address as { port: number }).port : undefined;
  const startLogger = logger.isLevelEnabled("info") || logger.level === "silent" ? logger : logger.child({}, { level: "info" });
  startLogger.info({ port, ...fields }, message);
}
