import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** packages/db, where prisma.config.ts and the migrations live, whoever imports this file. */
export const DB_PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

// Resolved from this file, not from the caller's cwd, so tests of any package find this package's CLI.
/** The Prisma CLI of this package, run with this Node binary. */
export const PRISMA_CLI = createRequire(import.meta.url).resolve("prisma/build/index.js");

/** What a Prisma CLI run printed and how it exited. */
export interface PrismaCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the Prisma CLI in packages/db against `databaseUrl`; resolves with the exit code, never rejects. */
export function runPrismaCli(args: string[], databaseUrl: string): Promise<PrismaCliResult> {
  // The child inherits the environment (PATH, HOME, …) with only the target database replaced
  // (DIRECT_DATABASE_URL too: the CLI prefers it, prisma.config.ts).
  // eslint-disable-next-line no-restricted-properties -- passed through to a child process, not configuration
  const env = { ...process.env, DATABASE_URL: databaseUrl, DIRECT_DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [PRISMA_CLI, ...args],
      { cwd: DB_PACKAGE_DIR, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
