import { readFileVariables } from "@userstream/contracts/env-files";

/**
 * The only place in this package that reads configuration from the environment. Apps validate their
 * own environment; these defaults exist for the CLI, scripts and tests run on a developer machine.
 * The CLI's entries (prisma.config.ts, scripts/migrate.ts) first fill the environment from
 * `.env` and `.env.example` (`@userstream/contracts/load-env-files`); tests read theirs as given.
 */

/** The local development database, used when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/userstream";

/** The server on which test databases are created, used when TEST_DATABASE_URL is unset. */
export const DEFAULT_TEST_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/** DATABASE_URL (or the file DATABASE_URL_FILE names: Docker secrets), or the local default. */
export function databaseUrl(source: NodeJS.ProcessEnv = process.env): string {
  return readFileVariables(source, ["DATABASE_URL"]).DATABASE_URL || source.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** TEST_DATABASE_URL (any database on the test server), or the local default. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_SERVER_URL;
}
