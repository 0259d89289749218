/**
 * `pnpm db:migrate`: creates the database named in DIRECT_DATABASE_URL (else DATABASE_URL) if it does not exist yet (safe to
 * run repeatedly and concurrently), then applies the committed migrations with `prisma migrate
 * deploy`, unless every committed migration is already applied, unchanged: then it says so and
 * skips the CLI, whose WASM schema engine holds the process for a 10 s timer after every run (12 s
 * of every `npm start` and `pnpm dev` for nothing). Anything else (a pending, changed, failed or
 * unknown migration) goes to the CLI, which applies or reports it.
 *
 * With DATABASE_ADMIN_URL (a superuser) and DATABASE_APP_URL (the services' URL) it first sets up
 * least privilege, as the compose files' `migrate` service runs it: the database is created as the
 * superuser, `sql/roles.sql` is applied with the migration URL's user as the schema's owner and
 * DATABASE_APP_URL's user as the row-only app role, each given the password of its URL; then the
 * migrations run as that URL's user, the owner. Run again with a new password in DATABASE_APP_URL, it
 * rotates the app role's password.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadEnvFiles } from "@userstream/runtime/load-env-files";
import pg from "pg";
import { directDatabaseUrl, roleSetupUrls } from "../src/env";
import { pgConfigFromUrl, quoteIdent } from "../src/pg-config";
import { DB_PACKAGE_DIR, PRISMA_CLI } from "../src/prisma-cli";
import { applyDatabaseRoles, roleFromUrl } from "../src/roles";

const DUPLICATE_DATABASE = "42P04";
const MIGRATIONS_DIR = join(DB_PACKAGE_DIR, "prisma/migrations");

loadEnvFiles();
// Straight to PostgreSQL, never through a transaction pooler (DIRECT_DATABASE_URL, else DATABASE_URL).
const migrationUrl = directDatabaseUrl();
const config = pgConfigFromUrl(migrationUrl);
const database = config.database;
if (!database) throw new Error("DATABASE_URL names no database");
const roleSetup = roleSetupUrls();

/** Creates the database as `connection`'s user (the superuser of DATABASE_ADMIN_URL, else DATABASE_URL's). */
async function ensureDatabase(connection: pg.ClientConfig): Promise<void> {
  // Connect to the server's maintenance database: the target may not exist yet.
  const client = new pg.Client({ ...connection, database: "postgres" });
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (existing.rowCount !== 0) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database as string)}`);
      console.log(`Created database ${database}`);
    } catch (error) {
      // Another process created it between the check and the CREATE: that is what we wanted.
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  } finally {
    await client.end();
  }
}

/** Migration name → checksum (sha256 of its migration.sql, as Prisma records it), for every committed migration. */
function committedMigrations(): Map<string, string> {
  const names = readdirSync(MIGRATIONS_DIR).filter((name) => existsSync(join(MIGRATIONS_DIR, name, "migration.sql")));
  return new Map(
    names.map((name) => [
      name,
      createHash("sha256")
        .update(readFileSync(join(MIGRATIONS_DIR, name, "migration.sql")))
        .digest("hex"),
    ]),
  );
}

/** True when the database has applied exactly the committed migrations, each unchanged, and none failed. */
async function upToDate(committed: Map<string, string>): Promise<boolean> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const table = await client.query<{ exists: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists");
    if (!table.rows[0]?.exists) return false;
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished: boolean }>(
      "SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL",
    );
    if (rows.length !== committed.size) return false;
    return rows.every((row) => row.finished && committed.get(row.migration_name) === row.checksum);
  } finally {
    await client.end();
  }
}

if (roleSetup) {
  await ensureDatabase(pgConfigFromUrl(roleSetup.adminUrl));
  const roles = {
    migrator: roleFromUrl(migrationUrl, "DIRECT_DATABASE_URL (or DATABASE_URL)"),
    app: roleFromUrl(roleSetup.appUrl, "DATABASE_APP_URL"),
  };
  await applyDatabaseRoles(roleSetup.adminUrl, roles);
  console.log(`Roles ${roles.migrator.name} (owner) and ${roles.app.name} (rows only) set up in database ${database}.`);
} else {
  await ensureDatabase(config);
}
const committed = committedMigrations();
if (await upToDate(committed)) {
  console.log(`Database ${database} is up to date (${committed.size} migrations applied).`);
} else {
  // prisma.config.ts reads the same DIRECT_DATABASE_URL, else DATABASE_URL.
  execFileSync(process.execPath, [PRISMA_CLI, "migrate", "deploy"], { cwd: DB_PACKAGE_DIR, stdio: "inherit" });
}
