import { expect, test, type APIRequestContext } from "@playwright/test";
import { Registry } from "prom-client";
import { MAX_BODY_BYTES } from "../src/server/api/limited-body";
import { sampleValue } from "@userstream/test-support";
import committedAsyncApi from "@userstream/contracts/asyncapi.json" with { type: "json" };
import { createTestApiKey, parkedRegistrations, storedWithLastName, uniqueName } from "./inspect";
import { registerByApi } from "./register";

async function scrape(request: APIRequestContext): Promise<string> {
  const response = await request.get("/metrics");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  return response.text();
}

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

  test("/metrics counts the registrations accepted and refused, times each route and the broker's confirms", async ({
    request,
  }) => {
    const before = await scrape(request);
    // Series with labels appear once first seen: absent before means none yet.
    const earlier = (name: string, labels?: Record<string, string>) => sampleValue(before, name, labels) ?? 0;
    const lastName = uniqueName("Metrics");
    const register = (data: object) => request.post("/api/v1/registrations", { data });
    expect((await register({ firstName: "Ada", lastName, email: `${lastName}@example.com` })).status()).toBe(202);
    expect((await register({ firstName: "", lastName, email: "nope" })).status()).toBe(400);
    expect((await register({ firstName: "A".repeat(MAX_BODY_BYTES), lastName, email: `${lastName}@example.com` })).status()).toBe(
      413,
    );
    expect((await request.get("/")).status()).toBe(200);

    const registrationsTimed = { route: "/api/v1/registrations", method: "POST" };
    const durationCount = "web_http_request_duration_seconds_count";
    // A response's duration is recorded once it has been written out, which the client may see first.
    await expect
      .poll(async () => sampleValue(await scrape(request), durationCount, registrationsTimed))
      .toBe(earlier(durationCount, registrationsTimed) + 3);
    const after = await scrape(request);
    const accepted = sampleValue(after, "web_registrations_accepted_total");
    expect(accepted).toBe(earlier("web_registrations_accepted_total") + 1);
    for (const reason of ["400", "413"]) {
      expect(sampleValue(after, "web_registrations_refused_total", { reason })).toBe(
        earlier("web_registrations_refused_total", { reason }) + 1,
      );
    }
    const page = { route: "/", method: "GET", status: "200" };
    expect(sampleValue(after, durationCount, page)).toBeGreaterThan(earlier(durationCount, page));
    expect(after).not.toContain(lastName);
    const confirmed = sampleValue(after, "web_publish_confirm_seconds_count", {
      queue: "user.registration",
      result: "confirmed",
    });
    expect(confirmed).toBeGreaterThanOrEqual(accepted ?? Infinity);
  });

  test("the OpenAPI and AsyncAPI documents and the health check are served", async ({ request }) => {
    const document = (await (await request.get("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(["/registrations", "/registrations/{registrationId}", "/users", "/users/{id}"]),
    );
    expect(document.paths["/registrations"]?.post?.responses).toHaveProperty("202");
    // The message contracts beside it: the AsyncAPI document committed in packages/contracts.
    const asyncApi = await request.get("/api/asyncapi.json");
    expect(asyncApi.status()).toBe(200);
    expect(await asyncApi.json()).toEqual(committedAsyncApi);

    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", checks: { database: "up", broker: "up" } });
    // The probes' names, as every worker serves them.
    const ready = await request.get("/readyz");
    expect([ready.status(), await ready.json()]).toEqual([200, { status: "ok", checks: { database: "up", broker: "up" } }]);
    const alive = await request.get("/healthz");
    expect([alive.status(), await alive.json()]).toEqual([200, { status: "ok" }]);
  });
});
