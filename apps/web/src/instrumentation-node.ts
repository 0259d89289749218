import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { EXIT_CONFIG, loadEnvFiles } from "@userstream/contracts/load-env-files";
import { strictTransportSecurity } from "./lib/security-headers";
import { CLIENT_ADDRESS_HEADER } from "./server/client-address";

/**
 * Stamps each request with the address of the connection it came on, before Next.js sees it
 * (Node publishes `http.server.request.start` just before the server's `request` event). It
 * overwrites any header of that name a client sent, so rate limits key on an address the client
 * cannot choose. (Next.js itself only fills X-Forwarded-For when the client did not send one.)
 */
export function stampClientAddresses(): void {
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[CLIENT_ADDRESS_HEADER] = socket.remoteAddress ?? "unknown";
  });
}

/**
 * Puts Strict-Transport-Security on every answer (pages, API, static files) when APP_URL is https.
 * Here and not in next.config.ts, whose headers are fixed when the app is built, while APP_URL is
 * read when it starts; Next.js keeps headers set on the response before it handles the request.
 */
export function sendStrictTransportSecurity(appUrl: string): void {
  const value = strictTransportSecurity(appUrl);
  if (!value) return;
  subscribe("http.server.request.start", (message) => {
    (message as { response: ServerResponse }).response.setHeader("strict-transport-security", value);
  });
}

/**
 * Fills the environment from `.env` and `.env.example` (the environment wins), then imports the
 * env module, which validates it. A missing or malformed variable stops the process at once with
 * the list of what is wrong and EXIT_CONFIG, which tells a supervisor not to restart it.
 */
export async function loadEnvOrExit() {
  loadEnvFiles();
  return import("./env").then(
    (module) => module.env,
    (error: unknown) => {
      // eslint-disable-next-line no-console -- no logger before the environment is valid (LOG_LEVEL, LOG_FORMAT may be what is wrong); the list of bad variables is for a person
      console.error(error instanceof Error ? error.message : error);
      return process.exit(EXIT_CONFIG);
    },
  );
}

/**
 * Validates the environment when the Next server starts: Next alone would log the failure and
 * keep a server up that fails every request, which a supervisor would not notice.
 */
export async function validateEnvironmentOrExit() {
  const env = await loadEnvOrExit();
  try {
    const { closeOnSignals } = await import("./server/shutdown");
    closeOnSignals(env.SHUTDOWN_TIMEOUT_MS, undefined, env.NEXT_MANUAL_SIG_HANDLE);
  } catch (error) {
    // eslint-disable-next-line no-console -- no logger before the environment is valid (LOG_LEVEL, LOG_FORMAT may be what is wrong); the list of bad variables is for a person
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  return env;
}
