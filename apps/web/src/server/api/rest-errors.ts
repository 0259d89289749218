import type { PublishOutcome } from "@userstream/messaging";

/**
 * The REST surface's error bodies. trpc-to-openapi answers errors with the tRPC error shape
 * (`{ message, code, data, issues }`); the public contract is smaller and stable:
 *
 * - 400 → `{ "errors": { field: message } }` (the same field errors the form shows)
 * - any other error → `{ "message", "code" }`; when the broker did not confirm a publish (503) also
 *   `"outcome"`: `refused` (nothing was accepted) or `unknown` (sent, not confirmed: it may still arrive)
 */
export type RestErrorBody = { errors: Record<string, string> } | { message: string; code: string; outcome?: PublishOutcome };

interface TrpcErrorLike {
  message?: unknown;
  code?: unknown;
  data?: { fieldErrors?: unknown; outcome?: unknown } | null;
}

const OUTCOMES: readonly unknown[] = ["refused", "unknown"] satisfies PublishOutcome[];

const FALLBACK_MESSAGE = "Something went wrong. Please try again.";

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).length > 0 &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

export function toRestErrorBody(status: number, body: unknown): RestErrorBody {
  const error = (typeof body === "object" && body !== null ? body : {}) as TrpcErrorLike;
  const message = typeof error.message === "string" && error.message ? error.message : FALLBACK_MESSAGE;
  if (status === 400) {
    const fields = error.data?.fieldErrors;
    // A 400 without field errors (e.g. a body that is not JSON) still gets the `{ errors }` shape.
    return { errors: isStringRecord(fields) ? fields : { form: message } };
  }
  const code = typeof error.code === "string" ? error.code : "INTERNAL_SERVER_ERROR";
  const outcome = error.data?.outcome;
  return OUTCOMES.includes(outcome) ? { message, code, outcome: outcome as PublishOutcome } : { message, code };
}

/** Procedures whose REST success status is not 200. */
export const REST_SUCCESS_STATUS: Readonly<Record<string, number>> = {
  // Accepted, not created: the user is stored asynchronously by the receiver.
  "registration.submit": 202,
};
