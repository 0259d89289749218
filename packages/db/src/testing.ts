import pg from "pg";
import { ownedName } from "@userstream/test-support";
import { testServerUrl } from "./env";
import { pgConfigFromUrl, quoteIdent, withDatabase } from "./pg-config";
import { runPrismaCli } from "./prisma-cli";
import { applyDatabaseRoles } from "./roles";

/** A throw-away database with every committed migration applied. */
export interface TestDatabase {
  /** postgresql:// URL of the new database. */
  url: string;
  /** Drops the database, closing any connections still open to it. */
  drop(): Promise<void>;
}

/**
 * Names the migrated template database of this test run (set by `test-global-setup.ts`); when it
 * is set, test databases are copied from it instead of migrated one by one.
 */
export const TEMPLATE_DATABASE_VARIABLE = "USERSTREAM_TEST_TEMPLATE_DATABASE";

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates a uniquely named database on the server of TEST_DATABASE_URL (default: the local
 * PostgreSQL) with every committed migration applied: a copy of this run's migrated template when
 * there is one (Vitest's global setup makes it), else through `prisma migrate deploy`.
 *
 * @example
 * const db = await createTestDatabase();
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix = "userstream_test"): Promise<TestDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix)) {
    throw new Error(`Test database prefix must be lower-case letters, digits and _ (max 31): ${prefix}`);
  }
  const template = testTemplateDatabase()?.name;
  const database = await createEmptyDatabase(prefix, template);
  if (template) return database;

  const migrate = await runPrismaCli(["migrate", "deploy"], database.url);
  if (migrate.code !== 0) {
    await database.drop();
    throw new Error(`prisma migrate deploy failed (exit ${migrate.code}):\n${migrate.stdout}${migrate.stderr}`);
  }
  return database;
}

/** This run's migrated template database on the test server (its name and URL), if there is one. */
export function testTemplateDatabase(): { name: string; url: string } | undefined {
  const name = process.env[TEMPLATE_DATABASE_VARIABLE];
  if (!name) return undefined;
  if (!DATABASE_NAME.test(name)) throw new Error(`${TEMPLATE_DATABASE_VARIABLE} is not a database name: ${name}`);
  return { name, url: withDatabase(testServerUrl(), name) };
}

async function createEmptyDatabase(prefix: string, template?: string): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  // The creating process is in the name: a sweep drops it once that process is gone (a killed run).
  const name = ownedName(prefix);
  const copy = template ? ` TEMPLATE ${quoteIdent(template)}` : "";
  await queryRows(serverUrl, `CREATE DATABASE ${quoteIdent(name)}${copy}`);
  return { url: withDatabase(serverUrl, name), drop: () => dropTestDatabase(name) };
}

/** Drops a database of the test server by name, closing any connections still open to it. */
export async function dropTestDatabase(name: string): Promise<void> {
  await queryRows(testServerUrl(), `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/** Runs `sql` on the database at `url` over a connection of its own; resolves with the rows. */
export async function queryRows(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A throw-away database set up with `sql/roles.sql` and migrated as its migration role. */
export interface TestDatabaseWithRoles {
  /** postgresql:// URL of the database as the test server's superuser (who ran `sql/roles.sql`). */
  adminUrl: string;
  /** The two roles' names. */
  roles: { migrator: string; app: string };
  /** postgresql:// URL of the database as the migration role (owns the schema). */
  migratorUrl: string;
  /** postgresql:// URL of the database as the services' role (rows only). */
  appUrl: string;
  /** Drops the database, then both roles (roles belong to the whole server). */
  drop(): Promise<void>;
}

/** The same URL, logging in as another user (trust authentication on the test server: no password). */
function asUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = "";
  return parsed.toString();
}

/**
 * Creates a database and the two roles of `sql/roles.sql` under unique names (the documented
 * script, run as written but for the names), then applies the committed migrations as the
 * migration role, as production would.
 */
export async function createTestDatabaseWithRoles(prefix = "userstream_test_roles"): Promise<TestDatabaseWithRoles> {
  const migrator = ownedName("userstream_test_migrator");
  const app = ownedName("userstream_test_app");

  // Empty, not copied from the template: the migrator must create (and own) everything itself.
  const database = await createEmptyDatabase(prefix);
  const drop = async () => {
    await database.drop();
    await queryRows(testServerUrl(), `DROP ROLE IF EXISTS ${quoteIdent(app)}, ${quoteIdent(migrator)}`);
  };
  try {
    await applyDatabaseRoles(database.url, { migrator: { name: migrator }, app: { name: app } });
    const migratorUrl = asUser(database.url, migrator);
    const migrate = await runPrismaCli(["migrate", "deploy"], migratorUrl);
    if (migrate.code !== 0)
      throw new Error(`prisma migrate deploy failed (exit ${migrate.code}):\n${migrate.stdout}${migrate.stderr}`);
    return { adminUrl: database.url, roles: { migrator, app }, migratorUrl, appUrl: asUser(database.url, app), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}
