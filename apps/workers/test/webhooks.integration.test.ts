import { QUEUES, UserRegistrationV1, deadLetterQueue, type WebhookEventType } from "@userstream/contracts";
import { encryptWebhookSecret, generateWebhookSecret } from "@userstream/contracts/webhook-secret";
import { testRegistration } from "@userstream/messaging/testing";
import { waitFor } from "@userstream/test-support";
import { startWebhookReceiver, type TestWebhookReceiver } from "@userstream/test-support/webhook-receiver";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../src/receiver/env";
import { startReceiver } from "../src/receiver/receiver";
import { loadSenderEnv } from "../src/sender/env";
import { startSender } from "../src/sender/sender";
import { TEST_SENDER_ENV, bedEnv, runUntilStopped, stopsAfterEach, useTestBed } from "./support";

/** The first event goes through receiver, relay and sender started just before: slow on a busy machine. */
const PIPELINE = { timeoutMs: 45_000 };

describe("outgoing webhooks, from a registration to an integrator's endpoint", () => {
  const bed = useTestBed();
  const stops = stopsAfterEach();
  let receiver: TestWebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    receiver.received.length = 0;
    receiver.answerWith(200);
    // Each test's endpoints only: an endpoint left enabled would get the next test's events.
    await bed.db.webhookEndpoint.deleteMany();
  });
  afterAll(() => receiver?.close());

  async function runPipeline(senderEnv: Record<string, string> = {}) {
    const env = bedEnv(bed, { RETRY_DELAYS_MS: "50,100" });
    await runUntilStopped(startReceiver(loadReceiverEnv(env)), stops);
    await runUntilStopped(
      startSender(
        loadSenderEnv({
          ...env,
          ...TEST_SENDER_ENV,
          SMTP_URL: "smtp://127.0.0.1:1",
          WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
          WEBHOOK_RELAY_INTERVAL_MS: "100",
          ...senderEnv,
        }),
      ),
      stops,
    );
  }

  /** An endpoint as the admin page makes it: its secret stored encrypted. */
  async function endpoint(url: string, events: WebhookEventType[] = ["user.registered"]) {
    const secret = generateWebhookSecret();
    const row = await bed.db.webhookEndpoint.create({
      data: {
        url,
        events,
        secretCiphertext: encryptWebhookSecret(secret, TEST_SENDER_ENV.CONFIRMATION_TOKEN_SECRET),
        createdBy: "admin@userstream.test",
      },
    });
    return { ...row, secret };
  }

  async function register(email: string) {
    const message = testRegistration({ firstName: "Grace", lastName: "Hopper", email });
    await bed.publisher.publish(UserRegistrationV1, message);
    return message.payload.registrationId;
  }

  const deliveryOf = (endpointId: string) =>
    bed.db.webhookDelivery.findFirst({ where: { endpointId }, include: { attemptsMade: { orderBy: { attempt: "asc" } } } });

  it("delivers user.registered once per new user, signed so that standardwebhooks verifies it", async () => {
    const subscribed = await endpoint(`${receiver.origin}/hooks/userstream`);
    const other = await endpoint(`${receiver.origin}/hooks/deletions`, ["user.deleted"]);
    await runPipeline();
    const registrationId = await register("grace.webhook@example.com");

    const [request] = await waitFor(() => receiver.received.length > 0 && receiver.received, PIPELINE);
    expect(request?.path).toBe("/hooks/userstream");
    const verified = new Webhook(subscribed.secret).verify(request?.body ?? "", request?.headers as Record<string, string>);
    const user = await bed.db.user.findUniqueOrThrow({ where: { email: "grace.webhook@example.com" } });
    expect(verified).toEqual({
      type: "user.registered",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: {
        userId: user.id,
        registrationId,
        firstName: "Grace",
        lastName: "Hopper",
        email: "grace.webhook@example.com",
        registeredAt: expect.any(String),
      },
    });
    expect(() => new Webhook(other.secret).verify(request?.body ?? "", request?.headers as Record<string, string>)).toThrow();

    const delivery = await waitFor(async () => {
      const row = await deliveryOf(subscribed.id);
      return row?.status === "delivered" && row;
    }, PIPELINE);
    expect(request?.headers["webhook-id"]).toBe(`msg_${delivery.id}`);
    expect(delivery).toMatchObject({ eventType: "user.registered", userId: user.id, attempts: 1, lastStatusCode: 200 });
    expect(delivery.attemptsMade).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 200, error: null, durationMs: expect.any(Number) }),
    ]);
    expect(await bed.db.webhookDelivery.count({ where: { endpointId: other.id } })).toBe(0);

    // The same address again is not a new user: no second event.
    const again = await register("grace.webhook@example.com");
    await waitFor(() => bed.db.registration.findUnique({ where: { id: again } }));
    expect(await bed.db.webhookDelivery.count()).toBe(1);
  });

  it("retries an endpoint that answers 500, then dead-letters the delivery; every attempt is recorded", async () => {
    const failing = await endpoint(`${receiver.origin}/hooks/broken`);
    receiver.answerWith(500);
    await runPipeline();
    await register("retried.webhook@example.com");

    const delivery = await waitFor(async () => {
      const row = await deliveryOf(failing.id);
      return row?.status === "dead" && row;
    }, PIPELINE);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((request) => request.headers["webhook-id"]))).toEqual(new Set([`msg_${delivery.id}`]));
    expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(delivery.attemptsMade.map(({ attempt, statusCode, error }) => ({ attempt, statusCode, error }))).toEqual([
      { attempt: 1, statusCode: 500, error: "HTTP 500" },
      { attempt: 2, statusCode: 500, error: "HTTP 500" },
      { attempt: 3, statusCode: 500, error: "HTTP 500" },
    ]);
    const parked = await waitFor(() => bed.channel.get(deadLetterQueue(QUEUES.webhookDeliver), { noAck: true }));
    expect(JSON.parse(parked.content.toString())).toMatchObject({
      type: "webhook.deliver",
      payload: { deliveryId: delivery.id },
    });
    expect(await bed.db.webhookEndpoint.findUniqueOrThrow({ where: { id: failing.id } })).toMatchObject({
      consecutiveFailures: 3,
      disabledAt: null,
    });
  });

  it("disables an endpoint after WEBHOOK_DISABLE_AFTER_FAILURES failed attempts in a row, and sends it nothing more", async () => {
    const failing = await endpoint(`${receiver.origin}/hooks/down`);
    receiver.answerWith(503);
    await runPipeline({ WEBHOOK_DISABLE_AFTER_FAILURES: "2" });
    await register("disabling.webhook@example.com");

    const disabled = await waitFor(async () => {
      const row = await bed.db.webhookEndpoint.findUniqueOrThrow({ where: { id: failing.id } });
      return row.disabledAt && row;
    }, PIPELINE);
    expect(disabled.consecutiveFailures).toBe(2);
    expect(disabled.disabledReason).toBe("disabled after 2 failed attempts in a row; the last: HTTP 503");
    const delivery = await waitFor(async () => {
      const row = await deliveryOf(failing.id);
      return row?.status === "failed" && row;
    }, PIPELINE);
    expect(delivery.attemptsMade).toHaveLength(2);
    expect(receiver.received).toHaveLength(2);

    // A disabled endpoint gets no deliveries for later events.
    const later = await register("after-disabling.webhook@example.com");
    await waitFor(() => bed.db.registration.findUnique({ where: { id: later } }));
    expect(await bed.db.webhookDelivery.count({ where: { endpointId: failing.id } })).toBe(1);
  });

  it("refuses at delivery a target that resolves to a loopback address, unless allowed", async () => {
    // Registered while it pointed elsewhere, say: `localhost` resolves to 127.0.0.1 now.
    const rebound = await endpoint(`http://localhost:${receiver.port}/hooks/internal`);
    await runPipeline({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "false" });
    await register("refused.webhook@example.com");

    const delivery = await waitFor(async () => {
      const row = await deliveryOf(rebound.id);
      return row?.status === "failed" && row;
    }, PIPELINE);
    expect(delivery.lastError).toMatch(
      /^localhost resolves to (127\.0\.0\.1|::1), which is a private, loopback or link-local address/,
    );
    expect(delivery.attemptsMade).toEqual([expect.objectContaining({ attempt: 1, statusCode: null, error: delivery.lastError })]);
    expect(receiver.received).toEqual([]);
  });
});
