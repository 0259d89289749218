import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "./env";
import { quoteIdent, withDatabase } from "./pg-config";
import { DB_PACKAGE_DIR, runPrismaCli } from "./prisma-cli";
import { EMPTY_MIGRATION, UNREADABLE_INDEXES, withoutUnreadableIndexes } from "./schema-diff";
import { createTestDatabase, queryRows, type TestDatabase } from "./testing";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("userstream_test_migrations");
});
afterAll(() => db?.drop());

describe("committed migrations", () => {
  it("create the whole schema on an empty database", async () => {
    const tables = await queryRows(db.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.map((row) => (row as { tablename: string }).tablename)).toEqual([
      "_prisma_migrations",
      "admin_sessions",
      "api_keys",
      "email_actions",
      "email_send_requests",
      "notification_events",
      "notification_logs",
      "rate_limit_windows",
      "registrations",
      "report_logs",
      "sign_in_throttles",
      "suppression_removals",
      "suppressions",
      "users",
      "webhook_attempts",
      "webhook_deliveries",
      "webhook_endpoints",
    ]);
    expect(await queryRows(db.url, "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).toHaveLength(1);
    // The rate limits' counts are worth nothing after a crash: no WAL for them (the migration says why).
    expect(await queryRows(db.url, "SELECT relpersistence FROM pg_class WHERE relname = 'rate_limit_windows'")).toEqual([
      { relpersistence: "u" },
    ]);
  });

  it("are a no-op when deployed again", async () => {
    const again = await runPrismaCli(["migrate", "deploy"], db.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No pending migrations to apply");
    const status = await runPrismaCli(["migrate", "status"], db.url);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("Database schema is up to date");
  });

  // The drift check: fails whenever the schema (prisma/schema/) and prisma/migrations disagree, e.g. a field was
  // added to the schema without `prisma migrate dev`. The shadow database comes from prisma.config.ts.
  // The engine drops and re-creates the indexes it cannot read back on every diff (schema-diff.ts):
  // that pair is left out, and the migrations are checked to create each of them as declared.
  it("match the Prisma schema exactly", async () => {
    const diff = await runPrismaCli(
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema", "--script"],
      db.url,
    );
    // On drift, stdout is the SQL a new migration would need; stderr says why the CLI failed, if it did.
    expect({ code: diff.code, sql: withoutUnreadableIndexes(diff.stdout) }, diff.stderr).toEqual({
      code: 0,
      sql: EMPTY_MIGRATION,
    });
    const names = UNREADABLE_INDEXES.map((name) => `'${name}'`).join(", ");
    const indexes = await queryRows(db.url, `SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (${names})`);
    expect(indexes).toEqual([
      {
        indexname: "users_email_prefix_idx",
        indexdef: "CREATE INDEX users_email_prefix_idx ON public.users USING btree (email text_pattern_ops)",
      },
    ]);
  });
});

describe("pnpm db:migrate", () => {
  const name = `userstream_test_dbmigrate_${randomUUID().replaceAll("-", "")}`;
  const url = withDatabase(testServerUrl(), name);
  afterAll(() => queryRows(testServerUrl(), `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));

  const dbMigrate = (env: Record<string, string> = { DATABASE_URL: url }) =>
    promisify(execFile)("pnpm", ["run", "--silent", "db:migrate"], {
      cwd: DB_PACKAGE_DIR,
      env: { ...process.env, ...env },
    });

  it("creates a missing database, migrates it, and is idempotent", async () => {
    const first = await dbMigrate();
    expect(first.stdout).toContain(`Created database ${name}`);
    expect(first.stdout).toContain("All migrations have been successfully applied");

    // Everything applied, unchanged: said without running the CLI (its engine holds the process 10 s).
    const second = await dbMigrate();
    expect(second.stdout).not.toContain("Created database");
    expect(second.stdout).toContain(`Database ${name} is up to date`);
  });

  it("hands a pending migration to the CLI, which applies it", async () => {
    // The last migration only replaces a function, so it can be made pending again and re-applied.
    const last = "20261129001500_csv_safe_first_comparison";
    await queryRows(url, `DELETE FROM _prisma_migrations WHERE migration_name = '${last}'`);
    const run = await dbMigrate();
    expect(run.stdout).toContain(last);
    expect(run.stdout).toContain("All migrations have been successfully applied");
    expect(
      await queryRows(url, `SELECT 1 FROM _prisma_migrations WHERE migration_name = '${last}' AND finished_at IS NOT NULL`),
    ).toHaveLength(1);
  });

  it("migrates through DIRECT_DATABASE_URL, never through DATABASE_URL (the services' pooler, here not even there)", async () => {
    const last = "20261129001500_csv_safe_first_comparison";
    await queryRows(url, `DELETE FROM _prisma_migrations WHERE migration_name = '${last}'`);
    const pooler = new URL(url);
    pooler.port = "1"; // nothing listens there: a DATABASE_URL the migration must not need
    const run = await dbMigrate({ DATABASE_URL: pooler.toString(), DIRECT_DATABASE_URL: url });
    expect(run.stdout).toContain(last);
    expect(run.stdout).toContain("All migrations have been successfully applied");
  });
});
