import { describe, expect, it } from "vitest";
import { createConfirmationToken, verifyConfirmationToken } from "./confirmation-token";

const userId = "7d7c1f0e-4a39-4a5e-9d0b-3f1d5f1e2a10";
const secret = "a-test-secret-that-is-long-enough";
const hour = 3_600_000;

describe("confirmation tokens", () => {
  it("round-trips the user id until it expires", () => {
    const now = Date.UTC(2026, 0, 1);
    const token = createConfirmationToken(userId, secret, hour, now);
    expect(verifyConfirmationToken(token, secret, now + hour - 1_000)).toEqual({
      ok: true,
      userId,
      expiresAt: new Date(now + hour),
    });
    expect(verifyConfirmationToken(token, secret, now + hour)).toEqual({ ok: false, reason: "expired" });
  });

  it("refuses a token signed with another secret", () => {
    const token = createConfirmationToken(userId, "another-secret", hour);
    expect(verifyConfirmationToken(token, secret)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a token whose user or expiry was altered", () => {
    const token = createConfirmationToken(userId, secret, hour);
    const [, expiry, signature] = token.split(".");
    const otherUser = `0d7c1f0e-4a39-4a5e-9d0b-3f1d5f1e2a10.${expiry}.${signature}`;
    const later = `${userId}.${Number(expiry) + 86_400}.${signature}`;
    expect(verifyConfirmationToken(otherUser, secret)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyConfirmationToken(later, secret)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it.each(["", "nonsense", `${userId}.12`, `${userId}.abc.${"x".repeat(43)}`, "<script>"])("calls %j malformed", (token) => {
    expect(verifyConfirmationToken(token, secret)).toEqual({ ok: false, reason: "malformed" });
  });
});
