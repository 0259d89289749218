import { createHmac, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  INVALID_SIGNATURE_MESSAGE,
  WEBHOOK_NOT_CONFIGURED_MESSAGE,
  receiveResendWebhook,
} from "./server/deliverability/resend-webhook";
import { setupApiServer } from "./server/api/testing";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

const SECRET_BYTES = Buffer.from("a-webhook-secret-for-the-tests-only");
const SECRET = `whsec_${SECRET_BYTES.toString("base64")}`;

/**
 * Signs as Resend (Svix) documents it: HMAC-SHA256, keyed with the base64-decoded secret after
 * `whsec_`, of `${id}.${timestamp}.${body}`, sent as `v1,<base64>` in svix-signature.
 */
function signedHeaders(body: string, options: { id?: string; timestamp?: number; secret?: Buffer } = {}) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", options.secret ?? SECRET_BYTES)
    .update(`${id}.${timestamp}.${body}`)
    .digest("base64");
  return { "content-type": "application/json", "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signature}` };
}

function resendEvent(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from: "UserStream <welcome@example.com>",
      to: [to],
      subject: "Welcome to UserStream",
      ...extra,
    },
  });
}

describe("POST /api/webhooks/resend on the API server (start:api), against PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_resend_webhook");
  const broker = setupTestBroker("userstream-web-resend-webhook");
  const api = setupApiServer(() => ({
    DATABASE_URL: database.url,
    AMQP_URL: broker.url,
    RESEND_WEBHOOK_SECRET: SECRET,
    SUPPRESS_AFTER_SOFT_BOUNCES: "2",
  }));

  /** A user whose welcome email Resend took, under a message id of its own. */
  async function sentThroughResend(email: string) {
    const emailId = randomUUID();
    const user = await database.db.user.create({
      data: {
        registrationId: randomUUID(),
        firstName: "Ada",
        lastName: "Lovelace",
        email,
        notificationLogs: {
          create: {
            kind: "welcome",
            status: "sent",
            provider: "resend",
            providerMessageId: emailId,
            attempts: 1,
            sentAt: new Date(),
          },
        },
      },
      include: { notificationLogs: true },
    });
    return { emailId, notificationId: user.notificationLogs[0]!.id };
  }

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${api.url}/api/webhooks/resend`, { method: "POST", headers, body });
  const statusOf = async (id: string) => (await database.db.notificationLog.findUniqueOrThrow({ where: { id } })).status;
  const eventsOf = (notificationId: string) =>
    database.db.notificationEvent.findMany({ where: { notificationId }, orderBy: { receivedAt: "asc" } });

  it("moves a notification to delivered on a signed email.delivered, and keeps the event on its timeline", async () => {
    const { emailId, notificationId } = await sentThroughResend("delivered@example.com");
    const body = resendEvent("email.delivered", emailId, "delivered@example.com");
    const headers = signedHeaders(body);
    const answer = await post(body, headers);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ outcome: "recorded" });
    expect(await statusOf(notificationId)).toBe("delivered");
    expect(await eventsOf(notificationId)).toMatchObject([
      { type: "delivered", provider: "resend", providerEventId: headers["svix-id"], providerMessageId: emailId },
    ]);
  });

  it("refuses a bad signature, a stale timestamp and another secret's signature with 401, and records nothing", async () => {
    const { emailId, notificationId } = await sentThroughResend("refused@example.com");
    const body = resendEvent("email.bounced", emailId, "refused@example.com", {
      bounce: { type: "Permanent", subType: "General", message: "550 no such user" },
    });
    const tampered = { ...signedHeaders(body), "svix-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
    const stale = signedHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    const otherSecret = signedHeaders(body, { secret: Buffer.from("someone-else's-secret") });
    const { "svix-signature": _, ...unsigned } = signedHeaders(body);
    const alteredBody = body.replace("550 no such user", "250 ok");
    for (const [what, request] of [
      ["tampered", post(body, tampered)],
      ["stale", post(body, stale)],
      ["other secret", post(body, otherSecret)],
      ["unsigned", post(body, unsigned)],
      ["altered body", post(alteredBody, signedHeaders(body))],
    ] as const) {
      const answer = await request;
      expect(answer.status, what).toBe(401);
      expect(await answer.json(), what).toEqual({ message: INVALID_SIGNATURE_MESSAGE });
    }
    expect(await statusOf(notificationId)).toBe("sent");
    expect(await eventsOf(notificationId)).toEqual([]);
    expect(await database.db.suppression.count({ where: { address: "refused@example.com" } })).toBe(0);
  });

  it("accepts a replayed event id and ignores it: one event, no second effect", async () => {
    const { emailId, notificationId } = await sentThroughResend("replayed@example.com");
    const body = resendEvent("email.complained", emailId, "replayed@example.com");
    const headers = signedHeaders(body);
    expect(await (await post(body, headers)).json()).toMatchObject({ outcome: "suppressed" });
    const suppressed = await database.db.suppression.findUniqueOrThrow({ where: { address: "replayed@example.com" } });
    await database.db.suppression.delete({ where: { address: "replayed@example.com" } });

    const again = await post(body, signedHeaders(body, { id: headers["svix-id"] }));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ outcome: "duplicate" });
    expect(await eventsOf(notificationId)).toHaveLength(1);
    // The replay did not suppress the address a second time.
    expect(await database.db.suppression.count({ where: { address: "replayed@example.com" } })).toBe(0);
    expect(suppressed).toMatchObject({ reason: "complaint" });
    expect(await statusOf(notificationId)).toBe("complained");
  });

  it("suppresses on a hard bounce at once, and on soft bounces only at SUPPRESS_AFTER_SOFT_BOUNCES (2 here)", async () => {
    const hard = await sentThroughResend("hard@example.com");
    const hardBody = resendEvent("email.bounced", hard.emailId, "Hard@Example.com", {
      bounce: { type: "Permanent", subType: "General", message: "no such user" },
    });
    expect(await (await post(hardBody, signedHeaders(hardBody))).json()).toMatchObject({ outcome: "suppressed" });
    const [hardEvent] = await eventsOf(hard.notificationId);
    expect(await database.db.suppression.findUnique({ where: { address: "hard@example.com" } })).toMatchObject({
      reason: "hard_bounce",
      sourceEventId: hardEvent!.id,
    });
    expect(hardEvent).toMatchObject({ type: "bounced", permanent: true, detail: "General: no such user" });
    expect(await statusOf(hard.notificationId)).toBe("bounced");

    const soft = await sentThroughResend("soft@example.com");
    const softBody = resendEvent("email.bounced", soft.emailId, "soft@example.com", {
      bounce: { type: "Transient", subType: "MailboxFull", message: "mailbox full" },
    });
    expect(await (await post(softBody, signedHeaders(softBody))).json()).toMatchObject({ outcome: "recorded" });
    expect(await database.db.suppression.findUnique({ where: { address: "soft@example.com" } })).toBeNull();
    expect(await (await post(softBody, signedHeaders(softBody))).json()).toMatchObject({ outcome: "suppressed" });
    expect(await database.db.suppression.findUnique({ where: { address: "soft@example.com" } })).toMatchObject({
      reason: "soft_bounces",
    });
  });

  it("acknowledges event types it does not keep and emails that are not ours, changing no email", async () => {
    const opened = resendEvent("email.opened", randomUUID(), "x@example.com");
    expect(await (await post(opened, signedHeaders(opened))).json()).toMatchObject({ outcome: "ignored" });
    const foreign = resendEvent("email.bounced", randomUUID(), "foreign@example.com", {
      bounce: { type: "Permanent", subType: "General", message: "gone" },
    });
    expect(await (await post(foreign, signedHeaders(foreign))).json()).toMatchObject({ outcome: "unmatched" });
    expect(await database.db.suppression.count({ where: { address: "foreign@example.com" } })).toBe(0);
  });

  it("answers 503 and records nothing where no secret is configured", async () => {
    const body = resendEvent("email.delivered", randomUUID(), "x@example.com");
    const answer = await receiveResendWebhook(body, new Headers(signedHeaders(body)), {
      db: database.db,
      secret: undefined,
      softBounceLimit: 3,
    });
    expect(answer).toEqual({ status: 503, body: { message: WEBHOOK_NOT_CONFIGURED_MESSAGE } });
  });
});
