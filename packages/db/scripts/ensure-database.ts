/**
 * Creates the database named in DATABASE_URL if it does not exist yet, so that
 * `prisma migrate deploy` (which needs the database to exist) works on a fresh server.
 * Safe to run repeatedly and concurrently.
 */
import { loadEnvFiles } from "@userstream/contracts/load-env-files";
import pg from "pg";
import { databaseUrl } from "../src/env";
import { pgConfigFromUrl, quoteIdent } from "../src/pg-config";

const DUPLICATE_DATABASE = "42P04";

loadEnvFiles();
const config = pgConfigFromUrl(databaseUrl());
const database = config.database;
if (!database) throw new Error("DATABASE_URL names no database");

// Connect to the server's maintenance database: the target may not exist yet.
const client = new pg.Client({ ...config, database: "postgres" });
await client.connect();
try {
  const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  if (existing.rowCount === 0) {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
      console.log(`Created database ${database}`);
    } catch (error) {
      // Another process created it between the check and the CREATE: that is what we wanted.
      if ((error as { code?: string }).code !== DUPLICATE_DATABASE) throw error;
    }
  }
} finally {
  await client.end();
}
