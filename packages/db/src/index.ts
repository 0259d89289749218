import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { createHealingPool } from "./healing-pool";

export { createHealingPool, withConnection } from "./healing-pool";

/** The generated client: `PrismaClient`, the `Prisma` namespace, model types and enums. */
export * from "./generated/prisma/client";

/** Options for {@link createPrismaClient}. */
export interface PrismaClientOptions {
  /** Most connections the pool opens (pg's default is 10). */
  max?: number;
  /**
   * PostgreSQL's `statement_timeout` for every session of the pool, in milliseconds: a statement
   * running longer is cancelled (error 57014). Unset: the server's setting (none by default).
   */
  statementTimeoutMs?: number;
}

/**
 * Creates a PrismaClient that talks to PostgreSQL through the `pg` driver adapter (no native query
 * engine). Each call opens its own pool: create one client per process and `$disconnect()` it on
 * shutdown.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  // Sent with each connection's startup message, so it holds from the first statement on.
  const pool = createHealingPool({ connectionString: databaseUrl, max: options.max, statement_timeout: options.statementTimeoutMs });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}
