import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { onFreePort } from "@userstream/test-support";

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
export interface StartedServer {
  name: string;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export function startServer(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}): StartedServer {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${options.name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name: options.name,
    process: child,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
      }, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200; fails early when the server process has exited. */
export async function waitUntilReady(server: StartedServer, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null || server.process.signalCode !== null) {
      throw new Error(`${server.name} exited (${server.process.exitCode ?? server.process.signalCode}); see ${server.logFile}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${server.name} not ready at ${url} after ${timeoutMs} ms (${last}); see ${server.logFile}`);
}

/**
 * `waitUntilReady` for a server that must be told its port: on failure the error is the server's
 * log, which says whether the port was taken (for `onFreePort` to try another).
 */
export async function waitUntilListening(server: StartedServer, url: string): Promise<void> {
  try {
    await waitUntilReady(server, url);
  } catch (error) {
    throw new Error(readFileSync(server.logFile, "utf8"), { cause: error });
  }
}

/**
 * One more standalone web server like the run's (the same database, broker and secrets, from
 * E2E_WEB_ENV), with `overrides`, on a free port; resolves once it answers its health check.
 * The caller stops it.
 */
export function startAnotherWeb(name: string, overrides: Record<string, string>): Promise<{ server: StartedServer; url: string }> {
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
