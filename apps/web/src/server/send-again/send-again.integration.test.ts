import { QUEUES, type NotificationStatus } from "@userstream/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import { actOnEmail } from "../admin/email-log-service";
import { handleRestRequest } from "../api/rest-handler";
import { TEST_ADMIN_SESSION, codeOf, procedureCaller } from "../api/testing";
import { setupTestBroker, setupTestDatabase, userWithWelcomeEmail } from "../testing";
import { SendAgainRefusedError } from "./send-again-limits";
import { SendAgainImpossibleError, sendWelcomeAgain } from "./send-again-service";

const T0 = new Date("2026-11-02T08:00:00.000Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const CLIENT = "203.0.113.7";
const POST_EMPTY = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };

describe("send the email again: limits per address and per client, in PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_send_again");
  const broker = setupTestBroker("userstream-web-send-again");

  beforeEach(async () => {
    await database.db.emailSendRequest.deleteMany();
    await database.db.registration.deleteMany();
    await database.db.notificationLog.deleteMany();
    await database.db.user.deleteMany();
    await broker.take(QUEUES.emailSend);
  });

  /** A new registration whose welcome email is in `status`. */
  async function registered(status: NotificationStatus, { verified = false } = {}) {
    const { registrationId, user, notification } = await userWithWelcomeEmail(database.db, status, {
      verifiedAt: verified ? T0 : undefined,
    });
    return { registrationId, userId: user.id, notificationId: notification.id };
  }

  const deps = (now: Date, clientKey = CLIENT) => ({ db: database.db, publisher: broker.publisher, clientKey, now });
  const welcome = (id: string) => database.db.notificationLog.findUniqueOrThrow({ where: { id } });
  /** What the sender does with a queued email: sends it and records `sent`. */
  const sendQueued = (id: string) => database.db.notificationLog.update({ where: { id }, data: { status: "sent" } });
  /** The `email.send` messages published (taken off the queue): what the sender would have sent. */
  const published = async () =>
    (await broker.take(QUEUES.emailSend)).map(
      (message) => (JSON.parse(message.content.toString()) as { payload: { notificationId: string } }).payload.notificationId,
    );
  async function refusal(promise: Promise<unknown>): Promise<SendAgainRefusedError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!(error instanceof SendAgainRefusedError)) throw new Error(`expected a refusal, got ${String(error)}`);
    return error;
  }

  it("sends again once per 10 minutes and five times a day per address; over it says when and sends nothing", async () => {
    const { registrationId, notificationId } = await registered("delivered");
    for (const at of [0, 10, 20, 30, 40]) {
      expect(await sendWelcomeAgain(registrationId, deps(minutes(at)))).toEqual({ registrationId, outcome: "queued" });
      expect(await published()).toEqual([notificationId]);
      await sendQueued(notificationId);
      if (at !== 0) continue;
      // A second within 10 minutes.
      const second = await refusal(sendWelcomeAgain(registrationId, deps(minutes(4))));
      expect(second.message).toBe(
        "The email was sent again to this address a moment ago. Nothing was sent. You can ask again at 08:10 UTC (in 6 minutes).",
      );
      expect(await published()).toEqual([]);
    }
    const sixth = await refusal(sendWelcomeAgain(registrationId, deps(minutes(55))));
    expect(sixth.message).toBe(
      "The email has been sent again to this address as often as allowed today. Nothing was sent. " +
        "You can ask again at 08:00 UTC (in 1385 minutes).",
    );
    expect(await published()).toEqual([]);
    expect(await welcome(notificationId)).toMatchObject({ status: "sent", resends: 5 });
    expect(await database.db.emailSendRequest.count({ where: { notificationId } })).toBe(5);

    // A day after the first, a slot is free again.
    expect(await sendWelcomeAgain(registrationId, deps(minutes(24 * 60 + 1)))).toMatchObject({ outcome: "queued" });
    expect(await published()).toEqual([notificationId]);
  });

  it("limits a client address too, across registrations, and tells it so", async () => {
    const first = await registered("sent");
    const second = await registered("sent");
    await sendWelcomeAgain(first.registrationId, deps(T0));
    const refused = await refusal(sendWelcomeAgain(second.registrationId, deps(minutes(1))));
    expect(refused).toMatchObject({ scope: "client", limit: "cooldown" });
    expect(refused.message).toMatch(/^Emails were sent again from your network too often\. Nothing was sent\. You can ask/);
    // Another network may ask for the same email.
    await sendWelcomeAgain(second.registrationId, deps(minutes(1), "198.51.100.9"));
    expect((await published()).sort()).toEqual([first.notificationId, second.notificationId].sort());
  });

  it("never sends again to a confirmed address, one that refused our email, or one still being sent", async () => {
    const cases = [
      [await registered("delivered", { verified: true }), "confirmed"],
      [await registered("bounced"), "undeliverable"],
      [await registered("complained"), "undeliverable"],
      [await registered("suppressed"), "undeliverable"],
      [await registered("queued"), "in-progress"],
      [await registered("sending"), "in-progress"],
    ] as const;
    for (const [{ registrationId, notificationId }, reason] of cases) {
      const status = (await welcome(notificationId)).status;
      await expect(sendWelcomeAgain(registrationId, deps(T0))).rejects.toEqual(new SendAgainImpossibleError(reason));
      expect(await welcome(notificationId)).toMatchObject({ status, resends: 0 });
    }
    await expect(sendWelcomeAgain(crypto.randomUUID(), deps(T0))).rejects.toEqual(new SendAgainImpossibleError("not-ready"));
    expect(new SendAgainImpossibleError("confirmed").message).toBe(
      "This address is already confirmed, so the welcome email is not sent again.",
    );
    expect(await published()).toEqual([]);
    expect(await database.db.emailSendRequest.count()).toBe(0);
  });

  it("answers a repeated address's registration like a new one, limits it the same, and sends nothing", async () => {
    const { userId, notificationId } = await registered("sent");
    const duplicateId = crypto.randomUUID();
    await database.db.registration.create({ data: { id: duplicateId, userId, outcome: "duplicate" } });

    expect(await sendWelcomeAgain(duplicateId, deps(T0))).toEqual({ registrationId: duplicateId, outcome: "queued" });
    const second = await refusal(sendWelcomeAgain(duplicateId, deps(minutes(4), "198.51.100.9")));
    expect(second.message).toMatch(/^The email was sent again to this address a moment ago\./);
    expect(await published()).toEqual([]);
    expect(await welcome(notificationId)).toMatchObject({ status: "sent", resends: 0 });
  });

  it("bounds the admin's resend by the same per-address limit", async () => {
    const { registrationId, notificationId } = await registered("sent");
    await sendWelcomeAgain(registrationId, deps(T0));
    await published();
    // The email sent again failed; the admin tries to resend it within the 10 minutes.
    await database.db.notificationLog.update({ where: { id: notificationId }, data: { status: "failed" } });
    const admin = { db: database.db, publisher: broker.publisher };
    const refused = await refusal(actOnEmail("resend", notificationId, "admin@example.com", { ...admin, now: minutes(3) }));
    expect(refused.message).toMatch(/^The email was sent again to this address a moment ago\. Nothing was sent\./);
    expect(await welcome(notificationId)).toMatchObject({ status: "failed", resends: 1 });
    expect(await database.db.emailAction.count()).toBe(0);
    expect(await published()).toEqual([]);

    expect(await actOnEmail("resend", notificationId, "admin@example.com", { ...admin, now: minutes(11) })).toMatchObject({
      outcome: "queued",
    });
    expect(await published()).toEqual([notificationId]);
    // ...and the admin's resend counts against the registrant's next request.
    await sendQueued(notificationId);
    await expect(sendWelcomeAgain(registrationId, deps(minutes(12)))).rejects.toBeInstanceOf(SendAgainRefusedError);
  });

  it("over tRPC: TOO_MANY_REQUESTS for the limit, CONFLICT when impossible; the admin's resend too", async () => {
    const { registrationId, notificationId } = await registered("sent");
    const caller = procedureCaller(database, broker);
    expect(await caller(null).registration.sendAgain({ registrationId })).toEqual({ registrationId, outcome: "queued" });
    await sendQueued(notificationId);
    expect(await codeOf(caller(null).registration.sendAgain({ registrationId }))).toBe("TOO_MANY_REQUESTS");
    await database.db.notificationLog.update({ where: { id: notificationId }, data: { status: "failed" } });
    expect(await codeOf(caller(TEST_ADMIN_SESSION).emails.resend({ id: notificationId }))).toBe("TOO_MANY_REQUESTS");
    const confirmed = await registered("delivered", { verified: true });
    expect(await codeOf(caller(null).registration.sendAgain({ registrationId: confirmed.registrationId }))).toBe("CONFLICT");
    expect(await codeOf(caller(null).registration.sendAgain({ registrationId: "not-a-uuid" }))).toBe("BAD_REQUEST");
    expect(await published()).toEqual([notificationId]);
  });

  it("over REST: 200 once, then 429 with Retry-After and the message; 409 for a confirmed address", async () => {
    const { registrationId, notificationId } = await registered("sent");
    const post = (id: string) =>
      handleRestRequest(new Request(`http://127.0.0.1:3000/api/v1/registrations/${id}/send-again`, POST_EMPTY), () => ({
        headers: new Headers(),
        db: database.db,
        publisher: broker.publisher,
        adminSession: null,
        clientAddress: CLIENT,
      }));
    const first = await post(registrationId);
    expect([first.status, await first.json()]).toEqual([200, { registrationId, outcome: "queued" }]);
    await sendQueued(notificationId);
    const second = await post(registrationId);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(9 * 60);
    expect(await second.json()).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/You can ask again at/),
    });
    const confirmed = await registered("delivered", { verified: true });
    const refused = await post(confirmed.registrationId);
    expect([refused.status, await refused.json()]).toEqual([
      409,
      { code: "CONFLICT", message: "This address is already confirmed, so the welcome email is not sent again." },
    ]);
  });

  it("records nothing when the broker does not confirm, so the attempt does not count", async () => {
    const { registrationId, notificationId } = await registered("sent");
    const down = { ...deps(T0), publisher: broker.unreachable };
    await expect(sendWelcomeAgain(registrationId, down)).rejects.toThrow();
    expect(await welcome(notificationId)).toMatchObject({ status: "sent" });
    expect(await database.db.emailSendRequest.count()).toBe(0);
    expect(await sendWelcomeAgain(registrationId, deps(minutes(1)))).toMatchObject({ outcome: "queued" });
  });
});
