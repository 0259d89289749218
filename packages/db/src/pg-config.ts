import type { PoolConfig } from "pg";
import { parse } from "pg-connection-string";

/**
 * Splits a `postgresql://user:password@host:port/database` URL into separate pg fields.
 *
 * The migration adapter needs this: `@prisma/adapter-pg` opens the shadow database with
 * `{ ...config, database }`, and a `connectionString` in that config wins over `database`, so the
 * shadow database would silently be the main one. TLS settings (`sslmode`, `sslrootcert`, `sslcert`,
 * `sslkey`) are read as pg itself reads them from a connection string (`sslmode=require` verifies
 * the server's certificate, `no-verify` does not); other query parameters are ignored.
 */
export function pgConfigFromUrl(url: string): PoolConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error(`Expected a postgresql:// URL, got ${parsed.protocol}//…`);
  }
  return {
    host: decodeURIComponent(parsed.hostname) || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    ...(parsed.searchParams.has("sslmode") || parsed.searchParams.has("ssl") ? { ssl: parse(url).ssl as PoolConfig["ssl"] } : {}),
  };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Quotes a PostgreSQL identifier (database names cannot be bound as parameters). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
