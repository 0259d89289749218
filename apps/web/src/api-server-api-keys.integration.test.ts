import { describe, expect, it } from "vitest";
import type { ApiKeyScope } from "./lib/api-keys";
import { createApiKey } from "./server/api-key-service";
import { setupApiServer } from "./server/api/testing";
import { TOO_MANY_API_KEY_REQUESTS_MESSAGE, missingScopeMessage } from "./server/api/trpc";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

/** Requests one key may make per minute on the server below. */
const LIMIT = 5;

describe("API keys on the REST API on its own (start:api): scopes, expiry and the per-key limit, against PostgreSQL", () => {
  const database = setupTestDatabase("userstream_web_api_keys");
  const broker = setupTestBroker("userstream-web-api-keys");
  const api = setupApiServer(() => ({ DATABASE_URL: database.url, AMQP_URL: broker.url, API_KEY_RATE_LIMIT: String(LIMIT) }));

  /** A key as the admin page makes one; returns the key itself. */
  async function key(name: string, scopes: ApiKeyScope[], expiresInDays?: number) {
    const { apiKey, secret } = await createApiKey({ name, scopes, expiresInDays }, "admin@example.com", { db: database.db });
    return { id: apiKey.id, secret };
  }

  function users(secret: string, path = "", init: RequestInit = {}) {
    const headers = { authorization: `Bearer ${secret}`, ...(init.body ? { "content-type": "application/json" } : {}) };
    return fetch(`${api.url}/api/v1/users${path}`, { ...init, headers });
  }

  async function createUser(lastName: string) {
    return database.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Ada", lastName, email: `${crypto.randomUUID()}@example.com` },
    });
  }

  it("lets a read-only key list and get users, but not delete or rename one (403, the user stays), over REST and tRPC", async () => {
    const ada = await createUser("Readonly");
    const reader = await key("reporting", ["read"]);

    const listed = await users(reader.secret, "?search=Readonly");
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({ items: [{ id: ada.id }], total: 1 });
    expect((await users(reader.secret, `/${ada.id}`)).status).toBe(200);

    const deleted = await users(reader.secret, `/${ada.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(403);
    expect(await deleted.json()).toEqual({ message: missingScopeMessage("delete"), code: "FORBIDDEN" });
    const renamed = await users(reader.secret, `/${ada.id}`, { method: "PATCH", body: JSON.stringify({ firstName: "Eve" }) });
    expect(renamed.status).toBe(403);
    expect(await renamed.json()).toEqual({ message: missingScopeMessage("write"), code: "FORBIDDEN" });
    // The same procedure over tRPC, with the same key.
    const overTrpc = await fetch(`${api.url}/api/trpc/serviceUsers.delete`, {
      method: "POST",
      headers: { authorization: `Bearer ${reader.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ json: { id: ada.id } }),
    });
    expect(overTrpc.status).toBe(403);
    expect(await overTrpc.json()).toMatchObject({
      error: { json: { message: missingScopeMessage("delete"), data: { code: "FORBIDDEN" } } },
    });
    expect(await database.db.user.findUnique({ where: { id: ada.id } })).toMatchObject({
      firstName: "Ada",
      lastName: "Readonly",
    });

    // A key with the delete scope may.
    const remover = await key("gdpr erasure", ["delete"]);
    expect((await users(remover.secret, `/${ada.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await database.db.user.findUnique({ where: { id: ada.id } })).toBeNull();
  });

  it("refuses an expired key with 401 and records no use of it", async () => {
    const expired = await key("last year's export", ["read", "write", "delete"], 1);
    await database.db.apiKey.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    for (const [path, method] of [
      ["", "GET"],
      [`/${crypto.randomUUID()}`, "DELETE"],
    ] as const) {
      const response = await users(expired.secret, path, { method });
      expect(response.status, method).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="userstream"');
      expect(await response.json()).toEqual({ message: "The API key has expired.", code: "UNAUTHORIZED" });
    }
    expect((await database.db.apiKey.findUniqueOrThrow({ where: { id: expired.id } })).lastUsedAt).toBeNull();

    // Until its expiry a key works.
    const current = await key("this year's export", ["read"], 365);
    expect((await users(current.secret)).status).toBe(200);
  });

  it("limits each key to API_KEY_RATE_LIMIT requests a minute: 429 with Retry-After, other keys unaffected", async () => {
    const busy = await key("busy sync", ["read"]);
    for (let i = 0; i < LIMIT; i++) expect((await users(busy.secret)).status, `request ${i + 1}`).toBe(200);

    const limited = await users(busy.secret);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({ message: TOO_MANY_API_KEY_REQUESTS_MESSAGE, code: "TOO_MANY_REQUESTS" });

    const other = await key("quiet sync", ["read"]);
    expect((await users(other.secret)).status).toBe(200);
  });

  it("documents each operation's scope and its 401, 403 and 429 answers in /api/openapi.json", async () => {
    const document = (await (await fetch(`${api.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>>;
    };
    expect(document.openapi).toMatch(/^3\./);
    const scopes = {
      "GET /users": "read",
      "GET /users/{id}": "read",
      "PATCH /users/{id}": "write",
      "DELETE /users/{id}": "delete",
    };
    for (const [operation, scope] of Object.entries(scopes)) {
      const [method = "", path = ""] = operation.split(" ");
      const documented = document.paths[path]?.[method.toLowerCase()];
      expect(documented?.description, operation).toContain(`Needs an API key with the \`${scope}\` scope.`);
      expect(Object.keys(documented?.responses ?? {}), operation).toEqual(expect.arrayContaining(["401", "403", "429"]));
    }
  });
});
