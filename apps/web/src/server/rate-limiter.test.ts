import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress } from "./client-address";
import { createRateLimiter } from "./rate-limiter";

describe("createRateLimiter", () => {
  it("allows max requests per key per window, then refuses until the window ends", () => {
    const limiter = createRateLimiter({ max: 2, windowMs: 60_000 });
    expect(limiter.take("a", 0).allowed).toBe(true);
    expect(limiter.take("a", 1).allowed).toBe(true);
    expect(limiter.take("a", 2)).toEqual({ allowed: false, retryAfterMs: 59_998 });
    expect(limiter.take("b", 2).allowed).toBe(true);
    expect(limiter.take("a", 60_000).allowed).toBe(true);
  });

  it("keeps at most maxKeys keys, dropping finished windows first", () => {
    const limiter = createRateLimiter({ max: 1, windowMs: 1_000, maxKeys: 2 });
    limiter.take("old", 0);
    limiter.take("busy", 500);
    limiter.take("new", 1_200);
    // "busy" kept its count: its window had not ended when room was made.
    expect(limiter.take("busy", 1_300).allowed).toBe(false);
    expect(limiter.take("new", 1_300).allowed).toBe(false);
  });
});

describe("clientAddress", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("uses the connection's address and ignores X-Forwarded-For when no proxy is trusted", () => {
    const request = headers({ [CLIENT_ADDRESS_HEADER]: "::ffff:203.0.113.7", "x-forwarded-for": "198.51.100.1" });
    expect(clientAddress(request, 0)).toBe("203.0.113.7");
    expect(clientAddress(headers({}), 0)).toBe("unknown");
  });

  it("takes the entry the outermost trusted proxy appended, not what the client made up", () => {
    const request = headers({ [CLIENT_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "1.2.3.4, 203.0.113.7, 10.0.0.1" });
    expect(clientAddress(request, 1)).toBe("10.0.0.1");
    expect(clientAddress(request, 2)).toBe("203.0.113.7");
    // Fewer entries than trusted proxies: the connection's address.
    expect(clientAddress(headers({ [CLIENT_ADDRESS_HEADER]: "10.0.0.2" }), 1)).toBe("10.0.0.2");
  });
});
