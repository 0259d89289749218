import { EmailSendV1, UserRegistrationV1, createEnvelope } from "@userstream/contracts";
import { testRegistration } from "@userstream/messaging/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { loadSenderEnv } from "../src/sender/env";
import { startSender } from "../src/sender/sender";
import { startResendStandIn } from "./resend-stand-in";
import { metricValue, waitFor } from "@userstream/test-support";
import { TEST_SENDER_ENV, bedEnv, runUntilStopped, useTestBed } from "./support";

describe("welcome emails through the Resend API (local stand-in)", () => {
  const bed = useTestBed();
  let resend: Awaited<ReturnType<typeof startResendStandIn>>;
  const stops: Array<() => Promise<unknown>> = [];
  let senderPort: number;

  beforeAll(async () => {
    resend = await startResendStandIn();
    const env = bedEnv(bed, { RETRY_DELAYS_MS: "50,100" });
    const resendEnv = { EMAIL_PROVIDER: "resend", RESEND_API_KEY: "re_test_key_for_the_stand_in", RESEND_BASE_URL: resend.url };
    await runUntilStopped(startReceiver(loadReceiverEnv(env)), stops);
    senderPort = await runUntilStopped(startSender(loadSenderEnv({ ...env, ...TEST_SENDER_ENV, ...resendEnv })), stops);
  });
  afterEach(() => {
    resend.requests.length = 0;
  });
  afterAll(async () => {
    while (stops.length) await stops.pop()?.();
    await resend?.close();
  });

  async function register() {
    const message = testRegistration({ firstName: "Mary", lastName: "Jackson" });
    await bed.publisher.publish(UserRegistrationV1, message);
    return message.payload.email;
  }
  const row = (email: string) => bed.db.notificationLog.findFirst({ where: { user: { email } } });
  const settled = (email: string, status: string) => waitFor(async () => (await row(email))?.status === status && row(email));

  it("posts the email with its idempotency key and records Resend's id", async () => {
    const email = await register();
    const sent = await settled(email, "sent");
    const [request, ...more] = resend.emailRequests();
    expect(more).toEqual([]);
    expect(request?.headers.authorization).toBe("Bearer re_test_key_for_the_stand_in");
    expect(request?.headers["idempotency-key"]).toBe(`welcome/${sent?.id}`);
    expect(request?.body).toMatchObject({
      from: '"UserStream" <welcome@userstream.test>',
      to: [`"Mary Jackson" <${email}>`],
      subject: "Welcome to UserStream",
    });
    expect(String(request?.body.html)).toContain("/confirm?token=");
    expect(String(request?.body.text)).toContain("Hello Mary Jackson,");
    expect(sent).toMatchObject({ provider: "resend", attempts: 1 });
    expect(sent?.providerMessageId).toMatch(/^re_/);
  });

  it("honours 429 Retry-After, then sends with the same idempotency key", async () => {
    resend.reply({
      status: 429,
      body: { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests" },
      headers: { "retry-after": "1" },
    });
    const email = await register();
    const sent = await settled(email, "sent");
    const [limited, accepted] = resend.emailRequests();
    expect(sent?.attempts).toBe(2);
    expect((accepted?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(accepted?.headers["idempotency-key"]).toBe(limited?.headers["idempotency-key"]);
  });

  it("retries a 500 until the attempts run out, then marks the email dead", async () => {
    const failure = { status: 500, body: { statusCode: 500, name: "internal_server_error", message: "Something broke" } };
    resend.reply(failure, failure, failure);
    const email = await register();
    const dead = await settled(email, "dead");
    expect(dead?.attempts).toBe(3);
    expect(dead?.lastError).toContain("500");
    expect(resend.emailRequests()).toHaveLength(3);
  });

  it("does not retry a 422: the email is failed after one request", async () => {
    resend.reply({ status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field" } });
    const counted = (series: string) => metricValue(senderPort, series);
    const failedBefore = await counted('sender_emails_total{result="failed",provider="resend"}');
    const receivedBefore = await counted("sender_messages_received_total");
    const email = await register();
    // Settled as failed, without throwing: the message is acknowledged, so no retry can follow.
    await waitFor(async () => (await counted('sender_emails_total{result="failed",provider="resend"}')) === failedBefore + 1);
    expect(await counted("sender_messages_received_total")).toBe(receivedBefore + 1);
    const failed = await row(email);
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed?.lastError).toContain("Invalid `to` field");
    expect(resend.emailRequests()).toHaveLength(1);
  });

  it("takes over an email left mid-send by a dead sender only after its lease, with the same idempotency key", async () => {
    // As a sender that died after Resend accepted the email but before it recorded `sent` leaves it.
    const user = await bed.db.user.create({
      data: {
        registrationId: crypto.randomUUID(),
        firstName: "Dorothy",
        lastName: "Vaughan",
        email: `${crypto.randomUUID()}@example.com`,
      },
    });
    const leaseExpiresAt = new Date(Date.now() + 1_500);
    const left = await bed.db.notificationLog.create({
      data: { userId: user.id, kind: "welcome", status: "sending", attempts: 1, leaseExpiresAt },
    });
    await bed.publisher.publish(
      EmailSendV1,
      createEnvelope(EmailSendV1, { notificationId: left.id, kind: "welcome", registrationId: user.registrationId }),
    );

    const sent = await settled(user.email, "sent");
    const [request, ...more] = resend.emailRequests();
    expect(more).toEqual([]);
    expect(request?.at).toBeGreaterThanOrEqual(leaseExpiresAt.getTime());
    // Resend answers a repeated key with the first send's result instead of sending again.
    expect(request?.headers["idempotency-key"]).toBe(`welcome/${left.id}`);
    expect(sent?.attempts).toBe(2);
  });
});
