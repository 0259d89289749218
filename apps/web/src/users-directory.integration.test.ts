import { SEARCH_WORD_TOO_SHORT_MESSAGE } from "@userstream/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { TRPC_MAX_BATCH_SIZE } from "./lib/trpc-limits";
import { createApiKey } from "./server/api-key-service";
import { setupApiServer, startApi, stop } from "./server/api/testing";
import { TOO_MANY_USERS_LIST_REQUESTS_MESSAGE } from "./server/api/trpc";
import { UNREACHABLE_AMQP_URL, setupTestDatabase } from "./server/testing";

const ADA = { firstName: "Ada", lastName: "Lovelace", email: "ada.lovelace@analytical.example" };
const GRACE = { firstName: "Grace", lastName: "Hopper", email: "grace@navy.example" };

/** `users.list` over tRPC as a browser calls it: one call, or a batch of `count` identical calls. */
function usersList(url: string, input: object = {}, count?: number) {
  if (count === undefined)
    return fetch(`${url}/api/trpc/users.list?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  const inputs = Object.fromEntries(Array.from({ length: count }, (_, index) => [index, { json: input }]));
  const paths = Array.from({ length: count }, () => "users.list").join(",");
  return fetch(`${url}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs))}`);
}

describe("the public users directory over HTTP (start:api, against PostgreSQL)", () => {
  const database = setupTestDatabase("userstream_web_directory");
  let key: string;

  /** The API server for this database; nothing here publishes, so the broker is one that is not there. */
  const startFor = (env: Record<string, string>) =>
    startApi({ DATABASE_URL: database.url, AMQP_URL: UNREACHABLE_AMQP_URL, ...env });

  beforeAll(async () => {
    await database.db.user.createMany({
      data: [ADA, GRACE].map((person) => ({ ...person, registrationId: crypto.randomUUID() })),
    });
    key = (await createApiKey({ name: "directory test", scopes: ["read"] }, "admin@example.com", { db: database.db })).secret;
  });

  const api = setupApiServer(() => ({
    DATABASE_URL: database.url,
    AMQP_URL: UNREACHABLE_AMQP_URL,
    USERS_LIST_RATE_LIMIT: "off",
    DATABASE_STATEMENT_TIMEOUT_MS: "1000",
  }));

  /** The full list as an API key gets it over REST. */
  async function withKey(search = ""): Promise<{ items: Array<{ email: string }>; total: number }> {
    const response = await fetch(`${api.url}/api/v1/users?search=${encodeURIComponent(search)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { items: Array<{ email: string }>; total: number };
  }

  it("answers anyone with names and masked addresses, never an address, while an API key gets the addresses", async () => {
    for (const response of [await usersList(api.url), await usersList(api.url, {}, 2)]) {
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toContain('"firstName":"Ada","lastName":"Lovelace","maskedEmail":"a•••@a•••.example"');
      expect(body).toContain('"maskedEmail":"g•••@n•••.example"');
      for (const hidden of [ADA.email, GRACE.email, "lovelace@", "analytical.example", "navy.example"])
        expect(body).not.toContain(hidden);
    }
    expect((await withKey()).items.map((user) => user.email).sort()).toEqual([ADA.email, GRACE.email]);
  });

  it("searches anyone's list by name only: an address finds nobody there, and the API key's list by address", async () => {
    const found = async (search: string) => {
      const response = await usersList(api.url, { search });
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { data: { json: { total: number } } } }).result.data.json.total;
    };
    expect(await found(ADA.email)).toBe(0);
    expect(await found("analytical")).toBe(0);
    expect(await found("love")).toBe(1);
    expect((await withKey("analytical")).items.map((user) => user.email)).toEqual([ADA.email]);
  });

  it("refuses a search word under 3 characters with a message on `search`, over tRPC and REST", async () => {
    const refused = await usersList(api.url, { search: "ada lo" });
    expect(refused.status).toBe(400);
    expect(
      ((await refused.json()) as { error: { json: { data: { fieldErrors: unknown } } } }).error.json.data.fieldErrors,
    ).toEqual({
      search: SEARCH_WORD_TOO_SHORT_MESSAGE,
    });

    const rest = await fetch(`${api.url}/api/v1/users?search=ad`, { headers: { authorization: `Bearer ${key}` } });
    expect(rest.status).toBe(400);
    expect(await rest.json()).toEqual({ errors: { search: SEARCH_WORD_TOO_SHORT_MESSAGE } });
  });

  it("cuts off a database statement after DATABASE_STATEMENT_TIMEOUT_MS instead of holding the request", async () => {
    // A transaction elsewhere locks the users table: the list's query waits on it until the timeout.
    await database.db.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE users IN ACCESS EXCLUSIVE MODE`;
        const started = Date.now();
        const response = await usersList(api.url);
        expect(response.status).toBe(500);
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        expect(Date.now() - started).toBeLessThan(5_000);
      },
      { timeout: 20_000 },
    );
    await expect.poll(() => api.server.output()).toContain("canceling statement due to statement timeout");
    // The lock is gone: the same connections answer again.
    expect((await usersList(api.url)).status).toBe(200);
  });

  it(`refuses a batch of more than ${TRPC_MAX_BATCH_SIZE} calls with 400 before running any, and limits the list per client address with 429`, async () => {
    const limited = startFor({ USERS_LIST_RATE_LIMIT: "3" });
    try {
      const limitedUrl = await limited.listening;
      // A batch of the cap is served (on the unlimited server); one more call, and none is run.
      expect((await usersList(api.url, {}, TRPC_MAX_BATCH_SIZE)).status).toBe(200);
      const tooMany = await usersList(limitedUrl, {}, TRPC_MAX_BATCH_SIZE + 1);
      expect(tooMany.status).toBe(400);
      expect(await tooMany.text()).toContain("Batch call exceeds maximum size");

      // The refused batch ran nothing, so the whole allowance is left: three calls, then 429.
      for (let call = 0; call < 3; call++) expect((await usersList(limitedUrl)).status).toBe(200);
      const refused = await usersList(limitedUrl);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { json: { message: string } } }).error.json.message).toBe(
        TOO_MANY_USERS_LIST_REQUESTS_MESSAGE,
      );
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
      // Whatever address the client claims to have.
      const claimed = await fetch(`${limitedUrl}/api/trpc/users.list`, {
        headers: { "x-forwarded-for": "203.0.113.9", "x-userstream-client-address": "203.0.113.9" },
      });
      expect(claimed.status).toBe(429);
    } finally {
      await stop(limited.child);
    }
  });
});
