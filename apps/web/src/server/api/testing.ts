/** Helpers for the procedures' integration tests (imported by `*.integration.test.ts` only). */
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** The tRPC error code a call failed with; throws when it succeeded or failed otherwise. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/**
 * Registers the hooks that give a test file its own migrated database, emptied of users, their
 * registrations and notifications, and API keys before each test, and a publisher pointing at a
 * broker that is not there (these procedures never publish; one that tried would fail). Read
 * `db` and `publisher` from the returned object once `beforeAll` has run.
 */
export function usersTestDatabase(name: string): { db: PrismaClient; publisher: Publisher } {
  const deps = {} as { db: PrismaClient; publisher: Publisher };
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(name);
    deps.db = createPrismaClient(database.url);
    deps.publisher = createPublisher("amqp://guest:guest@127.0.0.1:1", { confirmTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await Promise.all([deps.publisher?.close(), deps.db?.$disconnect()]);
    await database?.drop();
  });
  beforeEach(async () => {
    await deps.db.notificationLog.deleteMany();
    await deps.db.registration.deleteMany();
    await deps.db.user.deleteMany();
    await deps.db.apiKey.deleteMany();
  });
  return deps;
}
