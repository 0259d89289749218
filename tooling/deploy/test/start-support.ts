import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { waitFor as waitUntil } from "../../../apps/workers/test/support";

export const root = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * `count` distinct ports free now, below Linux's ephemeral range (32768 and up), so an outgoing
 * connection's local port cannot take one between this check and the process that binds it.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (ports.includes(port)) continue;
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (free) {
      ports.push(port);
      server.close();
    }
  }
  return ports;
}

/** Every port the processes listen on, as the variables that set them. */
export async function portVariables() {
  const [web, api, receiver, sender, reporter, smtp, mail] = await freePorts(7);
  return {
    PORT: String(web),
    API_PORT: String(api),
    API_HOST: "127.0.0.1",
    RECEIVER_PORT: String(receiver),
    SENDER_PORT: String(sender),
    REPORTER_PORT: String(reporter),
    MAIL_CATCHER_SMTP_PORT: String(smtp),
    MAIL_CATCHER_WEB_PORT: String(mail),
    SMTP_URL: `smtp://127.0.0.1:${smtp}`,
    APP_URL: `http://localhost:${web}`,
  };
}

/**
 * The variables of the test runner's own environment that a run must not inherit: the
 * configuration (so the files are what the run reads) and Vitest's NODE_ENV=test (which would
 * also miss the build cache, whose key includes NODE_ENV).
 */
const CONFIGURATION = readFileSync(`${root}.env.example`, "utf8")
  .split("\n")
  .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
  .filter((name): name is string => Boolean(name))
  .concat("NODE_ENV");

export interface StartedScript {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** After a failed test: SIGTERM, so the supervisor stops what it runs (a SIGKILL would leave them running). */
  stop(): Promise<unknown>;
}

/**
 * Runs a root package.json script (`start`, `dev`) as `npm run` would, through the shell, with
 * only `env` for configuration: whatever .env.example names is dropped from this process's own
 * environment first, so .env and .env.example are what the run reads for the rest.
 */
export function runRootScript(name: "start" | "dev", env: Record<string, string>): StartedScript {
  const scripts = (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { scripts: Record<string, string> }).scripts;
  // bash -c runs a lone command in its own place, so the script's `exec node supervise.mjs` ends
  // as this child: its exit status is the supervisor's.
  return run("bash", ["-c", scripts[name] ?? ""], env);
}

/** scripts/supervise.mjs alone, as the start script ends (no install, checks, migrations or build). */
export function runSupervisor(args: string[], env: Record<string, string>): StartedScript {
  return run(process.execPath, ["scripts/supervise.mjs", ...args], env);
}

function run(command: string, args: string[], env: Record<string, string>): StartedScript {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !CONFIGURATION.includes(key)));
  const child = spawn(command, args, { cwd: root, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };
  return { child, output: () => output, exited, stop };
}

/** Waits as apps/workers/test/support.ts `waitFor` does; on a timeout the error says what for and shows the run's output. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, timeoutMs: number, output: () => string) {
  return waitUntil(probe, timeoutMs).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}: ${what}; output so far:\n${output()}`);
  });
}

/** The emails the mail catcher (maildev) holds, from its HTTP API. */
export async function caughtEmails(mailPort: string): Promise<{ subject: string; from: { address: string; name: string }[]; to: { address: string }[] }[]> {
  const response = await fetch(`http://127.0.0.1:${mailPort}/email`);
  return (await response.json()) as never;
}

/**
 * Registers `email` through `POST /api/v1/registrations` on `apiUrl`, expects 202, and waits for its
 * welcome email in the mail catcher; returns the email.
 */
export async function registerAndAwaitWelcome(apiUrl: string, mailPort: string, email: string, output: () => string) {
  const accepted = await fetch(`${apiUrl}/api/v1/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ firstName: "Ada", lastName: "Lovelace", email }),
  });
  if (accepted.status !== 202) throw new Error(`registration answered ${accepted.status}: ${await accepted.text()}`);
  return waitFor(
    "the welcome email in the mail catcher",
    async () => (await caughtEmails(mailPort)).find((message) => message.to[0]?.address === email),
    30_000,
    output,
  );
}
