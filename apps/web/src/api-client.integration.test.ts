import { createUserStreamClient } from "@userstream/api-client";
import { spawnWorker, waitFor, type WorkerProcess } from "@userstream/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "./server/api-key-service";
import { setupApiServer } from "./server/api/testing";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

describe("the client generated from the OpenAPI document (packages/api-client) against the API server on its own", () => {
  const database = setupTestDatabase("userstream_web_api_client");
  const broker = setupTestBroker("userstream-web-api-client");
  const api = setupApiServer(() => ({ DATABASE_URL: database.url, AMQP_URL: broker.url, REGISTRATION_RATE_LIMIT: "off" }));
  // The receiver stores what the API accepts, so the client finds the user it registered.
  let receiver: WorkerProcess;
  beforeAll(async () => {
    receiver = spawnWorker("receiver", { DATABASE_URL: database.url, AMQP_URL: broker.url, LOG_LEVEL: "warn" });
    await receiver.ready();
  });
  afterAll(() => receiver?.stop());

  async function apiKey(scopes: Array<"read" | "write" | "delete">) {
    const { secret } = await createApiKey({ name: `client ${scopes.join(" ")}`, scopes }, "admin@example.com", {
      db: database.db,
    });
    return secret;
  }

  it("registers, follows the registration, then lists, reads, renames and deletes the user with an API key", async () => {
    const publicClient = createUserStreamClient({ baseUrl: api.url });
    const email = `${crypto.randomUUID()}@example.com`;
    const registered = await publicClient.POST("/registrations", {
      body: { firstName: "Katherine", lastName: "Johnson", email },
    });
    expect(registered.response.status).toBe(202);
    const registrationId = registered.data?.registrationId ?? "";

    const stored = await waitFor(async () => {
      const { data } = await publicClient.GET("/registrations/{registrationId}", { params: { path: { registrationId } } });
      return data?.status !== "queued" && data;
    });
    expect(stored).toMatchObject({ registrationId, status: expect.stringMatching(/^(stored|email_sent|email_failed)$/) });

    const client = createUserStreamClient({ baseUrl: api.url, apiKey: await apiKey(["read", "write", "delete"]) });
    const listed = await client.GET("/users", { params: { query: { search: "Katherine Johnson" } } });
    expect(listed.data).toMatchObject({ total: 1, items: [{ firstName: "Katherine", lastName: "Johnson", email }] });
    const id = listed.data?.items[0]?.id ?? "";

    const read = await client.GET("/users/{id}", { params: { path: { id } } });
    expect(read.data).toMatchObject({ id, email, emailVerified: false });

    const renamed = await client.PATCH("/users/{id}", { params: { path: { id } }, body: { lastName: "Goble Johnson" } });
    expect(renamed.data).toMatchObject({ id, firstName: "Katherine", lastName: "Goble Johnson" });
    expect(await database.db.user.findUnique({ where: { id } })).toMatchObject({ lastName: "Goble Johnson" });

    const deleted = await client.DELETE("/users/{id}", { params: { path: { id } } });
    expect(deleted.data).toEqual({ id, deleted: true });
    const gone = await client.GET("/users/{id}", { params: { path: { id } } });
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ code: "NOT_FOUND" });
  });

  it("gets the documented error bodies: 400 { errors }, 401 and 403 { message, code }", async () => {
    const publicClient = createUserStreamClient({ baseUrl: api.url });
    const invalid = await publicClient.POST("/registrations", {
      body: { firstName: "", lastName: "Johnson", email: "not-an-email" },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error).toMatchObject({ errors: { firstName: expect.any(String), email: expect.any(String) } });

    const anonymous = await publicClient.GET("/users", { params: { query: {} } });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error).toMatchObject({ code: "UNAUTHORIZED" });

    const reader = createUserStreamClient({ baseUrl: api.url, apiKey: await apiKey(["read"]) });
    const refused = await reader.DELETE("/users/{id}", { params: { path: { id: crypto.randomUUID() } } });
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ code: "FORBIDDEN" });
  });
});
