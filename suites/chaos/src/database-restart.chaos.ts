import { setTimeout as sleep } from "node:timers/promises";
import { createPrismaClient, type PrismaClient } from "@userstream/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type PrivatePostgres } from "@userstream/test-support";

/** Resolves with `work`'s outcome, or "still waiting" if it has not settled within `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T | "still waiting"> {
  return Promise.race([work, sleep(ms).then(() => "still waiting" as const)]);
}

describe("the database client after PostgreSQL restarts under open transactions", () => {
  let postgres: PrivatePostgres;
  let db: PrismaClient;

  beforeAll(async () => {
    postgres = await startPostgres(Number(process.env.CHAOS_PG_PORT_2 ?? 25434));
    // The restart also cuts the idle connections: the pool is told (as the web's is) and replaces them.
    db = createPrismaClient(postgres.url, { max: 3, logger: { warn: () => undefined } });
  });
  afterAll(async () => {
    await db?.$disconnect().catch(() => undefined);
    await postgres?.remove();
  });

  it("gets its connections back: queries and transactions work again once the server is back", async () => {
    // As many open transactions as the pool has connections, all cut by a fast shutdown.
    const open = [1, 2, 3].map(() =>
      db
        .$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(3)`, { timeout: 20_000 })
        .then(
          () => "committed",
          () => "failed",
        ),
    );
    await sleep(1_000);
    await postgres.stop();
    expect(await Promise.all(open)).toEqual(["failed", "failed", "failed"]);
    await postgres.start();

    const select = db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`.then((rows) => rows[0]?.one);
    expect(await within(select, 10_000)).toBe(1);
    const transaction = db
      .$transaction(async (tx) => tx.$queryRaw<{ two: number }[]>`SELECT 2 AS two`)
      .then((rows) => rows[0]?.two);
    expect(await within(transaction, 10_000)).toBe(2);
  });
});
