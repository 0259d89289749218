import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createApiKey } from "./server/api-key-service";
import { MAX_BODY_BYTES } from "./server/api/limited-body";
import { startApi, stop } from "./server/api/testing";
import { sampleValue } from "@userstream/test-support";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

const person = () => ({ firstName: "Ada", lastName: "Lovelace", email: `${crypto.randomUUID()}@example.com` });
const invalid = { firstName: "Ada", lastName: "", email: "ada@" };
const oversized = { ...person(), firstName: "A".repeat(MAX_BODY_BYTES) };

function rest(url: string, body: unknown) {
  return fetch(`${url}/api/v1/registrations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function trpc(url: string, body: unknown) {
  const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: body }) };
  return fetch(`${url}/api/trpc/registration.submit`, init);
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
  return response.text();
}

/** The first JSON line with this message, once the server's output has reached the test. */
async function lineOf(api: ReturnType<typeof startApi>, msg: string): Promise<Record<string, unknown> | undefined> {
  const find = () => api.jsonLines().find((line) => line.msg === msg);
  await expect.poll(find).toBeDefined();
  return find();
}

/** A line's `time` is an ISO timestamp and `service` names the API server. */
function expectTimeAndService(line: Record<string, unknown> | undefined) {
  expect(line?.service).toBe("api");
  expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
}

describe("the API server's /metrics and log lines (start:api, against PostgreSQL and RabbitMQ)", () => {
  const database = setupTestDatabase("userstream_web_api_metrics");
  const broker = setupTestBroker("userstream-web-api-metrics");

  it("counts registrations accepted and refused (400, 413, 429) on both surfaces, times each route, and the broker's confirms", async () => {
    const api = startApi({ DATABASE_URL: database.url, AMQP_URL: broker.url, REGISTRATION_RATE_LIMIT: "4" });
    try {
      const url = await api.listening;
      // The limit (4 a minute) counts invalid attempts too, not bodies refused as too large.
      expect((await rest(url, person())).status).toBe(202);
      expect((await trpc(url, person())).status).toBe(200);
      expect((await rest(url, invalid)).status).toBe(400);
      expect((await trpc(url, invalid)).status).toBe(400);
      expect((await rest(url, oversized)).status).toBe(413);
      expect((await trpc(url, oversized)).status).toBe(413);
      expect((await rest(url, person())).status).toBe(429);
      expect((await trpc(url, person())).status).toBe(429);
      const id = crypto.randomUUID();
      expect((await fetch(`${url}/api/v1/registrations/${id}`)).status).toBe(200);

      // A response's duration is recorded once it has been written out, which the client may see first.
      const durations = (route: string, text: string) => sampleValue(text, "web_http_request_duration_seconds_count", { route });
      await expect.poll(async () => durations("/api/v1/registrations/{registrationId}", await scrape(url))).toBe(1);
      const text = await scrape(url);
      expect(sampleValue(text, "web_registrations_accepted_total")).toBe(2);
      for (const reason of ["400", "413", "429"])
        expect(sampleValue(text, "web_registrations_refused_total", { reason })).toBe(2);
      expect(sampleValue(text, "web_registrations_refused_total", { reason: "503" })).toBeUndefined();

      expect(durations("/api/v1/registrations", text)).toBe(4);
      expect(
        sampleValue(text, "web_http_request_duration_seconds_count", { route: "/api/trpc/{procedure}", status: "429" }),
      ).toBe(1);
      expect(durations("/api/trpc/{procedure}", text)).toBe(4);
      expect(text).not.toContain(id);
      const confirms = sampleValue(text, "web_publish_confirm_seconds_count", {
        queue: "user.registration",
        result: "confirmed",
      });
      expect(confirms).toBeGreaterThanOrEqual(2);
      // Node's process metrics, as every process has.
      expect(sampleValue(text, "process_cpu_user_seconds_total")).toBeGreaterThan(0);
    } finally {
      await stop(api.child);
    }
  });

  it("writes the audit trail as JSON lines with time and service, tagged log: audit", async () => {
    const api = startApi({ DATABASE_URL: database.url, AMQP_URL: broker.url });
    try {
      const url = await api.listening;
      const user = await database.db.user.create({
        data: {
          registrationId: crypto.randomUUID(),
          firstName: "Ada",
          lastName: "Lovelace",
          email: `${crypto.randomUUID()}@example.com`,
        },
      });
      const { apiKey, secret } = await createApiKey({ name: "audit test", scopes: ["read", "write"] }, "admin@example.com", {
        db: database.db,
      });
      const renamed = await fetch(`${url}/api/v1/users/${user.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
        body: JSON.stringify({ firstName: "Augusta" }),
      });
      expect(renamed.status).toBe(200);

      const audit = await lineOf(api, "user renamed");
      expect(audit).toMatchObject({ level: 30, log: "audit", userId: user.id, apiKey: "audit test", apiKeyId: apiKey.id });
      expectTimeAndService(audit);
    } finally {
      await stop(api.child);
    }
  });

  it("answers 503 when the broker is away, counts it, and logs the failure with time and service", async () => {
    // Port 1: nothing listens there, so every connection to the broker is refused.
    const api = startApi({
      DATABASE_URL: database.url,
      AMQP_URL: "amqp://guest:guest@127.0.0.1:1",
      REGISTRATION_RATE_LIMIT: "off",
    });
    try {
      const url = await api.listening;
      expect((await rest(url, person())).status).toBe(503);
      expect((await fetch(`${url}/api/health`)).status).toBe(503);
      // Not ready (the readiness probe takes it out of the Service), yet alive (no restart for the broker's outage).
      const ready = await fetch(`${url}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([503, { status: "error", checks: { database: "up", broker: "down" } }]);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);

      const text = await scrape(url);
      expect(sampleValue(text, "web_registrations_refused_total", { reason: "503" })).toBe(1);
      expect(sampleValue(text, "web_registrations_accepted_total")).toBe(0);

      const failed = await lineOf(api, "procedure failed");
      expect(failed).toMatchObject({
        level: 50,
        surface: "rest",
        path: "registration.submit",
        code: "SERVICE_UNAVAILABLE",
        error: { name: "PublishError" },
      });
      expectTimeAndService(failed);
      const health = await lineOf(api, "health check failed");
      expect(health).toMatchObject({ level: 50, check: "broker", error: expect.stringContaining("ECONNREFUSED") });
      expectTimeAndService(health);
    } finally {
      await stop(api.child);
    }
  });
});
