import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, Prisma, type PrismaClient } from "./index";
import { testServerUrl } from "./env";
import { createTestDatabase, queryRows, type TestDatabase } from "./testing";

let db: TestDatabase;
let prisma: PrismaClient;
beforeAll(async () => {
  db = await createTestDatabase("userstream_test_client");
  prisma = createPrismaClient(db.url, { max: 2 });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/** Resolves once `check` holds, looking every 20 ms for up to 5 s. */
async function waitUntil(check: () => boolean): Promise<void> {
  for (let waited = 0; !check(); waited += 20) {
    if (waited > 5_000) throw new Error("not reached in 5 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function newUser(email: string) {
  return { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: "Lovelace", email };
}

describe("createPrismaClient", () => {
  it("creates and reads a user", async () => {
    const created = await prisma.user.create({ data: newUser("ada@example.com") });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await prisma.user.findUnique({ where: { email: "ada@example.com" } })).toEqual(created);
  });

  it("rejects a second user with the same email (P2002)", async () => {
    await prisma.user.create({ data: newUser("twice@example.com") });
    const duplicate = prisma.user.create({ data: newUser("twice@example.com") });
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: "P2002" });
  });

  it("keeps notification and registration rows when their user is deleted", async () => {
    const user = await prisma.user.create({
      data: {
        ...newUser("gone@example.com"),
        notificationLogs: { create: { kind: "welcome", status: "queued" } },
        registrations: { create: { id: crypto.randomUUID(), outcome: "created" } },
      },
    });
    await prisma.user.delete({ where: { id: user.id } });
    const log = await prisma.notificationLog.findFirstOrThrow({ where: { status: "queued", userId: null } });
    expect(log.kind).toBe("welcome");
    expect(await prisma.registration.count({ where: { userId: null } })).toBe(1);
  });

  it("round-trips report_logs BigInt and JSON columns", async () => {
    const report = await prisma.reportLog.create({
      data: { kind: "users", trigger: "manual", status: "succeeded", byteSize: 2n ** 40n, filters: { q: "a" } },
    });
    expect(report.byteSize).toBe(2n ** 40n);
    expect(report.filters).toEqual({ q: "a" });
  });

  it("cuts off a statement after statementTimeoutMs in every session of its pool, and leaves other clients unlimited", async () => {
    const limited = createPrismaClient(db.url, { max: 2, statementTimeoutMs: 300 });
    try {
      // Two at once: each on its own connection of the pool.
      const settings = await Promise.all(
        [0, 1].map(() => limited.$queryRaw<{ statement_timeout: string }[]>`SHOW statement_timeout`),
      );
      expect(settings.flat()).toEqual([{ statement_timeout: "300ms" }, { statement_timeout: "300ms" }]);
      const started = Date.now();
      await expect(limited.$queryRaw`SELECT pg_sleep(5)`).rejects.toThrow(/statement timeout/);
      expect(Date.now() - started).toBeLessThan(3_000);
      // The connection is still usable afterwards.
      expect(await limited.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await limited.$disconnect();
    }
    expect(await prisma.$queryRaw`SHOW statement_timeout`).toEqual([{ statement_timeout: "0" }]);
  });

  it("tells its logger when PostgreSQL ends an idle connection, and opens another", async () => {
    const warnings: string[] = [];
    const logged = createPrismaClient(db.url, { max: 1, logger: { warn: (_fields, message) => warnings.push(message) } });
    try {
      const [{ pid }] = await logged.$queryRaw<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
      // As a restart or an administrator does to every session: the idle connection gets 57P01.
      await queryRows(testServerUrl(), `SELECT pg_terminate_backend(${pid})`);
      await waitUntil(() => warnings.length > 0);
      expect(warnings).toEqual(["idle database connection failed"]);
      const [{ pid: next }] = await logged.$queryRaw<[{ pid: number }]>`SELECT pg_backend_pid() AS pid`;
      expect(next).not.toBe(pid);
    } finally {
      await logged.$disconnect();
    }
  });

  it("answers ILIKE '%fragment%' from the trigram index", async () => {
    // The table is tiny, so the planner would scan it, or walk any whole index whose columns hold
    // first_name (the name orders' B-tree) with the condition as a filter; forbid both, in a
    // transaction rolled back afterwards, to see that the trigram index answers the condition.
    class RolledBack extends Error {
      constructor(readonly plan: string) {
        super("rolled back");
      }
    }
    const outcome = await prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
        await tx.$executeRaw`DROP INDEX users_last_name_first_name_id_idx`;
        const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>`
          EXPLAIN SELECT id FROM users WHERE first_name ILIKE ${"%ada%"}`;
        throw new RolledBack(rows.map((row) => row["QUERY PLAN"]).join("\n"));
      })
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(RolledBack);
    expect((outcome as RolledBack).plan).toContain("users_first_name_idx");
  });
});
