import type pg from "pg";
import { createHealingPool } from "./healing-pool";

export { withConnection } from "./healing-pool";

/** A pool of {@link createPool} (pg's `Pool`), named here so that a package without `pg` can hold one. */
export type Pool = pg.Pool;

/** Where a pool reports an idle connection that failed (a pino logger fits). */
export interface PoolLogger {
  warn(fields: object, message: string): void;
}

/** Options for {@link createPool}. */
export interface PoolOptions {
  /** Most connections the pool opens (pg's default is 10). */
  max?: number;
  /**
   * PostgreSQL's `statement_timeout` for every session of the pool, in milliseconds: a statement
   * running longer is cancelled (error 57014). Unset: the server's setting (none by default).
   */
  statementTimeoutMs?: number;
  /** How long an unused connection stays open, in milliseconds; 0 keeps it until the pool ends (pg's default: 10 s). */
  idleTimeoutMs?: number;
  /**
   * Told when an idle connection fails (PostgreSQL restarted, the network cut); the pool drops it
   * and opens another when needed. Without a logger such an error ends the process, as an
   * unhandled `error` event does.
   */
  logger?: PoolLogger;
}

/**
 * The one way a process opens its connections to PostgreSQL (the workers' pool, and the pool under
 * the web's Prisma client): `databaseUrl` is read as pg reads a connection string, TLS included
 * (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`; `sslmode=require` verifies the server's
 * certificate), and a checked-out connection that dies leaves the pool instead of being reused
 * (see healing-pool.ts). Each call opens its own pool: create one per process and `end()` it on
 * shutdown.
 */
export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  // statement_timeout is sent with each connection's startup message, so it holds from the first statement on.
  const pool = createHealingPool({
    connectionString: databaseUrl,
    max: options.max,
    statement_timeout: options.statementTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
  });
  const { logger } = options;
  if (logger) pool.on("error", (err) => logger.warn({ err }, "idle database connection failed"));
  return pool;
}
