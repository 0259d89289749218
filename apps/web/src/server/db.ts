import "server-only";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { env } from "~/env";

// Kept on globalThis so that dev-mode hot reloads reuse one pool instead of opening a new one per edit.
const globalForDb = globalThis as unknown as { userstreamPrisma?: PrismaClient };

/** The app's one Prisma client; created on first use, so importing this module never connects. */
export function getDb(): PrismaClient {
  globalForDb.userstreamPrisma ??= createPrismaClient(env.DATABASE_URL);
  return globalForDb.userstreamPrisma;
}

/** Closes the pool, if one was opened (the shutdown's last step). */
export async function closeDb(): Promise<void> {
  await globalForDb.userstreamPrisma?.$disconnect();
}
