import { SEARCH_WORD_TOO_SHORT_MESSAGE, fieldErrors } from "@userstream/contracts";
import type { TRPCError } from "@trpc/server";
import type { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import type { AdminSession } from "../auth/admin-auth";
import { handleRestRequest } from "./rest-handler";
import { createCaller } from "./root";
import { usersTestDatabase } from "./testing";
import { API_KEY_SCOPES, type ApiKeyScope } from "~/lib/api-keys";
import { API_KEY_MESSAGES, missingScopeMessage } from "./trpc";

const ORIGIN = "http://127.0.0.1:3000";
const ADMIN: AdminSession = { email: "admin@example.com", expiresAt: Date.now() + 3_600_000 };

describe("/api/v1/users with API keys, against PostgreSQL", () => {
  const deps = usersTestDatabase("userstream_web_users_rest");

  const admin = () => createCaller({ headers: new Headers(), db: deps.db, publisher: deps.publisher, adminSession: ADMIN });
  /** A key made on the admin page, with every scope unless told. */
  const createKey = (name: string, scopes: ApiKeyScope[] = [...API_KEY_SCOPES], expiresInDays?: number) =>
    admin().apiKeys.create({ name, scopes, expiresInDays });

  /**
   * A request to /api/v1 as the route handler makes it. `adminSession` stands for a signed-in
   * admin's cookie: it must not open the API (only a key does).
   */
  function call(path: string, init: RequestInit & { key?: string } = {}, adminSession: AdminSession | null = null) {
    const headers = new Headers(init.headers);
    if (init.key !== undefined) headers.set("authorization", `Bearer ${init.key}`);
    if (init.body) headers.set("content-type", "application/json");
    return handleRestRequest(new Request(`${ORIGIN}/api/v1${path}`, { ...init, headers }), ({ headers: requestHeaders }) => ({
      headers: requestHeaders,
      db: deps.db,
      publisher: deps.publisher,
      adminSession,
    }));
  }

  async function createUsers(...firstNames: string[]) {
    await deps.db.user.createMany({
      data: firstNames.map((firstName, index) => ({
        registrationId: crypto.randomUUID(),
        firstName,
        lastName: "Example",
        email: `${firstName.toLowerCase()}@example.com`,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
      })),
    });
    return deps.db.user.findMany({ orderBy: { createdAt: "asc" } });
  }

  it("answers 401 with a clear JSON error for a missing, malformed, wrong, revoked or expired key, and changes nothing", async () => {
    const [anna] = await createUsers("Anna");
    const { apiKey, secret } = await createKey("crm sync");
    const revoked = await createKey("old crm");
    await admin().apiKeys.revoke({ id: revoked.apiKey.id });
    const expired = await createKey("last year's crm", [...API_KEY_SCOPES], 1);
    await deps.db.apiKey.update({ where: { id: expired.apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const wrong = `usk_${"A".repeat(43)}`;

    const cases: [string, RequestInit & { key?: string }, string][] = [
      ["no header", {}, API_KEY_MESSAGES.missing],
      ["another scheme", { headers: { authorization: `Basic ${btoa("admin:secret")}` } }, API_KEY_MESSAGES.missing],
      ["an empty bearer", { headers: { authorization: "Bearer " } }, API_KEY_MESSAGES.missing],
      ["a malformed key", { key: "let-me-in" }, API_KEY_MESSAGES.invalid],
      ["a wrong key", { key: wrong }, API_KEY_MESSAGES.invalid],
      [
        "a key with one character changed",
        { key: `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}` },
        API_KEY_MESSAGES.invalid,
      ],
      ["a revoked key", { key: revoked.secret }, API_KEY_MESSAGES.revoked],
      ["an expired key", { key: expired.secret }, "The API key has expired."],
    ];
    const before = await deps.db.user.findMany();
    for (const [what, init, message] of cases) {
      for (const [path, method, body] of [
        ["/users", "GET", undefined],
        [`/users/${anna!.id}`, "GET", undefined],
        [`/users/${anna!.id}`, "PATCH", JSON.stringify({ firstName: "Eve" })],
        [`/users/${anna!.id}`, "DELETE", undefined],
      ] as const) {
        const response = await call(path, { ...init, method, body }, what === "no header" ? ADMIN : null);
        expect(response.status, `${method} ${path} with ${what}`).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="userstream"');
        expect(await response.json()).toEqual({ message, code: "UNAUTHORIZED" });
      }
    }
    expect(await deps.db.user.findMany()).toEqual(before);
    // Refused keys record nothing; the unused valid key has never been used.
    expect((await admin().apiKeys.list()).map((key) => [key.name, key.lastUsedAt])).toEqual([
      ["last year's crm", null],
      ["old crm", null],
      ["crm sync", null],
    ]);
    expect(apiKey.lastUsedAt).toBeNull();
  });

  it("serves the users to a valid key and records when it was last used", async () => {
    await createUsers("Anna", "Annabel", "Bob");
    const { apiKey, secret } = await createKey("crm sync", ["read"]);

    const first = await call("/users?search=ANN&limit=1", { key: secret });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { items: { firstName: string }[]; nextCursor: string; total: number };
    expect(page1.items.map((user) => user.firstName)).toEqual(["Annabel"]);
    expect(page1.total).toBe(2);
    const usedOnce = (await deps.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(usedOnce).toBeInstanceOf(Date);

    // Every use moves the time on: set it back, use the key again.
    const longAgo = new Date("2026-01-01T00:00:00.000Z");
    await deps.db.apiKey.update({ where: { id: apiKey.id }, data: { lastUsedAt: longAgo } });
    const second = await call(`/users?search=ANN&limit=1&cursor=${page1.nextCursor}`, { key: secret });
    const page2 = (await second.json()) as { items: { firstName: string }[]; nextCursor: string | null };
    expect(page2.items.map((user) => user.firstName)).toEqual(["Anna"]);
    expect(page2.nextCursor).toBeNull();
    const usedAgain = (await deps.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(usedAgain!.getTime()).toBeGreaterThan(longAgo.getTime());

    const sorted = await call("/users?sort=last_name_desc&limit=100", { key: secret });
    expect(((await sorted.json()) as { total: number }).total).toBe(3);

    expect((await call("/users?limit=abc", { key: secret })).status).toBe(400);
    expect((await call("/users?cursor=forged", { key: secret })).status).toBe(400);
    expect((await call("/users?sort=password", { key: secret })).status).toBe(400);
  });

  it("gives a key the full addresses, searched by address or by its beginning (emailPrefix), and refuses a search word under 3 characters", async () => {
    await createUsers("Anna", "Annabel", "Bob");
    const { secret } = await createKey("crm sync", ["read"]);
    const emails = async (query: string) => {
      const answer = await call(`/users?${query}`, { key: secret });
      expect(answer.status, query).toBe(200);
      return ((await answer.json()) as { items: { email: string }[] }).items.map((user) => user.email);
    };
    expect(await emails("search=bob%40example.com")).toEqual(["bob@example.com"]);
    // emailPrefix keeps the addresses that begin with it, case-insensitively...
    expect(await emails("emailPrefix=ANNA")).toEqual(["annabel@example.com", "anna@example.com"]);
    expect(await emails("emailPrefix=anna%40")).toEqual(["anna@example.com"]);
    // ...and not those holding it further on, which `search` finds.
    expect(await emails("emailPrefix=nna")).toEqual([]);
    expect(await emails("emailPrefix=anna&search=bel")).toEqual(["annabel@example.com"]);

    for (const search of ["an", "anna b", "%25"]) {
      const refused = await call(`/users?search=${search}`, { key: secret });
      expect(refused.status, search).toBe(400);
      expect(await refused.json()).toEqual({ errors: { search: SEARCH_WORD_TOO_SHORT_MESSAGE } });
    }
  });

  it("gets, renames and deletes one user with a valid key", async () => {
    const [anna] = await createUsers("Anna");
    const { secret } = await createKey("crm sync");
    const path = `/users/${anna!.id}`;

    const got = await call(path, { key: secret });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual({
      id: anna!.id,
      firstName: "Anna",
      lastName: "Example",
      email: "anna@example.com",
      emailVerified: false,
      createdAt: "2026-01-01T00:00:00.000Z",
    });

    const patched = await call(path, { key: secret, method: "PATCH", body: JSON.stringify({ lastName: " Smith " }) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ firstName: "Anna", lastName: "Smith" });

    const refused = [
      [
        JSON.stringify({ firstName: "<script>" }),
        { firstName: "First name may contain only letters, spaces, apostrophes, hyphens and periods" },
      ],
      [JSON.stringify({ email: "eve@example.com" }), { form: "Only firstName and lastName can be changed" }],
      [JSON.stringify({}), { form: "Send firstName, lastName or both" }],
    ] as const;
    for (const [body, errors] of refused) {
      const response = await call(path, { key: secret, method: "PATCH", body });
      expect(response.status, body).toBe(400);
      expect(await response.json()).toEqual({ errors });
    }
    expect(await deps.db.user.findUniqueOrThrow({ where: { id: anna!.id } })).toMatchObject({
      firstName: "Anna",
      lastName: "Smith",
      email: "anna@example.com",
    });

    const deleted = await call(path, { key: secret, method: "DELETE" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: anna!.id, deleted: true });
    expect(await deps.db.user.count()).toBe(0);

    for (const method of ["GET", "DELETE"]) {
      const gone = await call(path, { key: secret, method });
      expect(gone.status, method).toBe(404);
      expect(await gone.json()).toEqual({ message: "No such user.", code: "NOT_FOUND" });
    }
    expect((await call(path, { key: secret, method: "PATCH", body: JSON.stringify({ firstName: "Eve" }) })).status).toBe(404);
    expect((await call("/users/not-a-uuid", { key: secret })).status).toBe(400);
  });

  it("refuses a key without the scope an operation needs with 403, and changes nothing", async () => {
    const [anna] = await createUsers("Anna");
    const path = `/users/${anna!.id}`;
    const keys = {
      read: (await createKey("reader", ["read"])).secret,
      write: (await createKey("renamer", ["write"])).secret,
      delete: (await createKey("remover", ["delete"])).secret,
    };
    const operations: [ApiKeyScope, string, RequestInit][] = [
      ["read", "/users", {}],
      ["read", path, {}],
      ["write", path, { method: "PATCH", body: JSON.stringify({ firstName: "Eve" }) }],
      ["delete", path, { method: "DELETE" }],
    ];
    const before = await deps.db.user.findMany();
    for (const [needed, target, init] of operations) {
      for (const [scope, key] of Object.entries(keys)) {
        if (scope === needed) continue;
        const response = await call(target, { ...init, key });
        expect(response.status, `${init.method ?? "GET"} ${target} with a ${scope} key`).toBe(403);
        expect(await response.json()).toEqual({ message: missingScopeMessage(needed), code: "FORBIDDEN" });
      }
    }
    expect(await deps.db.user.findMany()).toEqual(before);
    expect(missingScopeMessage("delete")).toBe(
      'This API key does not have the "delete" scope. An admin can create a key that has it at /admin/api-keys.',
    );
    // Each key still does what its scope allows.
    expect((await call("/users", { key: keys.read })).status).toBe(200);
    expect((await call(path, { key: keys.write, method: "PATCH", body: JSON.stringify({ firstName: "Eve" }) })).status).toBe(200);
    expect((await call(path, { key: keys.delete, method: "DELETE" })).status).toBe(200);
  });

  it("lets an admin create, list and revoke keys; the secret is shown once and only its hash stored", async () => {
    const { apiKey, secret } = await createKey("  reporting  ", ["delete", "read", "read"]);
    expect(secret).toMatch(/^usk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: "reporting",
      prefix: secret.slice(0, 12),
      // Each scope once, in the order read, write, delete.
      scopes: ["read", "delete"],
      createdBy: ADMIN.email,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const stored = await deps.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(JSON.stringify(stored)).not.toContain(secret.slice(12));
    expect(JSON.stringify(await admin().apiKeys.list())).not.toContain(secret.slice(12));

    expect((await call("/users", { key: secret })).status).toBe(200);
    const revoked = await admin().apiKeys.revoke({ id: apiKey.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.lastUsedAt).not.toBeNull();
    // Revoking again keeps the first time.
    expect((await admin().apiKeys.revoke({ id: apiKey.id })).revokedAt).toBe(revoked.revokedAt);
    expect((await call("/users", { key: secret })).status).toBe(401);

    const refused = [
      [{ name: "   ", scopes: ["read"] }, { name: "Name is required" }],
      [{ name: "tab\there", scopes: ["read"] }, { name: "Name must not contain control characters" }],
      [{ name: "no scope", scopes: [] }, { scopes: "Choose at least one scope" }],
      [{ name: "admin scope", scopes: ["admin"] }, { scopes: "Scopes are read, write and delete" }],
      [{ name: "today", scopes: ["read"], expiresInDays: 0 }, { expiresInDays: "Expiry must be at least 1 day" }],
      [{ name: "half", scopes: ["read"], expiresInDays: 1.5 }, { expiresInDays: "Expiry must be a whole number of days" }],
      [{ name: "forever", scopes: ["read"], expiresInDays: 3651 }, { expiresInDays: "Expiry must be at most 3650 days" }],
    ] as const;
    for (const [input, errors] of refused) {
      const error = (await admin()
        .apiKeys.create(input as never)
        .catch((caught: unknown) => caught)) as TRPCError;
      // What the admin page shows beside each field (the error formatter's `fieldErrors`).
      expect([error.code, fieldErrors(error.cause as ZodError)], JSON.stringify(input)).toEqual(["BAD_REQUEST", errors]);
    }
    await expect(admin().apiKeys.revoke({ id: crypto.randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await deps.db.apiKey.count()).toBe(1);

    // An expiry in days becomes a time that many days from now, shown in the list.
    const made = Date.now();
    const { apiKey: monthly } = await createKey("monthly export", ["read"], 30);
    const expiresAt = new Date(monthly.expiresAt ?? "").getTime();
    expect(expiresAt - made).toBeGreaterThanOrEqual(30 * 86_400_000 - 1000);
    expect(expiresAt - made).toBeLessThanOrEqual(30 * 86_400_000 + 5000);
    expect((await admin().apiKeys.list())[0]).toMatchObject({
      name: "monthly export",
      scopes: ["read"],
      expiresAt: monthly.expiresAt,
    });
  });

  it("keeps registrations public", async () => {
    const response = await call(`/registrations/${crypto.randomUUID()}`);
    expect(response.status).toBe(200);
  });
});
