import { createUserToken } from "@userstream/contracts/user-token";
import { beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "../api/root";
import { codeOf } from "../api/testing";
import { createRateLimiter } from "../rate-limiter";
import { setupTestBroker, setupTestDatabase } from "../testing";
import { deleteUser } from "../users-service";

const SECRET = "test-confirmation-secret-0123456789-abcdefghij";
const DAY_MS = 24 * 3_600_000;
const CLIENT = "203.0.113.7";

describe("manage my registration: export and erase by the signed link", () => {
  const database = setupTestDatabase("userstream_web_data_rights");
  const broker = setupTestBroker("userstream-web-data-rights");
  const audit: { msg: string; fields: Record<string, unknown> }[] = [];

  beforeEach(async () => {
    audit.length = 0;
    await database.db.suppression.deleteMany();
    await database.db.registration.deleteMany();
    await database.db.notificationLog.deleteMany();
    await database.db.user.deleteMany();
  });

  function caller(limit?: number) {
    return createCaller({
      headers: new Headers(),
      db: database.db,
      publisher: broker.publisher,
      adminSession: null,
      clientAddress: CLIENT,
      confirmationSecret: SECRET,
      dataRightsLimiter: limit ? createRateLimiter({ max: limit, windowMs: 60_000 }) : null,
      auditLog: { info: (fields: Record<string, unknown>, msg: string) => audit.push({ msg, fields }) },
    }).dataRights;
  }

  /** A person as the receiver, sender and provider leave them: registered twice, one email delivered, sent again once. */
  async function person(name: string, { bounced = false } = {}) {
    const registrationId = crypto.randomUUID();
    const email = `${name.toLowerCase()}@example.com`;
    const user = await database.db.user.create({
      data: { registrationId, firstName: "Ada", lastName: name, email, createdAt: new Date("2026-11-02T08:00:00Z") },
    });
    const duplicateId = crypto.randomUUID();
    await database.db.registration.createMany({
      data: [
        { id: registrationId, userId: user.id, outcome: "created", receivedAt: new Date("2026-11-02T08:00:00Z") },
        { id: duplicateId, userId: user.id, outcome: "duplicate", receivedAt: new Date("2026-11-03T08:00:00Z") },
      ],
    });
    const welcome = await database.db.notificationLog.create({
      data: {
        userId: user.id,
        kind: "welcome",
        status: bounced ? "bounced" : "delivered",
        provider: "resend",
        providerMessageId: `msg-${name}`,
        attempts: 1,
        lastError: bounced ? `550 ${email} unknown` : null,
        sentAt: new Date("2026-11-02T08:00:02Z"),
        createdAt: new Date("2026-11-02T08:00:01Z"),
      },
    });
    const event = await database.db.notificationEvent.create({
      data: {
        notificationId: welcome.id,
        provider: "resend",
        providerEventId: `evt-${name}`,
        type: bounced ? "bounced" : "delivered",
        permanent: bounced ? true : null,
        detail: bounced ? `${email} does not exist` : null,
        occurredAt: new Date("2026-11-02T08:00:05Z"),
      },
    });
    await database.db.emailSendRequest.createMany({
      data: [
        {
          notificationId: welcome.id,
          registrationId,
          requestedBy: "registrant",
          clientKey: CLIENT,
          createdAt: new Date("2026-11-02T09:00:00Z"),
        },
        { registrationId: duplicateId, requestedBy: "registrant", clientKey: CLIENT },
      ],
    });
    if (bounced)
      await database.db.suppression.create({ data: { address: email, reason: "hard_bounce", sourceEventId: event.id } });
    const token = createUserToken("manage-registration", user.id, SECRET, 30 * DAY_MS);
    return { user, welcome, registrationId, duplicateId, token };
  }

  it("exports the user row, every registration and email with its timeline and requests, and the suppression", async () => {
    const { user, welcome, registrationId, duplicateId, token } = await person("Lovelace", { bounced: true });
    const data = await caller().export({ token });
    expect(data).toEqual({
      exportedAt: expect.any(String),
      user: {
        id: user.id,
        registrationId,
        firstName: "Ada",
        lastName: "Lovelace",
        email: "lovelace@example.com",
        emailVerifiedAt: null,
        createdAt: "2026-11-02T08:00:00.000Z",
        updatedAt: expect.any(String),
      },
      registrations: [
        { id: registrationId, outcome: "created", receivedAt: "2026-11-02T08:00:00.000Z" },
        { id: duplicateId, outcome: "duplicate", receivedAt: "2026-11-03T08:00:00.000Z" },
      ],
      emails: [
        {
          id: welcome.id,
          kind: "welcome",
          status: "bounced",
          provider: "resend",
          providerMessageId: "msg-Lovelace",
          attempts: 1,
          lastError: "550 lovelace@example.com unknown",
          sentAt: "2026-11-02T08:00:02.000Z",
          createdAt: "2026-11-02T08:00:01.000Z",
          events: [
            {
              type: "bounced",
              provider: "resend",
              permanent: true,
              detail: "lovelace@example.com does not exist",
              occurredAt: "2026-11-02T08:00:05.000Z",
            },
          ],
          sentAgain: [{ requestedBy: "registrant", at: "2026-11-02T09:00:00.000Z" }],
          adminActions: [],
        },
      ],
      suppression: { reason: "hard_bounce", since: expect.any(String) },
      webhookDeliveries: [],
    });
    expect(audit).toEqual([
      { msg: "personal data exported", fields: { userId: user.id, by: "registrant (manage link)", clientAddress: CLIENT } },
    ]);
  });

  it("erases as the admin delete does: the row goes, email records stay anonymised, the address is not suppressed", async () => {
    const { user, welcome, token } = await person("Hopper");
    const other = await person("Turing");
    expect(await caller().erase({ token, confirm: true })).toEqual({ erased: true });

    expect(await database.db.user.findUnique({ where: { id: user.id } })).toBeNull();
    expect(await database.db.notificationLog.findUniqueOrThrow({ where: { id: welcome.id } })).toMatchObject({
      userId: null,
      status: "delivered",
      lastError: null,
      providerMessageId: null,
      attempts: 1,
    });
    expect(await database.db.notificationEvent.findMany({ where: { notificationId: welcome.id } })).toEqual([
      expect.objectContaining({ type: "delivered", detail: null }),
    ]);
    const requests = await database.db.emailSendRequest.findMany({
      where: { registration: { outcome: { in: ["created", "duplicate"] } } },
    });
    expect(requests.filter((request) => request.clientKey === null)).toHaveLength(2);
    expect(await database.db.registration.count({ where: { userId: null } })).toBe(2);
    expect(await database.db.suppression.findUnique({ where: { address: "hopper@example.com" } })).toBeNull();
    expect(audit.at(-1)).toEqual({
      msg: "user deleted",
      fields: { userId: user.id, by: "registrant (manage link)", clientAddress: CLIENT },
    });
    // Nobody else is touched.
    expect(await database.db.user.findUnique({ where: { id: other.user.id } })).not.toBeNull();
    expect(await database.db.emailSendRequest.count({ where: { clientKey: CLIENT } })).toBe(2);

    // The link now names nobody.
    await expect(caller().export({ token })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "There is no registration for this link any more: it has been erased.",
    });
  });

  it("keeps a bounced address suppressed after erasing, as the admin delete does", async () => {
    const { token } = await person("Hamilton", { bounced: true });
    await caller().erase({ token, confirm: true });
    expect(await database.db.suppression.findUnique({ where: { address: "hamilton@example.com" } })).toMatchObject({
      reason: "hard_bounce",
    });
  });

  it("erases through the same function as the admin's delete: what one leaves, the other leaves", async () => {
    const byLink = await person("Johnson");
    const byAdmin = await person("Jackson");
    await caller().erase({ token: byLink.token, confirm: true });
    await deleteUser(byAdmin.user.id, { db: database.db }, { admin: "admin@example.com" });
    const pick = async (id: string) => {
      const { userId, lastError, providerMessageId, status, attempts } = await database.db.notificationLog.findUniqueOrThrow({
        where: { id },
      });
      return { userId, lastError, providerMessageId, status, attempts };
    };
    expect(await pick(byLink.welcome.id)).toEqual(await pick(byAdmin.welcome.id));
  });

  it("refuses a confirmation link, an expired, altered or unsigned one with a clear message, and changes nothing", async () => {
    const { user, token } = await person("Babbage");
    const confirmLink = createUserToken("confirm-email", user.id, SECRET, DAY_MS);
    const expired = createUserToken("manage-registration", user.id, SECRET, -60_000);
    const signature = token.slice(token.lastIndexOf(".") + 1);
    const altered = `${token.slice(0, token.lastIndexOf(".") + 1)}${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    const foreign = createUserToken("manage-registration", user.id, "another-secret-entirely-0123456789-abcdef", DAY_MS);
    const cases: [string, RegExp][] = [
      [confirmLink, /^This is the link that confirms your email address, not the one that manages your registration\./],
      [expired, /^This link has expired\./],
      [altered, /^This link is not valid\./],
      [foreign, /^This link is not valid\./],
      ["nonsense", /^This link is not valid\./],
    ];
    for (const [candidate, message] of cases) {
      await expect(caller().erase({ token: candidate, confirm: true })).rejects.toMatchObject({ code: "FORBIDDEN", message });
      await expect(caller().export({ token: candidate })).rejects.toMatchObject({ code: "FORBIDDEN", message });
    }
    expect(await codeOf(caller().erase({ token, confirm: false as true }))).toBe("BAD_REQUEST");
    expect(await database.db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
    expect(audit.map((line) => line.msg)).toEqual(Array(10).fill("manage link refused"));
    expect(audit[0]?.fields).toEqual({ reason: "wrong-purpose", by: "registrant (manage link)", clientAddress: CLIENT });
  });

  it("limits downloads and erasures per client address", async () => {
    const { user, token } = await person("Noether");
    const limited = caller(2);
    await limited.export({ token });
    await limited.export({ token });
    expect(await codeOf(limited.erase({ token, confirm: true }))).toBe("TOO_MANY_REQUESTS");
    expect(await database.db.user.findUnique({ where: { id: user.id } })).not.toBeNull();
  });
});
