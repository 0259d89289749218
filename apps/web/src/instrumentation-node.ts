/**
 * Importing the env module validates the environment. A missing or malformed variable stops
 * `next start` at once with the list of what is wrong: Next alone would log the failure and keep
 * a server up that fails every request, which a supervisor would not notice.
 */
export async function validateEnvironmentOrExit(): Promise<void> {
  try {
    await import("./env");
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
