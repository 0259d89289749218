import { spawnWorker, waitFor, type WorkerProcess } from "@userstream/test-support";
import { startTestSmtpServer, type TestSmtpServer } from "@userstream/test-support/smtp";
import { startWebhookReceiver, type TestWebhookReceiver } from "@userstream/test-support/webhook-receiver";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../api/root";
import { TEST_ADMIN_SESSION } from "../api/testing";
import { setupTestBroker, setupTestDatabase } from "../testing";

const SECRETS_KEY = "test-confirmation-secret-0123456789-0123456789";
/** A real sender process starts, consumes and retries: slow on a busy machine. */
const TIMEOUT_MS = 60_000;

describe("a failed webhook delivery, replayed from the admin page, reaches the endpoint (a real sender process)", () => {
  const database = setupTestDatabase("userstream_web_webhook_replay");
  const broker = setupTestBroker("userstream-web-webhook-replay");
  let receiver: TestWebhookReceiver;
  let sender: WorkerProcess;
  // The sender is ready only with its mail server up, though no email is sent here.
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    smtp = await startTestSmtpServer();
    sender = spawnWorker("sender", {
      DATABASE_URL: database.url,
      AMQP_URL: broker.url,
      CONFIRMATION_TOKEN_SECRET: SECRETS_KEY,
      SMTP_URL: smtp.url,
      RETRY_DELAYS_MS: "50,100",
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      WEBHOOK_RELAY_INTERVAL_MS: "100",
      LOG_LEVEL: "warn",
    });
    await sender.ready(TIMEOUT_MS);
  }, 90_000);
  afterAll(async () => {
    await sender?.stop();
    await receiver?.close();
    await smtp?.close();
  });

  /** How long to wait for the sender, and its output if it does not make it. */
  const bySender = (what: string) => ({ timeoutMs: TIMEOUT_MS, what, output: () => sender.output() });

  const admin = () =>
    createCaller({
      headers: new Headers(),
      db: database.db,
      publisher: broker.publisher,
      adminSession: TEST_ADMIN_SESSION,
      webhooks: { allowPrivateTargets: true, secretsKey: SECRETS_KEY },
    });

  it(
    "retries a 500 until the delivery is dead, then delivers it once replayed; every attempt is listed",
    { timeout: 150_000 },
    async () => {
      const made = await admin().webhooks.create({ url: `${receiver.origin}/hooks/crm`, events: ["user.deleted"] });
      if (!made.ok) throw new Error("expected the endpoint to be made");
      const user = await database.db.user.create({
        data: { registrationId: crypto.randomUUID(), firstName: "Hedy", lastName: "Lamarr", email: "hedy.replay@example.com" },
      });
      receiver.answerWith(500);
      await admin().adminUsers.delete({ id: user.id });

      const [dead] = await waitFor(async () => {
        const deliveries = await admin().webhooks.deliveries({ endpointId: made.endpoint.id });
        return deliveries[0]?.status === "dead" && deliveries;
      }, bySender("a dead delivery"));
      expect(dead?.attemptsMade.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500]);
      expect(await broker.queued("webhook.deliver.dead")).toBe(1);

      receiver.answerWith(204);
      await admin().webhooks.replay({ id: dead?.id ?? "" });
      const [delivered] = await waitFor(async () => {
        const deliveries = await admin().webhooks.deliveries({ endpointId: made.endpoint.id });
        return deliveries[0]?.status === "delivered" && deliveries;
      }, bySender("the replayed delivery delivered"));
      expect(delivered?.attemptsMade.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 204]);
      expect(delivered?.attemptsMade.every((attempt) => attempt.durationMs >= 0)).toBe(true);

      const last = receiver.received.at(-1);
      expect(receiver.received).toHaveLength(4);
      expect(last?.headers["webhook-id"]).toBe(`msg_${dead?.id}`);
      expect(new Webhook(made.secret).verify(last?.body ?? "", last?.headers as Record<string, string>)).toMatchObject({
        type: "user.deleted",
        data: { userId: user.id },
      });
      const [endpoint] = await admin().webhooks.endpoints();
      expect(endpoint).toMatchObject({ consecutiveFailures: 0, disabledAt: null });
    },
  );
});
