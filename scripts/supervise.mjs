// Runs every process of UserStream, restarts one that crashes (with backoff), and stops them all
// on SIGTERM/SIGINT. `npm start` runs the production build; `--dev` runs the hot-reload commands.
// `--only <name,...>` runs a subset (the workers' `pnpm dev` uses it). Each process can also be
// started alone: see README.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dev = process.argv.includes("--dev");
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1]?.split(",") : undefined;
const mailCatcher = (process.env.MAIL_CATCHER ?? "on") !== "off";
// The reporter writes and the web serves the same folder: resolve it once, from the repository root.
process.env.REPORTS_DIR = path.resolve(root, process.env.REPORTS_DIR ?? "reports");

// The reporter streams a lot of short-lived buffers: a small young generation keeps its peak
// memory flat however large the report (docs/benchmarks.md).
const nodeFlags = { reporter: ["--max-semi-space-size=2"] };
const worker = (role) => ({
  name: role,
  cwd: `${root}apps/workers`,
  args: dev
    ? ["node_modules/tsx/dist/cli.mjs", "watch", `src/${role}/main.ts`]
    : [...(nodeFlags[role] ?? []), "--import", "tsx", `src/${role}/main.ts`],
});
const processes = [
  { name: "web", cwd: `${root}apps/web`, args: ["node_modules/next/dist/bin/next", "start", "--port", "3000"] },
  worker("receiver"),
  worker("sender"),
  worker("reporter"),
  // A local mail catcher, so the welcome emails can be read at http://localhost:1080 with no
  // account anywhere. Off (MAIL_CATCHER=off) when SMTP_URL points at a real server.
  ...(mailCatcher
    ? [{ name: "mail-catcher", cwd: root, args: ["node_modules/maildev/bin/maildev", "--smtp", "1025", "--web", "1080", "--ip", "127.0.0.1", "--web-ip", "127.0.0.1"] }]
    : []),
].filter((spec) => !only || only.includes(spec.name));

let stopping = false;
const running = new Map();

function start(spec, restarts = 0) {
  const child = spawn(process.execPath, spec.args, { cwd: spec.cwd, stdio: "inherit", env: process.env });
  const startedAt = Date.now();
  running.set(spec.name, child);
  child.on("exit", (code, signal) => {
    running.delete(spec.name);
    if (stopping) return;
    // A process that ran for a minute counts as healthy again: its backoff starts over.
    const attempt = Date.now() - startedAt > 60_000 ? 0 : restarts + 1;
    const delay = Math.min(30_000, 500 * 2 ** attempt);
    console.error(JSON.stringify({ service: "supervisor", msg: "process exited; restarting", name: spec.name, code, signal, delay }));
    setTimeout(() => start(spec, attempt), delay);
  });
}

function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of running.values()) child.kill(signal);
  const force = setTimeout(() => process.exit(1), 15_000);
  const wait = setInterval(() => {
    if (running.size === 0) {
      clearInterval(wait);
      clearTimeout(force);
      process.exit(0);
    }
  }, 100);
}

process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
for (const spec of processes) start(spec);
