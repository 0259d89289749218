import pino from "pino";

/** JSON logs, one line each, tagged with the process role so lines from all services can be merged. */
export function createLogger(service: string, level: string) {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
export type Logger = ReturnType<typeof createLogger>;
