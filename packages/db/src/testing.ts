import { randomUUID } from "node:crypto";
import pg from "pg";
import { testServerUrl } from "./env";
import { pgConfigFromUrl, quoteIdent, withDatabase } from "./pg-config";
import { runPrismaCli } from "./prisma-cli";

/** A throw-away database with every committed migration applied. */
export interface TestDatabase {
  /** postgresql:// URL of the new database. */
  url: string;
  /** Drops the database, closing any connections still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server of TEST_DATABASE_URL (default: the local
 * PostgreSQL) and applies the committed migrations to it with `prisma migrate deploy`.
 *
 * @example
 * const db = await createTestDatabase();
 * afterAll(() => db.drop());
 */
export async function createTestDatabase(prefix = "userstream_test"): Promise<TestDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix)) {
    throw new Error(`Test database prefix must be lower-case letters, digits and _ (max 31): ${prefix}`);
  }
  const serverUrl = testServerUrl();
  const name = `${prefix}_${randomUUID().replaceAll("-", "")}`;
  await runOnServer(serverUrl, `CREATE DATABASE ${quoteIdent(name)}`);

  const database: TestDatabase = {
    url: withDatabase(serverUrl, name),
    drop: () => runOnServer(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  };
  const migrate = await runPrismaCli(["migrate", "deploy"], database.url);
  if (migrate.code !== 0) {
    await database.drop();
    throw new Error(`prisma migrate deploy failed (exit ${migrate.code}):\n${migrate.stdout}${migrate.stderr}`);
  }
  return database;
}

async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client(pgConfigFromUrl(serverUrl));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
