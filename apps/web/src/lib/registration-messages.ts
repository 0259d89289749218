/**
 * Shown when the broker surely does not have the registration (it could not be reached, refused it,
 * or blocks publishing and so nothing was sent): the server's answer and the form's fallback.
 */
export const REGISTRATION_UNAVAILABLE_MESSAGE = "We could not accept your registration right now. Please try again.";

/**
 * Shown when the registration was sent but not confirmed (the broker did not answer in time, or the
 * connection was lost after sending), and when the server's answer never came: it may still be
 * stored. Trying again is safe because one address is one user with one welcome email.
 */
export const REGISTRATION_UNCONFIRMED_MESSAGE =
  "We could not confirm your registration yet. It may still go through in a few minutes. Trying again is safe: " +
  "one email address never gets a second account or a second welcome email.";

/** The parts of a tRPC client error the form reads. */
export interface RegistrationFailure {
  message: string;
  data?: { code?: string } | null;
}

/** What the registration form says when a submit was not answered "accepted" (and was not a field error). */
export function registrationFailureMessage(error: RegistrationFailure): string {
  // No answer from the server (the network failed, or something in between answered): the request
  // may have reached it and been accepted.
  if (!error.data) return REGISTRATION_UNCONFIRMED_MESSAGE;
  // The server's own words for what it knows: refused, not confirmed, or too many attempts.
  if (error.data.code === "SERVICE_UNAVAILABLE" || error.data.code === "TOO_MANY_REQUESTS") return error.message;
  return REGISTRATION_UNAVAILABLE_MESSAGE;
}
