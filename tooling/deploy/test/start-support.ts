import { readFileSync } from "node:fs";
import { freePorts, repoRoot, startProcess, waitFor as waitUntil, type StartedProcess } from "@userstream/test-support";

/** The repository root, with a trailing slash. */
export const root = `${repoRoot}/`;

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

/**
 * A root script run by a test; `exited` resolves with its exit code. After a failed test, `stop()`
 * sends SIGTERM, so the supervisor stops what it runs (a SIGKILL would leave them running).
 */
export type StartedScript = Omit<StartedProcess, "exited"> & { exited: Promise<number | null> };

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
  const started = startProcess(command, args, { cwd: root, env: { ...inherited, ...env } });
  return { ...started, exited: started.exited.then((exit) => exit.code) };
}

/** `waitFor` of @userstream/test-support; on a timeout the error says what for and shows the run's output. */
export function waitFor<T>(what: string, probe: () => Promise<T>, timeoutMs: number, output: () => string) {
  return waitUntil(probe, { what, timeoutMs, output });
}

/** The emails the mail catcher (maildev) holds, from its HTTP API. */
export async function caughtEmails(
  mailPort: string,
): Promise<{ subject: string; from: { address: string; name: string }[]; to: { address: string }[] }[]> {
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
