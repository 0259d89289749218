import { createPublisher, type Publisher } from "@userstream/messaging";
import { beforeAll, describe, expect, it } from "vitest";
import { REGISTRATION_UNAVAILABLE_MESSAGE } from "~/lib/registration-messages";
import { setupTestBroker, setupTestDatabase } from "../testing";
import { handleRestRequest } from "./rest-handler";

const ORIGIN = "http://127.0.0.1:3000";

describe("REST surface (/api/v1) against PostgreSQL and RabbitMQ", () => {
  const database = setupTestDatabase("userstream_web_rest");
  const broker = setupTestBroker("userstream-web-rest");
  let closed: Publisher;

  beforeAll(async () => {
    // As on SIGTERM: the shutdown closes the app's publisher first.
    closed = createPublisher(broker.url);
    await closed.close();
  });

  type Broker = "up" | "down" | "shutting down";
  function call(path: string, init: RequestInit = {}, state: Broker = "up") {
    return handleRestRequest(new Request(`${ORIGIN}/api/v1${path}`, init), ({ headers }) => ({
      headers,
      db: database.db,
      publisher: { up: broker.publisher, down: broker.unreachable, "shutting down": closed }[state],
      adminSession: null,
    }));
  }

  function postJson(path: string, body: unknown, state: Broker = "up") {
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    return call(path, init, state);
  }

  it("accepts a registration with 202 and its id, then reports it queued", async () => {
    const response = await postJson("/registrations", { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    expect(response.status).toBe(202);
    const { registrationId } = (await response.json()) as { registrationId: string };

    const status = await call(`/registrations/${registrationId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({ registrationId, status: "queued" });
  });

  it("reports the stored registration's progress with the contract's status names", async () => {
    const registrationId = crypto.randomUUID();
    const user = await database.db.user.create({
      data: { registrationId, firstName: "Ada", lastName: "Lovelace", email: "ada.status@example.com" },
    });
    await database.db.registration.create({ data: { id: registrationId, userId: user.id, outcome: "created" } });
    expect(await (await call(`/registrations/${registrationId}`)).json()).toEqual({ registrationId, status: "stored" });

    await database.db.notificationLog.create({ data: { userId: user.id, kind: "welcome", status: "sent", sentAt: new Date() } });
    expect(await (await call(`/registrations/${registrationId}`)).json()).toEqual({ registrationId, status: "email_sent" });

    const duplicateId = crypto.randomUUID();
    await database.db.registration.create({ data: { id: duplicateId, userId: user.id, outcome: "duplicate" } });
    expect(await (await call(`/registrations/${duplicateId}`)).json()).toEqual({
      registrationId: duplicateId,
      status: "email_sent",
    });
  });

  it("answers invalid input with 400 { errors: { field: message } }", async () => {
    const response = await postJson("/registrations", { firstName: "Ada", lastName: "", email: "ada@" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: { lastName: "Last name is required", email: "Enter an email address like name@example.com" },
    });
  });

  it("answers a body that is not JSON with 400 { errors }", async () => {
    const response = await call("/registrations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { form: expect.any(String) } });
  });

  it.each([
    ["when the broker cannot be reached", "down"],
    ["not accepted, once the server is shutting down", "shutting down"],
  ] as const)("answers 503 refused, with a clear message, %s", async (_, state) => {
    const response = await postJson(
      "/registrations",
      { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
      state,
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      message: REGISTRATION_UNAVAILABLE_MESSAGE,
      code: "SERVICE_UNAVAILABLE",
      outcome: "refused",
    });
  });

  it("answers 400 for a registration id that is not a UUID", async () => {
    const response = await call("/registrations/not-a-uuid");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: { registrationId: "Registration id must be a UUID" } });
  });

  it("answers 401 for the users without an API key (their tests: users-rest.integration.test.ts)", async () => {
    const response = await call("/users?search=AN&limit=1");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses an oversized body with 413 and an unknown route with 404", async () => {
    const big = await postJson("/registrations", { firstName: "A".repeat(100_000), lastName: "B", email: "c@d.ee" });
    expect(big.status).toBe(413);
    expect((await call("/nothing-here")).status).toBe(404);
  });
});
