import { readFileSync } from "node:fs";

/**
 * Secrets from files, the Docker-secrets way: for each of `names`, `NAME_FILE=/run/secrets/x`
 * stands for `NAME` set to that file's content (one trailing newline removed; an empty file leaves
 * `NAME` unset, as an empty variable counts as unset everywhere). Setting both is an
 * error, and so is a file that cannot be read; each message names the variable. Returns only the
 * values read from files, for the caller to lay over its environment.
 */
export function readFileVariables(source: Record<string, string | undefined>, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const path = source[`${name}_FILE`];
    if (!path) continue;
    if (source[name]) throw new Error(`${name} and ${name}_FILE are both set: set only one`);
    let value: string;
    try {
      value = readFileSync(path, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(`${name}_FILE: cannot read ${path} (${reason})`);
    }
    // An empty file counts as unset, as an empty variable does (e.g. /dev/null for a secret not used).
    if (value !== "") values[name] = value;
  }
  return values;
}
