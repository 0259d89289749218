// The supervisor's core, apart from UserStream's list of processes (scripts/supervise.mjs), so it
// can be tested with any processes.
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { createInterface } from "node:readline";
import { constants } from "node:os";
import { EXIT_CONFIG } from "../packages/runtime/src/load-env-files.mjs";

const COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];

/**
 * Runs each process with its output prefixed by its name (`[receiver] ...`, coloured on a
 * terminal), and:
 * - a process that exits with EXIT_CONFIG (78: it refused its configuration), or exits before it
 *   ever answered its `health` URL, stops everything: its message is on screen, and the supervisor
 *   exits non-zero (78, or 1);
 * - one that exits after a good start is started again after a backoff that doubles on each quick
 *   crash (baseDelayMs, 2×, 4×, … up to maxDelayMs) and starts over once it has run healthyAfterMs;
 * - one with `watch` folders is restarted when a file in them changes (development);
 * - once every process answers its `health` URL, `onReady` is called once (the banner);
 * - SIGTERM/SIGINT/SIGHUP stop the processes one at a time, last started first, each with that
 *   signal; one still running after stopTimeoutMs is killed. Exit 0 when every process stopped
 *   cleanly (status 0, or 128 + the signal, which is how Next.js reports a signal stop), else 1.
 *
 * Processes run in their own process group, so a terminal's Ctrl-C reaches only the supervisor,
 * which then stops them in order.
 *
 * @param {{ name: string, args: string[], cwd: string, env?: Record<string, string>, health?: string, watch?: string[] }[]} specs
 *   `args` are given to this Node binary (`process.execPath`); `env` is added to this process's.
 */
export function supervise(
  specs,
  { baseDelayMs = 500, maxDelayMs = 30_000, healthyAfterMs = 60_000, stopTimeoutMs = 15_000, onReady = () => {} } = {},
) {
  const colour = process.stdout.isTTY && !process.env.NO_COLOR;
  const width = Math.max(...specs.map((spec) => spec.name.length), "supervisor".length);
  const prefix = (name, index) => {
    const label = `[${name}]`.padEnd(width + 2);
    return colour ? `\x1b[${COLOURS[index % COLOURS.length]}m${label}\x1b[0m` : label;
  };
  const say = (message) => process.stderr.write(`${prefix("supervisor", COLOURS.length - 1)} ${message}\n`);

  /** Per process: its child, restart timer, whether it was ever ready, and a restart asked by a file change. */
  const states = specs.map((spec, index) => ({
    spec,
    index,
    child: null,
    timer: null,
    everReady: !spec.health,
    attempt: 0,
    changed: false,
  }));
  let stopping = false;
  let announced = false;

  function start(state) {
    const { spec } = state;
    state.timer = null;
    const child = spawn(process.execPath, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    state.child = child;
    const startedAt = Date.now();
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream }).on("line", (line) => out.write(`${prefix(spec.name, state.index)} ${line}\n`));
    }
    say(`${spec.name} started (pid ${child.pid})`);
    if (spec.health && !state.everReady) void waitUntilHealthy(state, child);
    child.on("exit", (code, signal) => {
      state.child = null;
      state.exit = { code, signal };
      if (stopping) return;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (state.changed) {
        state.changed = false;
        start(state);
      } else if (code === EXIT_CONFIG) {
        fail(
          EXIT_CONFIG,
          `${spec.name} stopped on its configuration (exit ${EXIT_CONFIG}, see its message above); stopping everything`,
        );
      } else if (!state.everReady) {
        fail(1, `${spec.name} exited (${how}) before it was ever ready; stopping everything`);
      } else {
        state.attempt = Date.now() - startedAt > healthyAfterMs ? 0 : state.attempt + 1;
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** (state.attempt - 1));
        say(`${spec.name} exited (${how}); restarting in ${delay} ms`);
        state.timer = setTimeout(() => start(state), delay);
      }
    });
  }

  async function waitUntilHealthy(state, child) {
    while (state.child === child && !stopping) {
      const ok = await fetch(state.spec.health, { signal: AbortSignal.timeout(5000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok && state.child === child) {
        state.everReady = true;
        if (!announced && states.every((other) => other.everReady)) {
          announced = true;
          onReady();
        }
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  function watchForChanges(state) {
    let debounce = null;
    const restart = () => {
      if (stopping) return;
      say(`${state.spec.name}: files changed; restarting`);
      if (state.child) {
        state.changed = true;
        state.child.kill("SIGTERM");
      } else {
        clearTimeout(state.timer);
        start(state);
      }
    };
    for (const dir of state.spec.watch ?? []) {
      watch(dir, { recursive: true }, (_event, file) => {
        if (!file || /(^|\/)(generated|node_modules)\/|\.test\.ts$/.test(file)) return;
        clearTimeout(debounce);
        debounce = setTimeout(restart, 200);
      }).unref();
    }
  }

  async function stop(signal, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    for (const state of states) clearTimeout(state.timer);
    let clean = true;
    for (const state of [...states].reverse()) {
      const child = state.child;
      if (!child) continue;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      const force = setTimeout(() => {
        say(`${state.spec.name} still runs ${stopTimeoutMs} ms after ${signal}; killing it`);
        child.kill("SIGKILL");
      }, stopTimeoutMs);
      await exited;
      clearTimeout(force);
      const { code, signal: by } = state.exit;
      const ok = code === 0 || code === 128 + constants.signals[signal] || by === signal;
      clean &&= ok;
      say(`${state.spec.name} stopped (${by ? `signal ${by}` : `exit ${code}`}${ok ? "" : ", not cleanly"})`);
    }
    if (exitCode === 0 && clean) say("every process stopped cleanly");
    process.exit(exitCode !== 0 ? exitCode : clean ? 0 : 1);
  }

  function fail(exitCode, message) {
    say(message);
    void stop("SIGTERM", exitCode);
  }

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) {
    process.on(signal, () => {
      say(
        `${signal}: stopping ${states
          .filter((state) => state.child)
          .map((state) => state.spec.name)
          .join(", ")}`,
      );
      void stop(signal);
    });
  }
  // Should the supervisor itself die, its process groups must not outlive it.
  process.on("exit", () => {
    for (const state of states) state.child?.kill("SIGKILL");
  });
  for (const state of states) {
    start(state);
    watchForChanges(state);
  }
}
