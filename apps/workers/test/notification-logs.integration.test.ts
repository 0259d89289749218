import { createPool, type Pool } from "@userstream/db/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationLogs } from "../src/sender/notification-logs";
import { useTestBed } from "./support";

describe("the sender's grouped claims and records of emails, in PostgreSQL", () => {
  const bed = useTestBed();
  let pool: Pool;
  beforeAll(() => {
    pool = createPool(bed.database.url, { max: 2 });
  });
  afterAll(() => pool?.end());

  async function queuedEmail(email: string) {
    const user = await bed.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: "Lovelace", email },
    });
    return bed.db.notificationLog.create({ data: { userId: user.id, kind: "welcome", status: "queued" } });
  }

  it("claims many emails in one go, each with its user and its address's suppression", async () => {
    const rows = await Promise.all(["one@example.com", "two@example.com", "three@example.com"].map(queuedEmail));
    await bed.db.suppression.create({ data: { address: "two@example.com", reason: "complaint" } });
    const logs = notificationLogs(pool, 60_000);

    const claims = await Promise.all(rows.map((row) => logs.claim(row.id)));
    expect(claims.map((claim) => [claim?.user?.email, claim?.attempts, claim?.suppression])).toEqual([
      ["one@example.com", 1, null],
      ["two@example.com", 1, "complaint"],
      ["three@example.com", 1, null],
    ]);
    const stored = await bed.db.notificationLog.findMany({ where: { id: { in: rows.map((row) => row.id) } } });
    expect(stored.map((row) => row.status)).toEqual(["sending", "sending", "sending"]);
  });

  it("gives an email claimed twice in the same go to one caller only", async () => {
    const row = await queuedEmail("twice@example.com");
    const logs = notificationLogs(pool, 60_000);
    const claims = await Promise.all([logs.claim(row.id), logs.claim(row.id.toUpperCase())]);
    expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
    expect(await logs.claim(row.id)).toBeUndefined();
  });

  it("claims an email named in capitals as well (a uuid in any case)", async () => {
    const row = await queuedEmail("capitals@example.com");
    const claim = await notificationLogs(pool, 60_000).claim(row.id.toUpperCase());
    expect(claim?.user?.email).toBe("capitals@example.com");
  });

  it("records many sent emails in one go, each with its own provider id and time", async () => {
    const rows = await Promise.all(["sent1@example.com", "sent2@example.com"].map(queuedEmail));
    const logs = notificationLogs(pool, 60_000);
    await Promise.all(rows.map((row) => logs.claim(row.id)));
    const sentAt = [new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T10:00:01Z")];
    await Promise.all(
      rows.map((row, i) => logs.recordSent(row.id, { provider: "smtp", providerMessageId: `<m${i}@x>`, sentAt: sentAt[i]! })),
    );
    const stored = await bed.db.notificationLog.findMany({
      where: { id: { in: rows.map((row) => row.id) } },
      orderBy: { sentAt: "asc" },
    });
    expect(stored.map((row) => [row.status, row.providerMessageId, row.sentAt, row.leaseExpiresAt])).toEqual([
      ["sent", "<m0@x>", sentAt[0], null],
      ["sent", "<m1@x>", sentAt[1], null],
    ]);
  });
});
