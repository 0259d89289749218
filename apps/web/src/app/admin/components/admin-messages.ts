/** What an admin page says when a call is refused because the session has ended (expired, signed out elsewhere). */
export const SESSION_ENDED_MESSAGE = "Your admin session has ended. Sign in again.";
