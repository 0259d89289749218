import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgConfigFromUrl } from "./pg-config";
import { createTestDatabaseWithRoles, type TestDatabaseWithRoles } from "./testing";

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The error PostgreSQL answers `sql` with, or "" when it succeeds. */
async function refusal(url: string, sql: string): Promise<string> {
  try {
    await query(url, sql);
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
    const owners = (await query(
      database.migratorUrl,
      "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
    )) as { tableowner: string }[];
    expect(owners).toEqual([{ tableowner: new URL(database.migratorUrl).username }]);
    expect(await query(database.migratorUrl, "SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NULL")).toEqual([{ n: 0 }]);
  });

  it("lets the app role read and write rows, use the enums, the csv_safe function and advisory locks", async () => {
    const url = database.appUrl;
    await query(
      url,
      "INSERT INTO users (registration_id, first_name, last_name, email, updated_at) VALUES (gen_random_uuid(), 'Ada', 'Lovelace', 'ada@example.com', now())",
    );
    await query(url, "UPDATE users SET first_name = 'Augusta' WHERE email = 'ada@example.com'");
    await query(url, "INSERT INTO notification_logs (user_id, kind, status, updated_at) SELECT id, 'welcome', 'queued', now() FROM users");
    expect(await query(url, "SELECT csv_safe('=1+1') AS cell")).toEqual([{ cell: "'=1+1" }]);
    expect(await query(url, "SELECT pg_try_advisory_lock(42) AS locked")).toEqual([{ locked: true }]);
    await query(url, "DELETE FROM notification_logs");
    await query(url, "DELETE FROM users");
  });

  it("refuses the app role any change to the schema", async () => {
    const url = database.appUrl;
    expect(await refusal(url, "CREATE TABLE intruder (id int)")).toMatch(/permission denied/);
    expect(await refusal(url, "DROP TABLE users")).toMatch(/must be owner/);
    expect(await refusal(url, "ALTER TABLE users ADD COLUMN extra text")).toMatch(/must be owner/);
    expect(await refusal(url, "TRUNCATE users")).toMatch(/permission denied/);
    expect(await refusal(url, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'")).toMatch(/permission denied/);
  });
});
