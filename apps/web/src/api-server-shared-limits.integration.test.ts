import { QUEUES } from "@userstream/contracts";
import { startPgBouncer, type PrivatePgBouncer } from "@userstream/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, stop } from "./server/api/testing";
import { TOO_MANY_REGISTRATIONS_MESSAGE } from "./server/api/trpc";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

const LIMIT = 4;

describe("two API servers (start:api) share the registration and public-list limits, through PgBouncer", () => {
  const database = setupTestDatabase("userstream_web_limits_api");
  const broker = setupTestBroker("userstream-web-limits-api");
  let bouncer: PrivatePgBouncer;
  let servers: ReturnType<typeof startApi>[] = [];
  let urls: string[] = [];

  beforeAll(async () => {
    bouncer = await startPgBouncer(database.url);
    const env = {
      DATABASE_URL: bouncer.urlFor(database.url),
      // PgBouncer 1.18 refuses a statement_timeout in the startup message (docs/operations.md).
      DATABASE_STATEMENT_TIMEOUT_MS: "off",
      AMQP_URL: broker.url,
      REGISTRATION_RATE_LIMIT: String(LIMIT),
      USERS_LIST_RATE_LIMIT: String(LIMIT),
    };
    servers = [startApi(env), startApi(env)];
    urls = await Promise.all(servers.map((server) => server.listening));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => stop(server.child)));
    await bouncer?.remove();
  });

  /** `count` requests from this machine's address, to each server in turn; resolves with the responses in order. */
  async function alternately(count: number, request: (url: string) => Promise<Response>) {
    const responses: Response[] = [];
    for (let i = 0; i < count; i++) responses.push(await request(urls[i % urls.length] as string));
    return responses;
  }

  it(`accepts ${LIMIT} registrations from one address across both servers, not ${LIMIT} each`, async () => {
    const responses = await alternately(LIMIT + 3, (url) =>
      fetch(`${url}/api/v1/registrations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ firstName: "Ada", lastName: "Lovelace", email: `${crypto.randomUUID()}@example.com` }),
      }),
    );
    expect(responses.map((response) => response.status)).toEqual([...Array(LIMIT).fill(202), 429, 429, 429]);
    const refused = responses[LIMIT] as Response;
    expect(await refused.json()).toMatchObject({ message: TOO_MANY_REGISTRATIONS_MESSAGE });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    // Only the accepted ones were queued.
    expect(await broker.queued(QUEUES.registration)).toBe(LIMIT);
  });

  it(`serves ${LIMIT} pages of the public directory to one address across both servers, then 429 from either`, async () => {
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const responses = await alternately(LIMIT + 2, (url) => fetch(`${url}/api/trpc/users.list?input=${input}`));
    expect(responses.map((response) => response.status)).toEqual([...Array(LIMIT).fill(200), 429, 429]);
  });
});
