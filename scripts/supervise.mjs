// Runs the production build of every process, restarts one that crashes (with backoff), and
// stops them all on SIGTERM/SIGINT. Each process can also be started alone (see README).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const processes = [
  { name: "web", cwd: `${root}apps/web`, args: ["node_modules/next/dist/bin/next", "start", "--port", "3000"] },
  { name: "receiver", cwd: `${root}apps/workers`, args: ["--import", "tsx", "src/receiver/main.ts"] },
];

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
