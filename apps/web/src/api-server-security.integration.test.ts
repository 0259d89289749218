import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "./server/api-key-service";
import { API_ADMIN_AUTH, startApi, stop } from "./server/api/testing";
import { sessionCookieName } from "./server/auth/admin-auth";
import { startAdminSession } from "./server/auth/admin-sessions";
import { hashPassword } from "./config/password-hash";
import { setupTestBroker, setupTestDatabase } from "./server/testing";

const APP_URL = "http://api.test";
const EVIL = "https://evil.example";

describe("the API server on its own (start:api): admin sessions, cross-site mutations, security headers", () => {
  const database = setupTestDatabase("userstream_web_api_security");
  const broker = setupTestBroker("userstream-web-api-security");
  const servers: Array<ReturnType<typeof startApi>> = [];
  /** APP_URL http; APP_URL https; and one started after the admin changed the password. */
  let [plain, https, newPassword] = ["", "", ""];

  beforeAll(async () => {
    const common = { DATABASE_URL: database.url, AMQP_URL: broker.url };
    const changedHash = await hashPassword("the admin's new password", { N: 2 ** 10, r: 8, p: 1 });
    const started = [
      startApi({ ...common, APP_URL }),
      startApi({ ...common, APP_URL: "https://userstream.example" }),
      startApi({ ...common, APP_URL, ADMIN_PASSWORD_HASH: changedHash }),
    ] as const;
    servers.push(...started);
    [plain, https, newPassword] = await Promise.all([started[0].listening, started[1].listening, started[2].listening]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => stop(server.child)));
  });

  /** A `Cookie` header holding a new session of the server's admin. */
  const signedIn = async () =>
    `${sessionCookieName(API_ADMIN_AUTH)}=${(await startAdminSession(database.db, API_ADMIN_AUTH)).token}`;
  const overview = (cookie: string, to = plain) => fetch(`${to}/api/trpc/admin.overview`, { headers: { cookie } });
  /** A tRPC mutation as a browser page would send it. */
  const mutate = (path: string, input: unknown, headers: Record<string, string>) =>
    fetch(`${plain}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ json: input }),
    });
  const userNamed = (id: string) => database.db.user.findUnique({ where: { id }, select: { firstName: true } });

  it("sends the web's security headers with every answer, and HSTS only when APP_URL is https", async () => {
    for (const path of ["/api/health", "/api/v1/users", "/api/trpc/admin.overview", "/no-such-path"]) {
      const answer = await fetch(`${plain}${path}`);
      expect(answer.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(answer.headers.get("x-frame-options"), path).toBe("DENY");
      expect(answer.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(answer.headers.get("content-security-policy"), path).toContain("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get("permissions-policy"), path).toContain("camera=()");
      expect(answer.headers.get("cross-origin-opener-policy"), path).toBe("same-origin");
      expect(answer.headers.get("strict-transport-security"), path).toBeNull();
      expect((await fetch(`${https}${path}`)).headers.get("strict-transport-security"), path).toBe(
        "max-age=63072000; includeSubDomains",
      );
    }
  });

  it("refuses a cross-site mutation with 403 over tRPC and REST, changing nothing; same-origin ones and programs go through", async () => {
    const user = await database.db.user.create({
      data: { registrationId: crypto.randomUUID(), firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" },
    });
    const cookie = await signedIn();
    const { secret } = await createApiKey({ name: "billing", scopes: ["delete"] }, API_ADMIN_AUTH.adminEmail, {
      db: database.db,
    });
    const rename = (headers: Record<string, string>) =>
      mutate("adminUsers.update", { id: user.id, firstName: "Eve" }, { cookie, ...headers });

    const crossSiteHeaders: Array<Record<string, string>> = [
      { origin: EVIL },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site", origin: APP_URL },
    ];
    for (const crossSite of crossSiteHeaders) {
      const answer = await rename(crossSite);
      expect(answer.status, JSON.stringify(crossSite)).toBe(403);
      expect(JSON.stringify(await answer.json())).toContain("Requests from other sites may not change anything here.");
      const rest = await fetch(`${plain}/api/v1/users/${user.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${secret}`, ...crossSite },
      });
      expect(rest.status, JSON.stringify(crossSite)).toBe(403);
    }
    expect(await userNamed(user.id)).toEqual({ firstName: "Ada" });
    // Reading is not refused: a page on another site cannot read the answer.
    expect((await overview(cookie)).status).toBe(200);

    expect((await rename({ "sec-fetch-site": "same-origin", origin: APP_URL })).status).toBe(200);
    expect(await userNamed(user.id)).toEqual({ firstName: "Eve" });
    expect((await rename({ origin: APP_URL })).status).toBe(200);
    // A program (no Origin, no Sec-Fetch-Site) with an API key.
    expect(
      (await fetch(`${plain}/api/v1/users/${user.id}`, { method: "DELETE", headers: { authorization: `Bearer ${secret}` } })).ok,
    ).toBe(true);
    expect(await userNamed(user.id)).toBeNull();
  });

  it("ends every session of the admin on `admin.signOutEverywhere`", async () => {
    const [here, elsewhere] = [await signedIn(), await signedIn()];
    expect((await overview(elsewhere)).status).toBe(200);
    const answer = await mutate("admin.signOutEverywhere", undefined, { cookie: here, "sec-fetch-site": "same-origin" });
    expect(answer.status).toBe(200);
    const { result } = (await answer.json()) as { result: { data: { json: { ended: number } } } };
    expect(result.data.json.ended).toBeGreaterThanOrEqual(2);
    expect((await overview(elsewhere)).status).toBe(401);
    expect((await overview(here)).status).toBe(401);
  });

  it("refuses a session idle for SESSION_IDLE_MINUTES", async () => {
    const cookie = await signedIn();
    expect((await overview(cookie)).status).toBe(200);
    await database.db
      .$executeRaw`UPDATE admin_sessions SET last_seen_at = now() - make_interval(mins => ${API_ADMIN_AUTH.sessionIdleMinutes}::int)`;
    expect((await overview(cookie)).status).toBe(401);
  });

  it("refuses a session from before the admin's password changed", async () => {
    const cookie = await signedIn();
    expect((await overview(cookie)).status).toBe(200);
    expect((await overview(cookie, newPassword)).status).toBe(401);
  });
});
