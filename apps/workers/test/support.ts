import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { reportedPort } from "@userstream/test-support";

export const workersDir = fileURLToPath(new URL("..", import.meta.url));

/** Polls until `probe` returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T>, timeoutMs = 15_000): Promise<Exclude<T, false | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Exclude<T, false | null | undefined>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The value of one sample in a Prometheus text exposition (name and labels exactly as exposed,
 * e.g. `sender_emails_total{result="failed",provider="smtp"}`). A sample that is not there is an
 * error, not a 0: the workers export every label value from the start, so a missing one means a
 * wrong name, and a check against it would pass without measuring anything.
 */
export function metricSample(text: string, sample: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  if (!line) throw new Error(`metric sample ${sample} not found in /metrics`);
  const value = Number(line.slice(sample.length + 1));
  if (Number.isNaN(value)) throw new Error(`metric sample ${sample} is not a number: ${line}`);
  return value;
}

/** One sample of a worker's /metrics (see `metricSample`). */
export async function metricValue(port: number, sample: string): Promise<number> {
  return metricSample(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), sample);
}

/** The port a server started in this process bound (workers are started on port 0 in tests). */
export function boundPort(server: { address(): unknown }): number {
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the server is not listening");
  return (address as { port: number }).port;
}

/** A worker run as a real child process, as in production, so tests can SIGTERM or kill -9 it. */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The port of its health server, bound to port 0 and read from its start line. */
  port: Promise<number>;
}

const PORT_VARIABLE = { receiver: "RECEIVER_PORT", sender: "SENDER_PORT", reporter: "REPORTER_PORT" } as const;

export function spawnWorker(role: "receiver" | "sender" | "reporter", env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", `src/${role}/main.ts`], {
    cwd: workersDir,
    env: { ...process.env, LOG_LEVEL: "info", [PORT_VARIABLE[role]]: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = reportedPort(child.stdout as Readable);
  // A worker killed before it started never reports one; only a test that awaits the port cares.
  port.catch(() => undefined);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal }) as { code: number | null; signal: NodeJS.Signals | null });
  return { child, output: () => output, exited, port };
}

/** Fetches a worker's /readyz. */
export async function readiness(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

/** A TCP server on a port of its own that drops every connection at once: a mail server that is down. */
export async function refusingServer(): Promise<{ port: number; close(): Promise<void> }> {
  const { createServer } = await import("node:net");
  const server = createServer((socket) => socket.destroy());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: boundPort(server), close: () => new Promise((resolve) => server.close(() => resolve())) };
}
