// The workers image's HEALTHCHECK. One image runs any role, each on its own port: whichever port
// answers is this container's worker, and its /readyz decides (exit 0 ready, 1 otherwise).
/* eslint-disable no-restricted-properties -- a standalone script of the image, given the ports in its environment */
const ports = [process.env.RECEIVER_PORT ?? "8081", process.env.SENDER_PORT ?? "8082", process.env.REPORTER_PORT ?? "8084"];
for (const port of ports) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4_000) });
    process.exit(response.ok ? 0 : 1);
  } catch {
    // Nothing listens on this port: another role's.
  }
}
process.exit(1);
