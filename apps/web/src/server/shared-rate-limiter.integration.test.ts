import { createPool, type Pool } from "@userstream/db/pool";
import { startPgBouncer, type PrivatePgBouncer } from "@userstream/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSharedRateLimiter } from "./shared-rate-limiter";
import { setupTestDatabase } from "./testing";

const MINUTE_MS = 60_000;

describe("createSharedRateLimiter: one count in PostgreSQL for every replica", () => {
  const database = setupTestDatabase("userstream_web_shared_limits");
  let bouncer: PrivatePgBouncer;
  // Two replicas straight to PostgreSQL, and one through PgBouncer in transaction mode.
  let replicas: Pool[] = [];
  beforeAll(async () => {
    bouncer = await startPgBouncer(database.url);
    replicas = [
      createPool(database.url, { max: 4 }),
      createPool(database.url, { max: 4 }),
      createPool(bouncer.urlFor(database.url), { max: 4 }),
    ];
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.end()));
    await bouncer?.remove();
  });
  const limiters = (name: string, max: number, windowMs = MINUTE_MS) =>
    replicas.map((pool) => createSharedRateLimiter(pool, { name, max, windowMs }));

  it("allows the limit across every replica together, then refuses with the time left in the window", async () => {
    const [first, second, pooled] = limiters("shared-sequential", 3);
    const key = "198.51.100.1";
    expect((await first?.take(key))?.allowed).toBe(true);
    expect((await second?.take(key))?.allowed).toBe(true);
    expect((await pooled?.take(key))?.allowed).toBe(true);
    for (const limiter of [first, second, pooled]) {
      const refused = await limiter?.take(key);
      expect(refused?.allowed).toBe(false);
      expect(refused?.retryAfterMs).toBeGreaterThan(MINUTE_MS - 30_000);
      expect(refused?.retryAfterMs).toBeLessThanOrEqual(MINUTE_MS);
    }
  });

  it("allows exactly the limit of many requests at once, spread over the replicas", async () => {
    const all = limiters("shared-concurrent", 7);
    const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => all[i % all.length]?.take("198.51.100.2")));
    expect(decisions.filter((decision) => decision?.allowed)).toHaveLength(7);
    const [row] = await database.db.rateLimitWindow.findMany({ where: { name: "shared-concurrent" } });
    // Counted one past the limit at most: a flood cannot grow it.
    expect(row?.count).toBe(8);
  });

  it("counts each limit and each key apart", async () => {
    const [registrations] = limiters("shared-names-a", 1);
    const [searches] = limiters("shared-names-b", 1);
    expect((await registrations?.take("198.51.100.3"))?.allowed).toBe(true);
    expect((await registrations?.take("198.51.100.3"))?.allowed).toBe(false);
    expect((await registrations?.take("198.51.100.4"))?.allowed).toBe(true);
    expect((await searches?.take("198.51.100.3"))?.allowed).toBe(true);
  });

  it("starts a new window once the key's has ended, and removes other keys' ended windows on the way", async () => {
    const [limiter] = limiters("shared-expiry", 1);
    const ended = new Date(Date.now() - 1_000);
    await database.db.rateLimitWindow.createMany({
      data: [
        { name: "shared-expiry", key: "198.51.100.5", windowStart: new Date(Date.now() - MINUTE_MS), expiresAt: ended, count: 2 },
        { name: "shared-other", key: "198.51.100.6", windowStart: new Date(Date.now() - MINUTE_MS), expiresAt: ended, count: 9 },
      ],
    });
    expect((await limiter?.take("198.51.100.5"))?.allowed).toBe(true);
    expect((await limiter?.take("198.51.100.5"))?.allowed).toBe(false);
    const left = await database.db.rateLimitWindow.findMany({ where: { name: { in: ["shared-expiry", "shared-other"] } } });
    expect(left).toEqual([expect.objectContaining({ name: "shared-expiry", key: "198.51.100.5", count: 2 })]);
    expect(left[0]?.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it("refuses a limit that could never allow anything, or a window under a second", () => {
    const [pool] = replicas as [Pool];
    expect(() => createSharedRateLimiter(pool, { name: "bad", max: 0, windowMs: MINUTE_MS })).toThrow(
      "bad: max must be a positive integer",
    );
    expect(() => createSharedRateLimiter(pool, { name: "bad", max: 1, windowMs: 10 })).toThrow(/at least 1000/);
  });
});
