import { QUEUES } from "@userstream/contracts";
import type { PrismaClient } from "@userstream/db";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { parseTrustedProxies } from "../../config/ip-addresses";
import { CLIENT_ADDRESS_HEADER, clientLimitKey } from "../client-address";
import { createRateLimiter } from "../rate-limiter";
import { setupTestBroker } from "../testing";
import { handleRestRequest } from "./rest-handler";
import { appRouter } from "./root";
import { TOO_MANY_REGISTRATIONS_MESSAGE, type TRPCContext } from "./trpc";

const ORIGIN = "http://127.0.0.1:3000";

describe("registration rate limit per client address (REST and tRPC share it)", () => {
  const broker = setupTestBroker("userstream-web-rate-limit");
  const queued = () => broker.queued(QUEUES.registration);

  /** The context the app builds (context.ts), with the given proxies trusted (none by default) and a limit of 2 a minute. */
  function contextFactory(trustedProxies = "") {
    const proxies = parseTrustedProxies(trustedProxies);
    const limiter = createRateLimiter({ max: 2, windowMs: 60_000 });
    return ({ headers }: { headers: Headers }): TRPCContext => ({
      headers,
      db: {} as PrismaClient, // submitting never reads the database
      publisher: broker.publisher,
      adminSession: null,
      clientAddress: clientLimitKey(headers, proxies),
      registrationLimiter: limiter,
    });
  }

  const person = () => ({ firstName: "Ada", lastName: "Lovelace", email: `${crypto.randomUUID()}@example.com` });

  function rest(createContext: ReturnType<typeof contextFactory>, peer: string, headers: Record<string, string> = {}) {
    const init = {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: peer, ...headers },
      body: JSON.stringify(person()),
    };
    return handleRestRequest(new Request(`${ORIGIN}/api/v1/registrations`, init), createContext);
  }

  function trpc(createContext: ReturnType<typeof contextFactory>, peer: string) {
    const req = new Request(`${ORIGIN}/api/trpc/registration.submit`, {
      method: "POST",
      headers: { "content-type": "application/json", [CLIENT_ADDRESS_HEADER]: peer },
      body: JSON.stringify({ json: person() }),
    });
    return fetchRequestHandler({
      endpoint: "/api/trpc",
      router: appRouter,
      req,
      createContext: () => createContext({ headers: req.headers }),
    });
  }

  it("refuses the third registration a minute from one address with 429, on either surface, and queues nothing for it", async () => {
    const createContext = contextFactory();
    const before = await queued();
    expect((await rest(createContext, "203.0.113.7")).status).toBe(202);
    expect((await trpc(createContext, "203.0.113.7")).status).toBe(200);

    const refused = await rest(createContext, "203.0.113.7");
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ message: TOO_MANY_REGISTRATIONS_MESSAGE, code: "TOO_MANY_REQUESTS" });
    // Within the minute's window: the client is told how many seconds to wait.
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect((await trpc(createContext, "203.0.113.7")).status).toBe(429);
    expect(await queued()).toBe(before + 2);

    // Another address has its own allowance.
    expect((await rest(createContext, "198.51.100.1")).status).toBe(202);
  });

  it("is not reset by a made-up X-Forwarded-For unless a proxy is trusted", async () => {
    const createContext = contextFactory();
    await rest(createContext, "203.0.113.8");
    await rest(createContext, "203.0.113.8");
    for (let i = 0; i < 3; i++) {
      const spoofed = await rest(createContext, "203.0.113.8", { "x-forwarded-for": `10.0.0.${i}` });
      expect(spoofed.status).toBe(429);
    }

    // Behind a trusted proxy, the address it appended is the client's; what the client wrote before it is not.
    const proxied = contextFactory("10.1.1.0/24");
    const viaProxy = (client: string, madeUp: string) => rest(proxied, "10.1.1.1", { "x-forwarded-for": `${madeUp}, ${client}` });
    expect((await viaProxy("192.0.2.1", "1.1.1.1")).status).toBe(202);
    expect((await viaProxy("192.0.2.1", "2.2.2.2")).status).toBe(202);
    expect((await viaProxy("192.0.2.1", "3.3.3.3")).status).toBe(429);
    expect((await viaProxy("192.0.2.2", "3.3.3.3")).status).toBe(202);
  });
});
