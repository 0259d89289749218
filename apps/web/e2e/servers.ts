import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/web. */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Where the servers' logs go. */
export const LOG_DIR = join(WEB_DIR, ".test-output");
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
  logDir: string;
}): StartedServer {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${options.name}.log`);
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
