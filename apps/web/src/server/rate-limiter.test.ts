import { describe, expect, it } from "vitest";
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
