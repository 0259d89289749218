import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { exitOnStartFailure, loadEnvFiles } from "@userstream/runtime";
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
 * Validates the environment when the Next server starts (the files filled in first, as in every
 * process), then registers the ordered shutdown: Next alone would log a bad variable and keep a
 * server up that fails every request, which a supervisor would not notice. A bad variable exits
 * with EXIT_CONFIG, which tells a supervisor not to restart it.
 */
export async function validateEnvironmentOrExit() {
  loadEnvFiles();
  try {
    const { env } = await import("./env");
    const { closeOnSignals } = await import("./server/shutdown");
    closeOnSignals(env.SHUTDOWN_TIMEOUT_MS, undefined, env.NEXT_MANUAL_SIG_HANDLE);
    return env;
  } catch (error) {
    return exitOnStartFailure(error);
  }
}
