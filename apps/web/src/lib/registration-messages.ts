/** Shown when the broker did not confirm a registration: the server's answer and the form's fallback. */
export const REGISTRATION_UNAVAILABLE_MESSAGE = "We could not accept your registration right now. Please try again.";
