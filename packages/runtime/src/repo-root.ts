import path from "node:path";
import { findRepoRoot } from "./load-env-files.mjs";

/**
 * Resolves a configured folder: absolute as given, relative from the repository root (or from
 * `from` outside a checkout, a deployed image). The web runs in apps/web and the reporter in
 * apps/workers, so "./reports" must mean one folder for both.
 */
export function resolveFromRepoRoot(dir: string, from: string = process.cwd()): string {
  if (path.isAbsolute(dir)) return path.normalize(dir);
  // turbopackIgnore: a run-time lookup; without it the web's build would trace the whole project into its output.
  return path.resolve(/*turbopackIgnore: true*/ findRepoRoot(from) ?? from, dir);
}
