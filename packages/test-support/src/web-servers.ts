import path from "node:path";
import { ensureWebBuild } from "./builds";
import { inheritedEnv } from "./env";
import { webDir } from "./paths";
import { onFreePort } from "./ports";
import { startProcess, waitUntilServing, type StartedProcess } from "./processes";

// The web's servers as separate processes, as production runs them, for the benchmarks and for
// tests of the whole path (API server → broker → worker).

/** Development values of the variables production requires (see .env.example). */
const PRODUCTION_ENV = {
  NODE_ENV: "production",
  // The published development secrets below are accepted in production only in the local trial (loopback).
  USERSTREAM_LOCAL_TRIAL: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  CONFIRMATION_TOKEN_SECRET: "development-confirmation-secret-change-me-0123456789",
  ADMIN_EMAIL: "admin@userstream.local",
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:oecV45wDENBTOz90FWduJQ:Rl4zCRo1l29CFDh_xvE6ZGcoVzUlgHygbh9MmfTLe14",
  SESSION_SECRET: "development-session-secret-change-me-0123456789",
  // A benchmark is one client sending thousands of registrations a second: no per-client limit.
  REGISTRATION_RATE_LIMIT: "off",
  // Nor on the pages of the users list it times.
  USERS_LIST_RATE_LIMIT: "off",
} as const;

/**
 * Spawns a server of apps/web and waits until its `/api/health` answers 200. Its port goes into
 * APP_URL too, so it is picked here, and another is tried when it was taken meanwhile.
 */
function startWebProcess(what: string, command: string, args: (port: number) => string[], env: Record<string, string>) {
  return onFreePort((port) => startWebProcessOn(port, what, command, args, env));
}

async function startWebProcessOn(
  port: number,
  what: string,
  command: string,
  args: (port: number) => string[],
  env: Record<string, string>,
) {
  const url = `http://127.0.0.1:${port}`;
  const server = startProcess(command, args(port), {
    cwd: webDir,
    env: {
      ...inheritedEnv(),
      ...PRODUCTION_ENV,
      APP_URL: url,
      PORT: String(port),
      API_PORT: String(port),
      API_HOST: "127.0.0.1",
      ...env,
    },
    // A benchmark's server runs long: its output matters only when it fails.
    keepOutput: 20_000,
  });
  try {
    await waitUntilServing(server, `${url}/api/health`, { what });
  } catch (err) {
    await server.stop();
    // The server's own words (e.g. EADDRINUSE) tell onFreePort whether another port may help.
    throw new Error(`${(err as Error).message}\n${server.output()}`);
  }
  return { ...server, url };
}

/** Where the server finds its database and broker, and any other setting of its environment. */
type ServiceEnv = { DATABASE_URL: string; AMQP_URL: string } & Record<string, string>;

/** A server of apps/web started by `startWeb` or `startApi`, and where it answers. */
export type WebServer = StartedProcess & { url: string };

/** The production build served by `next start` against the given database and broker. */
export async function startWeb(env: ServiceEnv): Promise<WebServer> {
  await ensureWebBuild();
  const next = path.join(webDir, "node_modules", ".bin", "next");
  return startWebProcess("the web app", next, (port) => ["start", "--hostname", "127.0.0.1", "--port", String(port)], env);
}

/** The REST API on its own (`start:api`: the same route handlers without Next.js). */
export function startApi(env: ServiceEnv): Promise<WebServer> {
  const args = () => ["--conditions=react-server", "--import", "tsx", "src/api-main.ts"];
  return startWebProcess("the REST API", process.execPath, args, env);
}
