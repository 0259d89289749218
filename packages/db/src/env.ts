import { readFileVariables } from "@userstream/runtime/env-files";

/**
 * The only place in this package that reads configuration from the environment. Apps validate their
 * own environment; these defaults exist for the CLI, scripts and tests run on a developer machine.
 * The CLI's entries (prisma.config.ts, scripts/migrate.ts) first fill the environment from
 * `.env` and `.env.example` (`@userstream/runtime/load-env-files`); tests read theirs as given.
 */

/** The local development database, used when DATABASE_URL is unset. */
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/userstream";

/** The server on which test databases are created, used when TEST_DATABASE_URL is unset. */
export const DEFAULT_TEST_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

/** DATABASE_URL (or the file DATABASE_URL_FILE names: Docker secrets), or the local default. */
export function databaseUrl(source: NodeJS.ProcessEnv = process.env): string {
  return readFileVariables(source, ["DATABASE_URL"]).DATABASE_URL || source.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/**
 * The URL migrations run on: DIRECT_DATABASE_URL (or DIRECT_DATABASE_URL_FILE), a connection
 * straight to PostgreSQL, when the services' DATABASE_URL goes through a transaction pooler such
 * as PgBouncer (the Prisma CLI holds a session advisory lock for the whole run, which a pooler
 * would hand to other clients' transactions); DATABASE_URL when it is unset.
 */
export function directDatabaseUrl(source: NodeJS.ProcessEnv = process.env): string {
  return (
    readFileVariables(source, ["DIRECT_DATABASE_URL"]).DIRECT_DATABASE_URL || source.DIRECT_DATABASE_URL || databaseUrl(source)
  );
}

/**
 * The URLs `pnpm db:migrate` needs to set up the roles of `sql/roles.sql` itself (the compose
 * files' `migrate` service): DATABASE_ADMIN_URL, a superuser that creates the database and the
 * roles and sets their passwords, and DATABASE_APP_URL, the URL the services connect with (its
 * user is the app role, its password the one to set). Both name the database of the migration URL
 * ({@link directDatabaseUrl}), whose user owns the schema. Each may come from `NAME_FILE`. Undefined
 * when DATABASE_ADMIN_URL is unset: the database's owner then migrates as DATABASE_URL, no roles.
 */
export function roleSetupUrls(source: NodeJS.ProcessEnv = process.env): { adminUrl: string; appUrl: string } | undefined {
  const names = ["DATABASE_ADMIN_URL", "DATABASE_APP_URL"];
  const values = { ...source, ...readFileVariables(source, names) };
  const adminUrl = values.DATABASE_ADMIN_URL;
  if (!adminUrl) return undefined;
  const appUrl = values.DATABASE_APP_URL;
  if (!appUrl)
    throw new Error(
      "DATABASE_APP_URL is required with DATABASE_ADMIN_URL: the services' URL, whose user and password the app role gets",
    );
  const database = databaseName(directDatabaseUrl(source));
  for (const [name, url] of [
    ["DATABASE_ADMIN_URL", adminUrl],
    ["DATABASE_APP_URL", appUrl],
  ] as const) {
    if (databaseName(url) !== database)
      throw new Error(
        `${name} names database ${databaseName(url) || "(none)"}, DATABASE_URL ${database}: they must name the same one`,
      );
  }
  return { adminUrl, appUrl };
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** TEST_DATABASE_URL (any database on the test server), or the local default. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_SERVER_URL;
}
