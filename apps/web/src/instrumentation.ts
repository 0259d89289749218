/** Runs once when the server starts; the Node.js part lives in its own module (Edge has no `process.exit`). */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- Next's own runtime marker, not configuration.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { sendStrictTransportSecurity, stampClientAddresses, validateEnvironmentOrExit } =
      await import("./instrumentation-node");
    const { observeRequestDurations } = await import("./server/request-metrics");
    stampClientAddresses();
    observeRequestDurations();
    const env = await validateEnvironmentOrExit();
    sendStrictTransportSecurity(env.APP_URL);
  }
}
