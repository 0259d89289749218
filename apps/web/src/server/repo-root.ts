import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The monorepo's root: the nearest folder at or above `from` holding `pnpm-workspace.yaml`, or
 * `from` itself outside the repository (a deployed image), where relative paths then mean the
 * working directory.
 */
export function findRepoRoot(from: string = process.cwd()): string {
  // turbopackIgnore: a run-time lookup; without it the build would trace the whole project into its output.
  const start = path.resolve(/*turbopackIgnore: true*/ from);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/**
 * Resolves a configured folder: absolute as given, relative from the repository root. The web
 * runs in apps/web and the reporter in apps/workers, so "./reports" must mean one folder for both.
 */
export function resolveFromRepoRoot(dir: string, from?: string): string {
  return path.isAbsolute(dir) ? path.normalize(dir) : path.resolve(/*turbopackIgnore: true*/ findRepoRoot(from), dir);
}
