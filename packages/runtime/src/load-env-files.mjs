// Plain JavaScript (with load-env-files.d.mts beside it) so that the root scripts, which Node runs
// without a TypeScript loader, share this one loader with every app.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

/**
 * The exit status of a process that refuses its configuration (sysexits.h EX_CONFIG): the
 * supervisor stops everything on it instead of restarting, since a restart cannot fix it.
 */
export const EXIT_CONFIG = 78;
/** Set to `off` to read no file at all (a test that wants a variable missing, a deployment). */
export const ENV_FILES_VARIABLE = "USERSTREAM_ENV_FILES";
/** The folder holding `.env` and `.env.example`; default: the repository root. */
export const ENV_DIR_VARIABLE = "USERSTREAM_ENV_DIR";

/**
 * Fills the environment from `.env`, then `.env.example`, found in USERSTREAM_ENV_DIR or at the
 * repository root (the nearest folder at or above the working directory holding
 * `pnpm-workspace.yaml`; none outside a checkout). A variable already set wins over `.env`, which
 * wins over `.env.example`. An empty value counts as unset at every level, as the processes' own
 * validation does, and `NAME` is not filled when `NAME_FILE` is set (a secret read from a file).
 * Returns the files read.
 *
 * @param {Record<string, string | undefined>} env
 */
// eslint-disable-next-line no-restricted-properties -- the loader that fills what env.ts then validates.
export function loadEnvFiles(env = process.env) {
  if (env[ENV_FILES_VARIABLE] === "off") return [];
  // turbopackIgnore: run-time paths; without it the web's build would trace the whole project.
  const dir = env[ENV_DIR_VARIABLE] ? path.resolve(/*turbopackIgnore: true*/ env[ENV_DIR_VARIABLE]) : findRepoRoot(process.cwd());
  if (!dir) return [];
  const read = [];
  for (const name of [".env", ".env.example"]) {
    const file = path.join(/*turbopackIgnore: true*/ dir, name);
    if (!existsSync(file)) continue;
    for (const [key, value] of Object.entries(parseEnv(readFileSync(file, "utf8")))) {
      if (value !== "" && !env[key] && !env[`${key}_FILE`]) env[key] = value;
    }
    read.push(file);
  }
  return read;
}

/**
 * The repository root: the nearest folder at or above `from` holding `pnpm-workspace.yaml`;
 * undefined outside a checkout (a deployed image).
 *
 * @param {string} from
 */
export function findRepoRoot(from) {
  for (let dir = path.resolve(/*turbopackIgnore: true*/ from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(/*turbopackIgnore: true*/ dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
