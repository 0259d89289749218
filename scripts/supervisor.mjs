// The supervisor's core, apart from UserStream's list of processes (scripts/supervise.mjs), so it
// can be tested with any processes.
import { spawn } from "node:child_process";

/**
 * Runs each process; one that exits is started again after a backoff that doubles on each quick
 * crash (baseDelayMs, 2×, 4×, … up to maxDelayMs) and starts over once it has run for healthyAfterMs.
 * SIGTERM/SIGINT stop every process with that signal and exit 0 once all have exited (1 if some
 * still run after stopTimeoutMs).
 *
 * @param {{ name: string, args: string[], cwd: string, env?: Record<string, string> }[]} specs
 *   `args` are given to this Node binary (`process.execPath`); `env` is added to this process's.
 */
export function supervise(specs, { baseDelayMs = 500, maxDelayMs = 30_000, healthyAfterMs = 60_000, stopTimeoutMs = 15_000 } = {}) {
  let stopping = false;
  const running = new Map();
  const log = (fields) => console.error(JSON.stringify({ service: "supervisor", ...fields }));

  function start(spec, restarts = 0) {
    const child = spawn(process.execPath, spec.args, { cwd: spec.cwd, stdio: "inherit", env: { ...process.env, ...spec.env } });
    const startedAt = Date.now();
    running.set(spec.name, child);
    log({ msg: "process started", name: spec.name, pid: child.pid });
    child.on("exit", (code, signal) => {
      running.delete(spec.name);
      if (stopping) return;
      const attempt = Date.now() - startedAt > healthyAfterMs ? 0 : restarts + 1;
      const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      log({ msg: "process exited; restarting", name: spec.name, code, signal, delay });
      setTimeout(() => {
        if (!stopping) start(spec, attempt);
      }, delay);
    });
  }

  function stop(signal) {
    if (stopping) return;
    stopping = true;
    log({ msg: "stopping", signal, processes: [...running.keys()] });
    for (const child of running.values()) child.kill(signal);
    const force = setTimeout(() => {
      log({ msg: "processes still running after the stop timeout", processes: [...running.keys()] });
      process.exit(1);
    }, stopTimeoutMs);
    const wait = setInterval(() => {
      if (running.size > 0) return;
      clearInterval(wait);
      clearTimeout(force);
      process.exit(0);
    }, 100);
  }

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  for (const spec of specs) start(spec);
}
