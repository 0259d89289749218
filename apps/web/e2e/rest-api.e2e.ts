import { expect, test } from "@playwright/test";
import { createTestApiKey, parkedRegistrations, storedWithLastName, uniqueName } from "./inspect";
import { registerByApi } from "./register-by-api";

test.describe("REST API", () => {
  test("POST /api/v1/registrations answers 202 and the registration is stored, then its email sent", async ({ request }) => {
    const lastName = uniqueName("Hopper");
    const response = await request.post("/api/v1/registrations", {
      data: { firstName: "Grace", lastName, email: `${lastName}@example.com` },
    });
    expect(response.status()).toBe(202);
    const { registrationId } = (await response.json()) as { registrationId: string };
    expect(registrationId).toMatch(/^[0-9a-f-]{36}$/);

    await expect
      .poll(async () => (await (await request.get(`/api/v1/registrations/${registrationId}`)).json()) as unknown, {
        timeout: 20_000,
      })
      .toEqual({ registrationId, status: "email_sent" });

    // The users are for other services: without a key, 401.
    expect((await request.get(`/api/v1/users?search=${lastName}`)).status()).toBe(401);
    const key = await createTestApiKey("rest e2e");
    const users = await request.get(`/api/v1/users?search=${lastName.toUpperCase()}&limit=5`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(users.status()).toBe(200);
    const page = (await users.json()) as { items: { email: string }[]; nextCursor: string | null; total: number };
    expect(page.total).toBe(1);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]?.email).toBe(`${lastName.toLowerCase()}@example.com`);
  });

  test("invalid input is a 400 with field errors and stores nothing", async ({ request }) => {
    const lastName = uniqueName("Turing");
    const parkedBefore = await parkedRegistrations();
    const response = await request.post("/api/v1/registrations", {
      data: { firstName: "", lastName, email: "nope" },
    });
    expect(response.status()).toBe(400);
    expect(await response.json()).toEqual({
      errors: { firstName: "First name is required", email: "Enter an email address like name@example.com" },
    });
    expect((await request.get("/api/v1/registrations/not-a-uuid")).status()).toBe(400);
    const key = await createTestApiKey("rest e2e invalid input");
    expect((await request.get("/api/v1/users?limit=1000", { headers: { authorization: `Bearer ${key}` } })).status()).toBe(400);
    // A sentinel with the same last name, registered after the refusal: once it is through, a refused
    // registration published before it would be stored (or dead-lettered, being invalid) too.
    const sentinel = `${lastName.toLowerCase()}@example.com`;
    await registerByApi(request, { firstName: "Alan", lastName, email: sentinel });
    expect(await storedWithLastName(lastName)).toEqual({ emails: [sentinel], registrations: 1 });
    expect(await parkedRegistrations()).toBe(parkedBefore);
  });

  test("the OpenAPI document and the health check are served", async ({ request }) => {
    const document = (await (await request.get("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/registrations", "/registrations/{registrationId}", "/users", "/users/{id}"]),
    );
    expect(document.paths["/registrations"]?.post?.responses).toHaveProperty("202");

    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", checks: { database: "up", broker: "up" } });
  });
});
