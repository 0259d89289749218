import { once } from "node:events";
import { EXIT_CONFIG } from "@userstream/runtime/load-env-files";
import { QUEUES } from "@userstream/contracts";
import committedAsyncApi from "@userstream/contracts/asyncapi.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "./server/api/limited-body";
import { setupApiServer, startApi, stop } from "./server/api/testing";
import { setupTestBroker, setupTestDatabase } from "./server/testing";
import { runTrustedProxyScenario, TRUSTED_PROXY_SCENARIO_ENV } from "./server/trusted-proxy-scenario";

const registration = { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" };

describe("the REST API on its own (start:api), against PostgreSQL and RabbitMQ", () => {
  const database = setupTestDatabase("userstream_web_api_server");
  const broker = setupTestBroker("userstream-web-api-server");
  const api = setupApiServer(() => ({
    DATABASE_URL: database.url,
    AMQP_URL: broker.url,
    REGISTRATION_RATE_LIMIT: "off",
    APP_URL: "http://api.test",
  }));

  /** The registrations waiting in the vhost's queue, taken off it. */
  async function takeQueued(): Promise<Array<{ id: string; payload: { email: string } }>> {
    return (await broker.take(QUEUES.registration)).map(
      (message) => JSON.parse(message.content.toString()) as { id: string; payload: { email: string } },
    );
  }

  function post(body: string, headers: Record<string, string> = {}, to = api.url) {
    return fetch(`${to}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  }

  it("accepts a registration with 202, queues it once, and reports it queued", async () => {
    const response = await post(JSON.stringify(registration));
    expect(response.status).toBe(202);
    const { registrationId } = (await response.json()) as { registrationId: string };

    const queued = await takeQueued();
    expect(queued.map((message) => [message.id, message.payload.email])).toEqual([[registrationId, "ada@example.com"]]);
    const status = await fetch(`${api.url}/api/v1/registrations/${registrationId}`);
    expect(await status.json()).toEqual({ registrationId, status: "queued" });
  });

  it("answers bad input with 400 { errors } and an oversized body with 413, queueing nothing", async () => {
    const invalid = await post(JSON.stringify({ ...registration, lastName: "", email: "ada@" }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      errors: { lastName: "Last name is required", email: "Enter an email address like name@example.com" },
    });

    const huge = await post(JSON.stringify({ ...registration, firstName: "A".repeat(MAX_BODY_BYTES) }));
    expect(huge.status).toBe(413);
    // A body sent in chunks with no length, sixteen times the limit: answered 413 as well, not cut off.
    const chunk = new TextEncoder().encode("A".repeat(MAX_BODY_BYTES));
    const streamed = await fetch(`${api.url}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 16; i++) controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ message: "Request body too large", code: "PAYLOAD_TOO_LARGE" });
    expect(await takeQueued()).toEqual([]);
  });

  it("limits registrations per connection address, whatever address headers the client makes up", async () => {
    const limited = startApi({ DATABASE_URL: database.url, AMQP_URL: broker.url, REGISTRATION_RATE_LIMIT: "1" });
    try {
      const limitedUrl = await limited.listening;
      const madeUp = (address: string) => ({ "x-userstream-client-address": address, "x-forwarded-for": address });
      expect((await post(JSON.stringify(registration), madeUp("198.51.100.1"), limitedUrl)).status).toBe(202);
      const spoofed = await post(
        JSON.stringify({ ...registration, email: "second@example.com" }),
        madeUp("203.0.113.9"),
        limitedUrl,
      );
      expect(spoofed.status).toBe(429);
      expect(Number(spoofed.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await takeQueued()).map((message) => message.payload.email)).toEqual(["ada@example.com"]);
    } finally {
      await stop(limited.child);
    }
  });

  it("reads X-Forwarded-For only from the proxies in TRUSTED_PROXIES, and counts IPv6 clients by /64", async () => {
    const proxied = startApi({ DATABASE_URL: database.url, AMQP_URL: broker.url, ...TRUSTED_PROXY_SCENARIO_ENV });
    try {
      const { got, expected } = await runTrustedProxyScenario(await proxied.listening);
      expect(got).toEqual(expected);
    } finally {
      await stop(proxied.child);
    }
  });

  it("refuses to start with an invalid TRUSTED_PROXIES or the old TRUSTED_PROXY_HOPS, naming them", async () => {
    const refused = startApi({
      DATABASE_URL: database.url,
      AMQP_URL: broker.url,
      TRUSTED_PROXIES: "10.0.0.0/8, 10.0.0.0/33, proxy.internal",
      TRUSTED_PROXY_HOPS: "1",
    });
    refused.listening.catch(() => undefined);
    const [code] = (await once(refused.child, "exit")) as [number | null];
    expect(code).toBe(EXIT_CONFIG);
    expect(refused.output()).toContain('- TRUSTED_PROXIES: "10.0.0.0/33", "proxy.internal": not an IP address or CIDR range');
    expect(refused.output()).toContain(
      "- TRUSTED_PROXY_HOPS: is no longer read: list the reverse proxies' addresses or ranges in TRUSTED_PROXIES",
    );
  });

  it("serves the users only with an API key, the OpenAPI document and the health check", async () => {
    const users = await fetch(`${api.url}/api/v1/users`);
    expect(users.status).toBe(401);
    expect(users.headers.get("www-authenticate")).toBe('Bearer realm="userstream"');

    const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      openapi: string;
      servers: Array<{ url: string }>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.servers[0]?.url).toContain("http://api.test");

    const health = await fetch(`${api.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", checks: { database: "up", broker: "up" } });
    // The probes' names, as every worker serves them: /readyz is /api/health, /healthz says the process is alive.
    const ready = await fetch(`${api.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ok", checks: { database: "up", broker: "up" } }]);
    const alive = await fetch(`${api.url}/healthz`);
    expect([alive.status, await alive.json()]).toEqual([200, { status: "ok" }]);
  });

  it("serves the message contracts at /api/asyncapi.json: the document committed in packages/contracts", async () => {
    const response = await fetch(`${api.url}/api/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(committedAsyncApi);
  });

  it("serves the same procedures over tRPC", async () => {
    const response = await fetch(`${api.url}/api/trpc/registration.submit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { ...registration, email: "trpc@example.com" } }),
    });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { data: { json: { registrationId: string } } } };
    expect((await takeQueued()).map((message) => [message.id, message.payload.email])).toEqual([
      [result.data.json.registrationId, "trpc@example.com"],
    ]);
  });

  it("answers an unknown path with 404 and a method a route lacks with 405 and Allow", async () => {
    const missing = await fetch(`${api.url}/admin`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not found", code: "NOT_FOUND" });

    const wrongMethod = await fetch(`${api.url}/api/health`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET");
  });

  it("stops on SIGTERM with exit code 0, closing its keep-alive connections, the publisher and the pool", async () => {
    const other = startApi({ DATABASE_URL: database.url, AMQP_URL: broker.url, REGISTRATION_RATE_LIMIT: "off" });
    // A registration opens the broker and database connections and leaves a keep-alive socket open.
    expect((await post(JSON.stringify(registration), {}, await other.listening)).status).toBe(202);
    expect(await stop(other.child)).toBe(0);
    expect(other.output()).toContain("publisher and database closed");
    expect(await takeQueued()).toHaveLength(1);
  });
});
