import type { TRPCError } from "@trpc/server";
import type { Logger } from "@userstream/runtime";
import { countRegistrationError } from "../metrics";

const SERVER_FAULTS = ["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "BAD_GATEWAY", "GATEWAY_TIMEOUT"];

/**
 * What both surfaces (tRPC and REST) do with a procedure's error: a refused registration is
 * counted by the status it answers (400, 429, 503); a failure the caller cannot fix (5xx) is
 * logged with its cause, through the request context's logger (absent when no context was made).
 * Other client errors (4xx) are expected traffic and not logged.
 */
export function recordProcedureError(
  logger: Pick<Logger, "error"> | undefined,
  surface: "trpc" | "rest",
  path: string | undefined,
  error: TRPCError,
): void {
  countRegistrationError(path, error.code);
  if (!SERVER_FAULTS.includes(error.code)) return;
  const cause = error.cause;
  // Under `error`, not pino's `err`, whose serializer would restate this plain object as an Error.
  const described = cause instanceof Error ? describe(cause) : { message: error.message };
  logger?.error({ surface, path, code: error.code, error: described }, "procedure failed");
}

/** Name and message of an error and of its causes (a PublishError wraps the broker's error). */
function describe(error: Error, depth = 0): Record<string, unknown> {
  const cause = error.cause instanceof Error && depth < 3 ? describe(error.cause, depth + 1) : undefined;
  return { name: error.name, message: error.message, ...(cause ? { cause } : {}) };
}
