import { EmailSendV1, QUEUES, createEnvelope, deadLetterQueue, type NotificationStatus } from "@userstream/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import { setupTestBroker, setupTestDatabase, userWithWelcomeEmail } from "../../testing";
import { TEST_ADMIN_SESSION, codeOf, procedureCaller } from "../testing";

const ADMIN = TEST_ADMIN_SESSION;

describe("emails and admin routers (delivery log, resend, replay, overview)", () => {
  const database = setupTestDatabase("userstream_web_emails");
  const broker = setupTestBroker("userstream-web-emails");

  beforeEach(async () => {
    await database.db.registration.deleteMany();
    await database.db.user.deleteMany();
    await database.db.notificationLog.deleteMany();
    await database.db.reportLog.deleteMany();
    const channel = await broker.connection.createChannel();
    await channel.purgeQueue(QUEUES.emailSend);
    await channel.purgeQueue(deadLetterQueue(QUEUES.emailSend));
    await channel.close();
  });

  const caller = procedureCaller(database, broker);

  const emailIn = (status: NotificationStatus, options?: Parameters<typeof userWithWelcomeEmail>[2]) =>
    userWithWelcomeEmail(database.db, status, options);

  /** The `email.send` messages now waiting in `queue`, taken off it. */
  const drain = async (queue: string) =>
    (await broker.take(queue)).map(
      (message) => JSON.parse(message.content.toString()) as { payload: { notificationId: string }; id: string },
    );

  it("answers UNAUTHORIZED to every procedure without an admin session, and changes nothing", async () => {
    const { notification } = await emailIn("failed");
    const anonymous = caller(null);
    expect(await codeOf(anonymous.emails.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.emails.resend({ id: notification.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.emails.replay({ id: notification.id }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.admin.overview())).toBe("UNAUTHORIZED");
    // Invalid input is refused for the missing session first.
    expect(await codeOf(anonymous.emails.resend({ id: "not-a-uuid" }))).toBe("UNAUTHORIZED");
    expect((await database.db.notificationLog.findUniqueOrThrow({ where: { id: notification.id } })).status).toBe("failed");
    expect(await database.db.emailAction.count()).toBe(0);
    expect(await drain(QUEUES.emailSend)).toEqual([]);
  });

  it("lists the delivery log newest first with attempts and last error, filtered by status, email and day", async () => {
    const old = await emailIn("failed", {
      email: "grace@example.com",
      createdAt: new Date("2026-11-01T23:59:00Z"),
      lastError: "550 no such user",
    });
    const sent = await emailIn("sent", { email: "ada@example.com", createdAt: new Date("2026-11-02T00:00:00Z") });
    const dead = await emailIn("dead", { email: "alan@example.org", createdAt: new Date("2026-11-03T12:00:00Z") });
    const admin = caller(ADMIN);

    const all = await admin.emails.list({});
    expect(all.items.map((row) => row.id)).toEqual([dead.notification.id, sent.notification.id, old.notification.id]);
    expect(all.items[2]).toMatchObject({
      email: "grace@example.com",
      status: "failed",
      attempts: 3,
      lastError: "550 no such user",
    });
    expect(all.nextCursor).toBeNull();
    expect(all.items[1]?.events).toEqual([]);

    // Each email's timeline, oldest event first.
    const at = (iso: string) => new Date(iso);
    await database.db.notificationEvent.createMany({
      data: [
        {
          notificationId: sent.notification.id,
          provider: "resend",
          providerEventId: "msg_2",
          type: "delivered",
          occurredAt: at("2026-11-02T00:00:05Z"),
        },
        {
          notificationId: sent.notification.id,
          provider: "resend",
          providerEventId: "msg_1",
          type: "sent",
          occurredAt: at("2026-11-02T00:00:01Z"),
        },
        {
          notificationId: sent.notification.id,
          provider: "resend",
          providerEventId: "msg_3",
          type: "bounced",
          permanent: false,
          detail: "MailboxFull",
          occurredAt: at("2026-11-02T00:01:00Z"),
        },
      ],
    });
    expect((await admin.emails.list({ email: "ada@" })).items[0]?.events).toEqual([
      { type: "sent", provider: "resend", permanent: null, detail: null, occurredAt: at("2026-11-02T00:00:01Z") },
      { type: "delivered", provider: "resend", permanent: null, detail: null, occurredAt: at("2026-11-02T00:00:05Z") },
      { type: "bounced", provider: "resend", permanent: false, detail: "MailboxFull", occurredAt: at("2026-11-02T00:01:00Z") },
    ]);

    expect((await admin.emails.list({ status: "failed" })).items.map((row) => row.id)).toEqual([old.notification.id]);
    expect((await admin.emails.list({ email: " EXAMPLE.COM " })).items.map((row) => row.id)).toEqual([
      sent.notification.id,
      old.notification.id,
    ]);
    expect((await admin.emails.list({ from: "2026-11-02", to: "2026-11-02" })).items.map((row) => row.id)).toEqual([
      sent.notification.id,
    ]);
    expect((await admin.emails.list({ from: "2026-11-02" })).items.map((row) => row.id)).toEqual([
      dead.notification.id,
      sent.notification.id,
    ]);

    const first = await admin.emails.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await admin.emails.list({ limit: 2, cursor: first.nextCursor ?? "" });
    expect(second.items.map((row) => row.id)).toEqual([old.notification.id]);

    expect(await codeOf(admin.emails.list({ from: "2026-11-03", to: "2026-11-02" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.emails.list({ from: "yesterday" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.emails.list({ cursor: "forged" }))).toBe("BAD_REQUEST");
  });

  it("resends a failed email once, however often it is clicked, and records who did it", async () => {
    const { notification, registrationId } = await emailIn("failed");
    const admin = caller(ADMIN);
    const results = await Promise.all([
      admin.emails.resend({ id: notification.id }),
      admin.emails.resend({ id: notification.id }),
    ]);
    expect(results.map((result) => result.outcome).sort()).toEqual(["queued", "unchanged"]);
    expect(await admin.emails.resend({ id: notification.id })).toEqual({ outcome: "unchanged", status: "queued" });

    const row = await database.db.notificationLog.findUniqueOrThrow({ where: { id: notification.id } });
    expect(row.status).toBe("queued");
    const messages = await drain(QUEUES.emailSend);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload).toEqual({ notificationId: notification.id, kind: "welcome", registrationId });
    const actions = await database.db.emailAction.findMany();
    expect(actions).toEqual([
      expect.objectContaining({
        notificationId: notification.id,
        action: "resend",
        fromStatus: "failed",
        adminEmail: ADMIN.email,
        messageId: messages[0]?.id,
      }),
    ]);
    expect((await admin.emails.list({})).items[0]?.lastAction).toMatchObject({ action: "resend", adminEmail: ADMIN.email });
  });

  it("does not resend an email that is not failed, nor replay one that is not dead", async () => {
    const sent = await emailIn("sent");
    const failed = await emailIn("failed");
    const admin = caller(ADMIN);
    expect(await admin.emails.resend({ id: sent.notification.id })).toEqual({ outcome: "unchanged", status: "sent" });
    expect(await admin.emails.replay({ id: failed.notification.id })).toEqual({ outcome: "unchanged", status: "failed" });
    expect(await codeOf(admin.emails.resend({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await drain(QUEUES.emailSend)).toEqual([]);
    expect(await database.db.emailAction.count()).toBe(0);
  });

  it("refuses to resend an email whose user was deleted", async () => {
    const { notification, user } = await emailIn("failed");
    await database.db.user.delete({ where: { id: user.id } });
    expect(await codeOf(caller(ADMIN).emails.resend({ id: notification.id }))).toBe("PRECONDITION_FAILED");
    expect(await drain(QUEUES.emailSend)).toEqual([]);
  });

  it("replays a dead email's parked message, leaving other parked messages where they are", async () => {
    const dead = await emailIn("dead");
    const other = await emailIn("dead");
    const channel = await broker.connection.createConfirmChannel();
    const park = async (notificationId: string, registrationId: string) => {
      const envelope = createEnvelope(EmailSendV1, { notificationId, kind: "welcome", registrationId });
      channel.sendToQueue(deadLetterQueue(QUEUES.emailSend), Buffer.from(JSON.stringify(envelope)), {
        messageId: envelope.id,
        persistent: true,
        headers: { "x-userstream-reason": "retries-exhausted", "x-userstream-attempts": 4 },
      });
      await channel.waitForConfirms();
      return envelope;
    };
    const parked = await park(dead.notification.id, dead.registrationId);
    await park(other.notification.id, other.registrationId);
    await channel.close();

    const admin = caller(ADMIN);
    expect(await admin.emails.replay({ id: dead.notification.id })).toEqual({ outcome: "queued", messageId: parked.id });
    expect(await admin.emails.replay({ id: dead.notification.id })).toEqual({ outcome: "unchanged", status: "queued" });

    expect(await drain(QUEUES.emailSend)).toEqual([parked]);
    expect((await drain(deadLetterQueue(QUEUES.emailSend))).map((message) => message.payload.notificationId)).toEqual([
      other.notification.id,
    ]);
    expect(await database.db.emailAction.findMany({ select: { action: true, fromStatus: true, messageId: true } })).toEqual([
      { action: "replay", fromStatus: "dead", messageId: parked.id },
    ]);
  });

  it("replays a dead email with a new message when nothing is parked for it", async () => {
    const { notification } = await emailIn("dead");
    expect(await caller(ADMIN).emails.replay({ id: notification.id })).toMatchObject({ outcome: "queued" });
    expect((await drain(QUEUES.emailSend)).map((message) => message.payload.notificationId)).toEqual([notification.id]);
  });

  it("leaves the email failed and records nothing when the broker does not confirm", async () => {
    const { notification } = await emailIn("failed");
    expect(await codeOf(caller(ADMIN, "down").emails.resend({ id: notification.id }))).toBe("SERVICE_UNAVAILABLE");
    expect((await database.db.notificationLog.findUniqueOrThrow({ where: { id: notification.id } })).status).toBe("failed");
    expect(await database.db.emailAction.count()).toBe(0);
    // Nor does it count against the address's send-again limit.
    expect(await database.db.emailSendRequest.count()).toBe(0);
  });

  it("counts users, verified users, emails by status, reports and registrations per day for 30 days", async () => {
    await emailIn("sent");
    await emailIn("failed");
    for (const status of ["delivered", "delivered", "bounced", "complained", "suppressed"] as const) await emailIn(status);
    const { user } = await emailIn("dead");
    await database.db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    await database.db.reportLog.create({ data: { kind: "users", trigger: "manual", status: "succeeded" } });
    const today = new Date();
    const daysAgo = (n: number) => new Date(today.getTime() - n * 24 * 3_600_000);
    await database.db.registration.createMany({
      data: [0, 0, 1, 29, 30].map((n) => ({ id: crypto.randomUUID(), outcome: "created" as const, receivedAt: daysAgo(n) })),
    });

    const overview = await caller(ADMIN).admin.overview();
    expect(overview).toMatchObject({
      users: 8,
      verifiedUsers: 1,
      reports: 1,
      emails: { queued: 0, sending: 0, sent: 1, failed: 1, dead: 1, delivered: 2, bounced: 1, complained: 1, suppressed: 1 },
    });
    expect(overview.registrationsPerDay).toHaveLength(30);
    // Today: the eight users' own registrations and two more.
    expect(overview.registrationsPerDay.at(-1)).toEqual({ day: today.toISOString().slice(0, 10), count: 10 });
    expect(overview.registrationsPerDay.at(-2)?.count).toBe(1);
    // 29 days ago is the first day shown; 30 days ago is outside.
    expect(overview.registrationsPerDay[0]).toEqual({ day: daysAgo(29).toISOString().slice(0, 10), count: 1 });
    expect(overview.registrationsPerDay.reduce((sum, day) => sum + day.count, 0)).toBe(12);
  });
});
