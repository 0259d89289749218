import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import { createPool, type PoolOptions } from "./pool";

/** The generated client: `PrismaClient`, the `Prisma` namespace, model types and enums. */
export * from "./generated/prisma/client";

/** Options for {@link createPrismaClient}: those of its pool (see {@link PoolOptions}). */
export type PrismaClientOptions = Pick<PoolOptions, "max" | "statementTimeoutMs" | "logger">;

/**
 * Creates a PrismaClient that talks to PostgreSQL through the `pg` driver adapter (no native query
 * engine). Each call opens its own pool: create one client per process and `$disconnect()` it on
 * shutdown. A long-lived process passes its `logger`: without one, an idle connection that fails
 * (PostgreSQL restarted) ends the process.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  return createPrismaClientOn(createPool(databaseUrl, options));
}

/**
 * A PrismaClient over a pool of {@link createPool}, for a process that also runs a statement on the
 * same pool directly (the web's shared rate limit, docs/architecture.md, "One database path per
 * process"); `$disconnect()` ends the pool too.
 */
export function createPrismaClientOn(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
