import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { inheritedEnv } from "./env";
import { repoRoot, webDir, workersDir } from "./paths";

// What production runs is built (the web by next build, the workers and the API server as bundles);
// a suite that starts it builds it first when a source changed since.

/**
 * The newest modification time of the files under `dir`, skipping dependencies, builds and what the
 * checks write beside the sources (tsc's incremental `.cache`, Turborepo's `.turbo` logs): a
 * typecheck after the build must not make the build look stale.
 */
function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", ".next", "dist", "generated", ".cache", ".turbo"].includes(entry.name)) continue;
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/** The packages an app's build takes in (all but this one, which only tests use). */
const runtimePackages = () =>
  readdirSync(path.join(repoRoot, "packages"))
    .filter((name) => name !== "test-support")
    .map((name) => path.join(repoRoot, "packages", name));

/** Runs `pnpm --filter <filter> <script>` unless every output is newer than every file of `sources` and the packages. */
async function ensureBuilt(filter: string, script: string, outputs: string[], sources: string[]) {
  const newestSource = Math.max(...[...sources, ...runtimePackages()].map(newestChange));
  if (outputs.every((output) => existsSync(output) && statSync(output).mtimeMs > newestSource)) return;
  console.log(`building ${filter} (${script})…`);
  const build = spawn("pnpm", ["--filter", filter, script], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...inheritedEnv(), NEXT_TELEMETRY_DISABLED: "1" },
  });
  const [code] = await once(build, "exit");
  if (code !== 0) throw new Error(`pnpm --filter ${filter} ${script} failed (exit ${code})`);
}

/** The web app's production build (`next build`, the standalone server, the API server's bundle). */
export function ensureWebBuild(): Promise<void> {
  return ensureBuilt(
    "@userstream/web",
    "build",
    [path.join(webDir, ".next", "BUILD_ID"), path.join(webDir, "dist", "api.mjs")],
    [path.join(webDir, "src")],
  );
}

/** The workers' bundles (`apps/workers/dist/<role>.mjs`), which their `start:<role>` scripts run with plain node. */
export function ensureWorkerBundles(): Promise<void> {
  const entries = ["receiver", "sender", "reporter", "replay-dead-letters"];
  return ensureBuilt(
    "@userstream/workers",
    "build",
    entries.map((entry) => path.join(workersDir, "dist", `${entry}.mjs`)),
    [path.join(workersDir, "src")],
  );
}

/** The API server's bundle (`apps/web/dist/api.mjs`, which `start:api` runs), without building the rest of the web. */
export function ensureApiBundle(): Promise<void> {
  return ensureBuilt("@userstream/web", "build:api", [path.join(webDir, "dist", "api.mjs")], [path.join(webDir, "src")]);
}
