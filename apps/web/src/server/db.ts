import "server-only";
import { createPrismaClientOn, type PrismaClient } from "@userstream/db";
import { createPool, type Pool } from "@userstream/db/pool";
import { env } from "~/env";
import { getLogger } from "./logger";

interface Database {
  prisma: PrismaClient;
  pool: Pool;
}

// Kept on globalThis so that dev-mode hot reloads reuse one pool instead of opening a new one per edit.
const globalForDb = globalThis as unknown as { userstreamDatabase?: Database };

/**
 * The app's one pool, created on first use (so importing this module never connects), with the
 * Prisma client over it. Every statement is cut off after DATABASE_STATEMENT_TIMEOUT_MS (unless
 * `off`: behind a transaction pooler, which cannot carry it), so that a slow query cannot hold the
 * pool's connections while requests pile up behind it.
 */
function database(): Database {
  if (!globalForDb.userstreamDatabase) {
    const pool = createPool(env.DATABASE_URL, {
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS === "off" ? undefined : env.DATABASE_STATEMENT_TIMEOUT_MS,
      // An idle connection cut by a PostgreSQL restart is logged and replaced, not the end of the process.
      logger: getLogger(),
    });
    globalForDb.userstreamDatabase = { pool, prisma: createPrismaClientOn(pool) };
  }
  return globalForDb.userstreamDatabase;
}

/** The app's Prisma client: every query of the web and the API server but one. */
export function getDb(): PrismaClient {
  return database().prisma;
}

/**
 * The same pool, for the one statement every registration runs that Prisma's client would make
 * dearer than the statement itself: the shared rate limit's (docs/architecture.md, "One database
 * path per process").
 */
export function getPool(): Pool {
  return database().pool;
}

/** Closes the pool, if one was opened (the shutdown's last step). */
export async function closeDb(): Promise<void> {
  await globalForDb.userstreamDatabase?.prisma.$disconnect();
}
