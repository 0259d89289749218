import type { TRPCError } from "@trpc/server";

/**
 * Logs failures the caller cannot fix (5xx) as one JSON line with the cause; client errors (4xx)
 * are expected traffic and not logged.
 */
export function logProcedureError(surface: "trpc" | "rest", path: string | undefined, error: TRPCError): void {
  if (!["INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "BAD_GATEWAY", "GATEWAY_TIMEOUT"].includes(error.code)) return;
  const cause = error.cause;
  console.error(
    JSON.stringify({
      level: "error",
      msg: "procedure failed",
      surface,
      path,
      code: error.code,
      err: cause instanceof Error ? describe(cause) : { message: error.message },
    }),
  );
}

/** Name and message of an error and of its causes (a PublishError wraps the broker's error). */
function describe(error: Error, depth = 0): Record<string, unknown> {
  const cause = error.cause instanceof Error && depth < 3 ? describe(error.cause, depth + 1) : undefined;
  return { name: error.name, message: error.message, ...(cause ? { cause } : {}) };
}
