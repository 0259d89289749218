import { ownedName } from "@userstream/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testServerUrl } from "./env";
import { quoteIdent } from "./pg-config";
import { runPrismaCli } from "./prisma-cli";
import { applyDatabaseRoles } from "./roles";
import { createTestDatabase, createTestDatabaseWithRoles, queryRows, type TestDatabaseWithRoles } from "./testing";

/** The error PostgreSQL answers `sql` with, or "" when it succeeds. */
async function refusal(url: string, sql: string): Promise<string> {
  try {
    await queryRows(url, sql);
    return "";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe("sql/roles.sql: a migration role and a least-privilege app role", () => {
  let database: TestDatabaseWithRoles;
  beforeAll(async () => {
    database = await createTestDatabaseWithRoles();
  });
  afterAll(() => database?.drop());

  it("lets the migration role apply every migration, owning what it created", async () => {
    const owners = (await queryRows(
      database.migratorUrl,
      "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
    )) as { tableowner: string }[];
    expect(owners).toEqual([{ tableowner: new URL(database.migratorUrl).username }]);
    expect(
      await queryRows(database.migratorUrl, "SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NULL"),
    ).toEqual([{ n: 0 }]);
  });

  it("lets the app role read and write rows, use the enums, the csv_safe function, the updated_at trigger and advisory locks", async () => {
    const url = database.appUrl;
    await queryRows(
      url,
      "INSERT INTO users (registration_id, first_name, last_name, email, updated_at) VALUES (gen_random_uuid(), 'Ada', 'Lovelace', 'ada@example.com', '2000-01-01')",
    );
    // The set_updated_at trigger runs for the app role's updates too.
    expect(
      await queryRows(
        url,
        "UPDATE users SET first_name = 'Augusta' WHERE email = 'ada@example.com' RETURNING updated_at = now()::timestamptz(3) AS moved",
      ),
    ).toEqual([{ moved: true }]);
    await queryRows(url, "INSERT INTO notification_logs (user_id, kind, status) SELECT id, 'welcome', 'queued' FROM users");
    expect(await queryRows(url, "SELECT csv_safe('=1+1') AS cell")).toEqual([{ cell: "'=1+1" }]);
    expect(await queryRows(url, "SELECT pg_try_advisory_lock(42) AS locked")).toEqual([{ locked: true }]);
    await queryRows(url, "DELETE FROM notification_logs");
    await queryRows(url, "DELETE FROM users");
  });

  it("refuses the app role any change to the schema", async () => {
    await expectRowsOnly(database.appUrl);
  });

  it("can be applied again, changing nothing but the passwords it is given", async () => {
    const passwords = async () =>
      (await queryRows(
        database.adminUrl,
        `SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN ('${database.roles.migrator}', '${database.roles.app}') ORDER BY rolname`,
      )) as { rolname: string; rolpassword: string | null }[];
    const before = await queryRows(
      database.adminUrl,
      "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    const roles = {
      migrator: { name: database.roles.migrator },
      app: { name: database.roles.app, password: "first app password" },
    };
    await applyDatabaseRoles(database.adminUrl, roles);
    const first = await passwords();
    // The password is stored hashed, never as given.
    expect(first.find((role) => role.rolname === database.roles.app)?.rolpassword).toMatch(/^SCRAM-SHA-256\$/);
    expect(first.find((role) => role.rolname === database.roles.migrator)?.rolpassword).toBeNull();

    await applyDatabaseRoles(database.adminUrl, { ...roles, app: { ...roles.app, password: "rotated app password" } });
    const rotated = await passwords();
    expect(rotated.find((role) => role.rolname === database.roles.app)?.rolpassword).not.toBe(
      first.find((role) => role.rolname === database.roles.app)?.rolpassword,
    );
    expect(
      await queryRows(database.adminUrl, "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"),
    ).toEqual(before);
    await expectRowsOnly(database.appUrl);
  });
});

describe("sql/roles.sql on a database migrated before the roles existed (by a superuser)", () => {
  const migrator = ownedName("userstream_test_migrator");
  const app = ownedName("userstream_test_app");
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase("userstream_test_adopt");
  });
  afterAll(async () => {
    await database?.drop();
    await queryRows(testServerUrl(), `DROP ROLE IF EXISTS ${quoteIdent(app)}, ${quoteIdent(migrator)}`);
  });

  it("hands the tables, types and functions to the migrator, and their rows to the app role", async () => {
    await queryRows(
      database.url,
      "INSERT INTO users (registration_id, first_name, last_name, email, updated_at) VALUES (gen_random_uuid(), 'Ada', 'Lovelace', 'ada@example.com', now())",
    );
    await applyDatabaseRoles(database.url, { migrator: { name: migrator }, app: { name: app } });

    const owners = await queryRows(
      database.url,
      `SELECT 'table' AS kind, tableowner AS owner FROM pg_tables WHERE schemaname = 'public'
       UNION SELECT 'type', typowner::regrole::text FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype = 'e'
       UNION SELECT 'function', proowner::regrole::text FROM pg_proc WHERE proname = 'csv_safe'`,
    );
    expect(owners).toEqual(
      expect.arrayContaining([
        { kind: "table", owner: migrator },
        { kind: "type", owner: migrator },
        { kind: "function", owner: migrator },
      ]),
    );
    expect(owners).toHaveLength(3);

    const appUrl = asUser(database.url, app);
    expect(await queryRows(appUrl, "SELECT first_name FROM users")).toEqual([{ first_name: "Ada" }]);
    await queryRows(appUrl, "UPDATE users SET first_name = 'Augusta'");
    await expectRowsOnly(appUrl);
    // The migrator can carry on: it owns what later migrations alter.
    const migratorUrl = asUser(database.url, migrator);
    const deploy = await runPrismaCli(["migrate", "deploy"], migratorUrl);
    expect(deploy.stdout + deploy.stderr).toMatch(/No pending migrations/);
    expect(await refusal(migratorUrl, "ALTER TABLE users ADD COLUMN probe text")).toBe("");
  });
});

/** The same URL, logging in as another user (trust authentication on the test server). */
function asUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = "";
  return parsed.toString();
}

/** The app role may not create, drop, alter or truncate anything. */
async function expectRowsOnly(url: string) {
  expect(await refusal(url, "CREATE TABLE intruder (id int)")).toMatch(/permission denied/);
  expect(await refusal(url, "DROP TABLE users")).toMatch(/must be owner/);
  expect(await refusal(url, "ALTER TABLE users ADD COLUMN extra text")).toMatch(/must be owner/);
  expect(await refusal(url, "TRUNCATE users")).toMatch(/permission denied/);
  expect(await refusal(url, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'")).toMatch(/permission denied/);
}
