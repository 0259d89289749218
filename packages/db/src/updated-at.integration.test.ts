import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "./index";
import { createPool } from "./pool";
import { createTestDatabase, type TestDatabase } from "./testing";

let db: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
beforeAll(async () => {
  db = await createTestDatabase("userstream_test_updated_at");
  pool = createPool(db.url, { max: 2 });
  prisma = createPrismaClient(db.url, { max: 1 });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

/** One statement in a transaction of its own, with the transaction's time (what now() gives inside it) as the columns keep it. */
async function inTransaction<Row extends object>(sql: string, values: unknown[] = []): Promise<Row & { now: Date }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const [row] = (await client.query<Row>(sql, values)).rows;
    const [times] = (await client.query<{ now: Date }>("SELECT now()::timestamptz(3) AS now")).rows;
    await client.query("COMMIT");
    return { ...(row as Row), now: (times as { now: Date }).now };
  } finally {
    client.release();
  }
}

const LONG_AGO = new Date("2000-01-01T00:00:00Z");

describe("updated_at, kept by the database", () => {
  it("is set on insert without naming it, and moved to the transaction's time by every plain update", async () => {
    const inserted = await inTransaction<{ created_at: Date; updated_at: Date }>(
      "INSERT INTO users (registration_id, first_name, last_name, email) VALUES (gen_random_uuid(), 'Ada', 'Lovelace', 'ada@example.com') RETURNING created_at, updated_at",
    );
    expect(inserted.updated_at).toEqual(inserted.created_at);

    // An insert may still name it (the value stays); any update then moves it.
    const old = await inTransaction<{ id: string; updated_at: Date }>(
      "INSERT INTO users (registration_id, first_name, last_name, email, updated_at) VALUES (gen_random_uuid(), 'Alan', 'Turing', 'alan@example.com', $1) RETURNING id, updated_at",
      [LONG_AGO],
    );
    expect(old.updated_at).toEqual(LONG_AGO);
    const updated = await inTransaction<{ updated_at: Date }>(
      "UPDATE users SET first_name = 'Alan M.' WHERE id = $1 RETURNING updated_at",
      [old.id],
    );
    expect(updated.updated_at).toEqual(updated.now);

    // A statement that sets it by hand is overruled too: no writer can leave it wrong.
    const byHand = await inTransaction<{ updated_at: Date }>(
      "UPDATE users SET updated_at = $2 WHERE id = $1 RETURNING updated_at",
      [old.id, LONG_AGO],
    );
    expect(byHand.updated_at).toEqual(byHand.now);
  });

  it("overrules the time Prisma's @updatedAt sends, for the web's writes", async () => {
    const user = await prisma.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Grace", lastName: "Hopper", email: "grace@example.com" },
    });
    const log = await prisma.notificationLog.create({ data: { userId: user.id, kind: "welcome", status: "queued" } });
    const { rows } = await pool.query<{ now: Date }>("SELECT now()::timestamptz(3) AS now");
    await prisma.notificationLog.update({ where: { id: log.id }, data: { status: "failed", updatedAt: LONG_AGO } });
    const stored = await prisma.notificationLog.findUniqueOrThrow({ where: { id: log.id } });
    expect(stored.updatedAt.getTime()).toBeGreaterThanOrEqual((rows[0] as { now: Date }).now.getTime());
  });

  it("has its trigger on every table with an updated_at column", async () => {
    const { rows } = await pool.query<{ table: string; triggered: boolean }>(`
      SELECT c.table_name AS table,
        EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = format('%I', c.table_name)::regclass AND t.tgfoid = 'set_updated_at'::regproc) AS triggered
      FROM information_schema.columns c
      WHERE c.table_schema = 'public' AND c.column_name = 'updated_at'
      ORDER BY 1`);
    expect(rows).toEqual([
      { table: "notification_logs", triggered: true },
      { table: "users", triggered: true },
      { table: "webhook_deliveries", triggered: true },
      { table: "webhook_endpoints", triggered: true },
    ]);
  });
});
