import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { onFreePort, startProcess, waitUntilServing, type StartedProcess } from "@userstream/test-support";

/** apps/web. */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the servers' logs go. */
const LOG_DIR = join(WEB_DIR, ".test-output");
/** The standalone server `next build` writes (`output: "standalone"`): what `npm start` and the image run. */
export const STANDALONE_SERVER = join(WEB_DIR, ".next", "standalone", "apps", "web", "server.js");

/**
 * A server process started for the e2e run, in its own process group so that stopping it also
 * stops what it started (pnpm → node), with its output in `.test-output/<name>.log`.
 */
export interface StartedServer extends StartedProcess {
  name: string;
  logFile: string;
}

export function startServer(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}): StartedServer {
  const logFile = join(LOG_DIR, `${options.name}.log`);
  // The whole output is in the log file; the end of it, in memory, for the errors.
  const { cwd, env } = options;
  const started = startProcess(options.command, options.args, {
    cwd,
    env,
    logFile,
    group: true,
    killAfterMs: 10_000,
    keepOutput: 20_000,
  });
  return { ...started, name: options.name, logFile };
}

/** Polls `url` until it answers 200; fails early when the server process has exited. */
export async function waitUntilReady(server: StartedServer, url: string, timeoutMs = 90_000): Promise<void> {
  await waitUntilServing(server, url, { what: server.name, timeoutMs, intervalMs: 500 }).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; see ${server.logFile}`);
  });
}

/**
 * `waitUntilReady` for a server that must be told its port: on failure the error is the server's
 * output, which says whether the port was taken (for `onFreePort` to try another).
 */
export async function waitUntilListening(server: StartedServer, url: string): Promise<void> {
  try {
    await waitUntilReady(server, url);
  } catch (error) {
    throw new Error(server.output(), { cause: error });
  }
}

/**
 * One more standalone web server like the run's (the same database, broker and secrets, from
 * E2E_WEB_ENV), with `overrides`, on a free port; resolves once it answers its health check.
 * The caller stops it.
 */
export function startAnotherWeb(
  name: string,
  overrides: Record<string, string>,
): Promise<{ server: StartedServer; url: string }> {
  if (!process.env.E2E_WEB_ENV) throw new Error("E2E_WEB_ENV is not set: run the e2e tests through playwright.config.ts");
  const runEnv = JSON.parse(process.env.E2E_WEB_ENV) as Record<string, string>;
  return onFreePort(async (port) => {
    const env = { ...process.env, ...runEnv, ...overrides, PORT: String(port) };
    const server = startServer({ name, command: process.execPath, args: [STANDALONE_SERVER], cwd: WEB_DIR, env });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilListening(server, `${url}/api/health`);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return { server, url };
  });
}
