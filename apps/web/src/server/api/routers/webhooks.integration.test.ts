import { decryptWebhookSecret } from "@userstream/contracts/webhook-secret";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { setupTestDatabase, UNREACHABLE_AMQP_URL } from "../../testing";
import { confirmEmail } from "../../email-confirmation-service";
import { createUserToken } from "@userstream/contracts/user-token";
import { createPublisher } from "@userstream/messaging";
import { createCaller } from "../root";
import { TEST_ADMIN_SESSION, codeOf } from "../testing";

const SECRETS_KEY = "test-confirmation-secret-0123456789-0123456789";

describe("webhooks router (the admin's endpoints) and the events the web records", () => {
  const database = setupTestDatabase("userstream_web_webhooks");
  const caller = (allowPrivateTargets: boolean, adminSession: typeof TEST_ADMIN_SESSION | null = TEST_ADMIN_SESSION) =>
    createCaller({
      headers: new Headers(),
      db: database.db,
      publisher: createPublisher(UNREACHABLE_AMQP_URL),
      adminSession,
      webhooks: { allowPrivateTargets, secretsKey: SECRETS_KEY },
    });

  /** The error a call was refused with: BAD_REQUEST, its cause the field errors the form shows. */
  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    return error as TRPCError;
  }

  it("makes an endpoint whose secret is shown once and stored only encrypted, for admins only", async () => {
    expect(await codeOf(caller(true, null).webhooks.endpoints())).toBe("UNAUTHORIZED");
    const made = await caller(true).webhooks.create({
      url: "http://127.0.0.1:9/hooks",
      events: ["user.registered", "user.deleted"],
      description: "CRM sync",
    });
    if (!made.ok) throw new Error("expected the endpoint to be made");
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const [listed] = await caller(true).webhooks.endpoints();
    expect(listed).toMatchObject({ id: made.endpoint.id, events: ["user.registered", "user.deleted"], description: "CRM sync" });
    expect(JSON.stringify(listed)).not.toContain(made.secret.slice(6));
    const row = await database.db.webhookEndpoint.findUniqueOrThrow({ where: { id: made.endpoint.id } });
    expect(row.secretCiphertext).not.toContain(made.secret.slice(6));
    expect(decryptWebhookSecret(row.secretCiphertext, SECRETS_KEY)).toBe(made.secret);
    expect(row.createdBy).toBe(TEST_ADMIN_SESSION.email);
    await database.db.webhookEndpoint.deleteMany();
  });

  it.each([
    ["http://127.0.0.1:8080/hooks", /^127\.0\.0\.1 is a private, loopback or link-local address/],
    ["http://localhost/hooks", /^localhost resolves to (127\.0\.0\.1|::1), which is a private/],
    ["http://[::1]:8080/hooks", /^::1 is a private/],
    ["http://169.254.169.254/latest/meta-data", /^169\.254\.169\.254 is a private/],
    ["http://10.0.0.5/hooks", /^10\.0\.0\.5 is a private/],
  ])("refuses %s with a field error and stores nothing, unless private targets are allowed", async (url, message) => {
    const refused = await refusal(caller(false).webhooks.create({ url, events: ["user.registered"] }));
    expect(refused.message).toMatch(message);
    expect((refused.cause as unknown as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(["url"]);
    expect(await database.db.webhookEndpoint.count()).toBe(0);

    expect(await caller(true).webhooks.create({ url, events: ["user.registered"] })).toMatchObject({ ok: true });
    await database.db.webhookEndpoint.deleteMany();
  });

  it("refuses an address that is not http(s), a user name in it, or no event", async () => {
    for (const input of [
      { url: "ftp://example.com/hooks", events: ["user.registered" as const] },
      { url: "https://user:pass@example.com/hooks", events: ["user.registered" as const] },
      { url: "https://example.com/hooks", events: [] },
    ]) {
      expect(await codeOf(caller(true).webhooks.create(input))).toBe("BAD_REQUEST");
    }
    expect(await database.db.webhookEndpoint.count()).toBe(0);
  });

  it("records user.email_confirmed once, and user.deleted with earlier deliveries stripped of personal data", async () => {
    const endpoint = await caller(true).webhooks.create({
      url: "http://127.0.0.1:9/hooks",
      events: ["user.email_confirmed", "user.deleted"],
    });
    const user = await database.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: "Lovelace", email: "ada.hooks@example.com" },
    });
    const token = createUserToken("confirm-email", user.id, SECRETS_KEY, 60_000);
    expect(await confirmEmail(token, { db: database.db, secret: SECRETS_KEY })).toBe("confirmed");
    expect(await confirmEmail(token, { db: database.db, secret: SECRETS_KEY })).toBe("already-confirmed");
    const confirmed = await database.db.webhookDelivery.findMany({ where: { userId: user.id } });
    expect(confirmed).toEqual([
      expect.objectContaining({
        eventType: "user.email_confirmed",
        status: "pending",
        data: { userId: user.id, email: "ada.hooks@example.com", confirmedAt: expect.any(String) },
      }),
    ]);

    await caller(true).adminUsers.delete({ id: user.id });
    const deliveries = await database.db.webhookDelivery.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(deliveries.map(({ eventType, data }) => ({ eventType, data }))).toEqual([
      { eventType: "user.email_confirmed", data: { userId: user.id } },
      { eventType: "user.deleted", data: { userId: user.id, deletedAt: expect.any(String) } },
    ]);
    expect(deliveries.every((delivery) => delivery.endpointId === (endpoint.ok && endpoint.endpoint.id))).toBe(true);
    // A second delete finds nobody and records nothing.
    expect(await codeOf(caller(true).adminUsers.delete({ id: user.id }))).toBe("NOT_FOUND");
    expect(await database.db.webhookDelivery.count({ where: { eventType: "user.deleted" } })).toBe(1);
    await database.db.webhookEndpoint.deleteMany();
  });

  it("records nothing for a disabled endpoint, and replays only failed or dead deliveries of enabled ones", async () => {
    const made = await caller(true).webhooks.create({ url: "http://127.0.0.1:9/hooks", events: ["user.deleted"] });
    if (!made.ok) throw new Error("expected the endpoint to be made");
    const user = await database.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Alan", lastName: "Turing", email: "alan.hooks@example.com" },
    });
    await caller(true).adminUsers.delete({ id: user.id });
    const delivery = await database.db.webhookDelivery.findFirstOrThrow({ where: { userId: user.id } });
    expect(await codeOf(caller(true).webhooks.replay({ id: delivery.id }))).toBe("CONFLICT");

    await database.db.webhookDelivery.update({ where: { id: delivery.id }, data: { status: "dead" } });
    await caller(true).webhooks.setEnabled({ id: made.endpoint.id, enabled: false });
    expect(await codeOf(caller(true).webhooks.replay({ id: delivery.id }))).toBe("CONFLICT");
    const other = await database.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Joan", lastName: "Clarke", email: "joan.hooks@example.com" },
    });
    await caller(true).adminUsers.delete({ id: other.id });
    expect(await database.db.webhookDelivery.count({ where: { userId: other.id } })).toBe(0);

    await caller(true).webhooks.setEnabled({ id: made.endpoint.id, enabled: true });
    expect(await caller(true).webhooks.replay({ id: delivery.id })).toEqual({ id: delivery.id, status: "pending" });
    expect(await database.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: "pending",
    });
    expect(await codeOf(caller(true).webhooks.replay({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");

    await caller(true).webhooks.delete({ id: made.endpoint.id });
    expect(await database.db.webhookDelivery.count()).toBe(0);
  });
});
