import { TRPCError } from "@trpc/server";
import { RateLimitedError } from "../rate-limiter";
import { SendAgainRefusedError } from "../send-again/send-again-limits";
import { SendAgainImpossibleError } from "../send-again/send-again-service";

/**
 * A send-again refusal as the caller sees it, or undefined for any other error: over a limit,
 * TOO_MANY_REQUESTS (429) with Retry-After until the time the message names; impossible (confirmed,
 * undeliverable, not sent once yet), CONFLICT (409) with the reason.
 */
export function sendAgainRefusal(error: unknown): TRPCError | undefined {
  if (error instanceof SendAgainRefusedError) {
    const cause = new RateLimitedError(Math.max(0, error.retryAt.getTime() - Date.now()));
    return new TRPCError({ code: "TOO_MANY_REQUESTS", message: error.message, cause });
  }
  if (error instanceof SendAgainImpossibleError) return new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
  return undefined;
}
