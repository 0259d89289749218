import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { setupTestDatabase, UNREACHABLE_AMQP_URL } from "../../testing";
import { createCaller } from "../root";
import { TEST_ADMIN_SESSION, codeOf } from "../testing";
import { createPublisher } from "@userstream/messaging";

describe("suppressions router (the admin's suppression list)", () => {
  const database = setupTestDatabase("userstream_web_suppressions");
  const audit: Record<string, unknown>[] = [];
  const auditLog = pino(
    { base: { log: "audit" } },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        audit.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const caller = (adminSession: typeof TEST_ADMIN_SESSION | null) =>
    createCaller({
      headers: new Headers(),
      db: database.db,
      publisher: createPublisher(UNREACHABLE_AMQP_URL),
      adminSession,
      auditLog,
    });

  /** An address suppressed by a hard bounce of its welcome email, as record_notification_event leaves it. */
  async function bounced(address: string) {
    const user = await database.db.user.create({
      data: {
        registrationId: crypto.randomUUID(),
        firstName: "Ada",
        lastName: "Lovelace",
        email: address,
        notificationLogs: { create: { kind: "welcome", status: "bounced" } },
      },
      include: { notificationLogs: true },
    });
    const event = await database.db.notificationEvent.create({
      data: {
        notificationId: user.notificationLogs[0]!.id,
        provider: "smtp",
        providerEventId: `smtp/${crypto.randomUUID()}/1`,
        type: "bounced",
        permanent: true,
        detail: "SMTP 550: no such mailbox",
        occurredAt: new Date(),
      },
    });
    await database.db.suppression.create({ data: { address, reason: "hard_bounce", sourceEventId: event.id } });
    return event;
  }

  it("lists the entries with their reason and source event, searched by address, for admins only", async () => {
    const event = await bounced("listed-one@example.com");
    await bounced("listed-two@example.org");
    const all = await caller(TEST_ADMIN_SESSION).suppressions.list({});
    expect(all.map((row) => row.address)).toEqual(expect.arrayContaining(["listed-one@example.com", "listed-two@example.org"]));
    const found = await caller(TEST_ADMIN_SESSION).suppressions.list({ search: "LISTED-ONE" });
    expect(found).toMatchObject([
      {
        address: "listed-one@example.com",
        reason: "hard_bounce",
        sourceEvent: { id: event.id, type: "bounced", detail: "SMTP 550: no such mailbox" },
      },
    ]);
    expect(await codeOf(caller(null).suppressions.list({}))).toBe("UNAUTHORIZED");
  });

  it("removes an entry with the admin's reason: a removal row and an audit line, once", async () => {
    const event = await bounced("removed@example.com");
    const removed = await caller(TEST_ADMIN_SESSION).suppressions.remove({
      address: " Removed@Example.com ",
      reason: "The mailbox exists again",
    });
    expect(removed.address).toBe("removed@example.com");
    expect(await database.db.suppression.findUnique({ where: { address: "removed@example.com" } })).toBeNull();
    expect(await database.db.suppressionRemoval.findMany({ where: { address: "removed@example.com" } })).toMatchObject([
      {
        reason: "hard_bounce",
        sourceEventId: event.id,
        removalReason: "The mailbox exists again",
        adminEmail: TEST_ADMIN_SESSION.email,
      },
    ]);
    expect(audit).toContainEqual(
      expect.objectContaining({
        log: "audit",
        msg: "suppression removed",
        address: "removed@example.com",
        reason: "The mailbox exists again",
        admin: TEST_ADMIN_SESSION.email,
      }),
    );
    // A second click finds nothing to remove and records nothing more.
    expect(
      await codeOf(caller(TEST_ADMIN_SESSION).suppressions.remove({ address: "removed@example.com", reason: "again" })),
    ).toBe("NOT_FOUND");
    expect(await database.db.suppressionRemoval.count({ where: { address: "removed@example.com" } })).toBe(1);
  });

  it("refuses a removal without a reason, or by someone signed out, and changes nothing", async () => {
    await bounced("kept@example.com");
    expect(await codeOf(caller(TEST_ADMIN_SESSION).suppressions.remove({ address: "kept@example.com", reason: " " }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(caller(null).suppressions.remove({ address: "kept@example.com", reason: "because" }))).toBe(
      "UNAUTHORIZED",
    );
    expect(await database.db.suppression.findUnique({ where: { address: "kept@example.com" } })).not.toBeNull();
    expect(await database.db.suppressionRemoval.count({ where: { address: "kept@example.com" } })).toBe(0);
  });
});
