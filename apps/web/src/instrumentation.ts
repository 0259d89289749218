/**
 * Runs once when the server starts. Importing the env module validates the environment, so a
 * missing or malformed variable stops `next start` at once instead of failing the first request.
 */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- Next's own runtime marker, not configuration.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./env");
  }
}
