import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MigrationPg } from "./migration-adapter";
import { pgConfigFromUrl } from "./pg-config";
import { createTestDatabase, type TestDatabase } from "./testing";

// Each case also shows the upstream adapter still failing, so the day one of these tests starts
// failing on its "upstream" line, the matching fix in migration-adapter.ts can be deleted.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("userstream_test_adapter");
});
afterAll(() => db?.drop());

const noArgs = { args: [], argTypes: [] };

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client(pgConfigFromUrl(db.url));
  await client.connect();
  try {
    return (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe("MigrationPg", () => {
  it("runs a script with a $$ function body whole", async () => {
    const script = `
      CREATE FUNCTION answer() RETURNS integer LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1;
        RETURN 42;
      END;
      $$;
      CREATE TABLE script_check (id integer);`;
    const upstream = await new PrismaPg(pgConfigFromUrl(db.url)).connect();
    await expect(upstream.executeScript(script)).rejects.toThrow();
    await upstream.dispose();

    const adapter = await new MigrationPg(db.url).connect();
    try {
      await adapter.executeScript(script);
      const result = await adapter.queryRaw({ sql: "SELECT answer() AS answer", ...noArgs });
      expect(result.rows).toEqual([[42]]);
    } finally {
      await adapter.dispose();
    }
  });

  it('reads catalog columns of type name and "char" as text', async () => {
    const sql = `SELECT n.nspname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relname = 'users'`;
    const upstream = await new PrismaPg(pgConfigFromUrl(db.url)).connect();
    await expect(upstream.queryRaw({ sql, ...noArgs })).rejects.toThrow();
    await upstream.dispose();

    const adapter = await new MigrationPg(db.url).connect();
    try {
      const result = await adapter.queryRaw({ sql, ...noArgs });
      expect(result.rows).toEqual([["public", "r"]]);
      expect(result.columnTypes).toEqual([7, 7]); // ColumnTypeEnum.Text
    } finally {
      await adapter.dispose();
    }
  });

  it("creates a usable shadow database and drops it on dispose", async () => {
    const shadow = await new MigrationPg(db.url).connectToShadowDb();
    const name = (await shadow.queryRaw({ sql: "SELECT current_database()::text", ...noArgs })).rows[0]?.[0];
    expect(name).toMatch(/^prisma_migrate_shadow_db_/);
    expect(name).not.toBe(new URL(db.url).pathname.slice(1));
    await shadow.executeScript("CREATE TABLE shadow_only (id integer)");

    await expect(shadow.dispose()).resolves.toBeUndefined();
    expect(await databaseExists(String(name))).toBe(false);
  });

  it("(upstream) fails to drop its shadow database while its own pool is open", async () => {
    const shadow = await new PrismaPg(pgConfigFromUrl(db.url)).connectToShadowDb();
    const name = String((await shadow.queryRaw({ sql: "SELECT current_database()::text", ...noArgs })).rows[0]?.[0]);
    try {
      await expect(shadow.dispose()).rejects.toThrow(/being accessed by other users/);
    } finally {
      await shadow.underlyingDriver().end(); // upstream never got this far
      const cleanup = await new MigrationPg(db.url).connect();
      await cleanup.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.dispose();
    }
    expect(await databaseExists(name)).toBe(false);
  });
});
