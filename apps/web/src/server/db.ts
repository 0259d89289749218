import "server-only";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { env } from "~/env";
import { getLogger } from "./logger";

// Kept on globalThis so that dev-mode hot reloads reuse one pool instead of opening a new one per edit.
const globalForDb = globalThis as unknown as { userstreamPrisma?: PrismaClient };

/**
 * The app's one Prisma client; created on first use, so importing this module never connects.
 * Every statement is cut off after DATABASE_STATEMENT_TIMEOUT_MS (unless `off`: behind a
 * transaction pooler, which cannot carry it), so that a slow query cannot hold the pool's
 * connections while requests pile up behind it.
 */
export function getDb(): PrismaClient {
  globalForDb.userstreamPrisma ??= createPrismaClient(env.DATABASE_URL, {
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS === "off" ? undefined : env.DATABASE_STATEMENT_TIMEOUT_MS,
    // An idle connection cut by a PostgreSQL restart is logged and replaced, not the end of the process.
    logger: getLogger(),
  });
  return globalForDb.userstreamPrisma;
}

/** Closes the pool, if one was opened (the shutdown's last step). */
export async function closeDb(): Promise<void> {
  await globalForDb.userstreamPrisma?.$disconnect();
}
