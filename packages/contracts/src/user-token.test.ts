import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUserToken, verifyUserToken } from "./user-token";

const userId = "7d7c1f0e-4a39-4a5e-9d0b-3f1d5f1e2a10";
const secret = "a-test-secret-that-is-long-enough";
const hour = 3_600_000;

describe("user tokens", () => {
  it("round-trips the user id until it expires", () => {
    const now = Date.UTC(2026, 0, 1);
    const token = createUserToken("confirm-email", userId, secret, hour, now);
    expect(verifyUserToken("confirm-email", token, secret, now + hour - 1_000)).toEqual({
      ok: true,
      userId,
      expiresAt: new Date(now + hour),
    });
    expect(verifyUserToken("confirm-email", token, secret, now + hour)).toEqual({ ok: false, reason: "expired" });
  });

  it("keeps accepting confirmation links signed before tokens had purposes", () => {
    const expiry = Math.floor(Date.now() / 1000) + 3_600;
    const signature = createHmac("sha256", secret).update(`confirm-email:${userId}.${expiry}`).digest("base64url");
    expect(verifyUserToken("confirm-email", `${userId}.${expiry}.${signature}`, secret)).toMatchObject({ ok: true, userId });
  });

  it("refuses a token made for the other purpose, both ways, and says so", () => {
    const confirm = createUserToken("confirm-email", userId, secret, hour);
    const manage = createUserToken("manage-registration", userId, secret, hour);
    expect(verifyUserToken("manage-registration", confirm, secret)).toEqual({ ok: false, reason: "wrong-purpose" });
    expect(verifyUserToken("confirm-email", manage, secret)).toEqual({ ok: false, reason: "wrong-purpose" });
    expect(verifyUserToken("manage-registration", manage, secret)).toMatchObject({ ok: true, userId });
  });

  it("refuses a token signed with another secret", () => {
    const token = createUserToken("manage-registration", userId, "another-secret", hour);
    expect(verifyUserToken("manage-registration", token, secret)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a token whose user or expiry was altered", () => {
    const token = createUserToken("confirm-email", userId, secret, hour);
    const [, expiry, signature] = token.split(".");
    const otherUser = `0d7c1f0e-4a39-4a5e-9d0b-3f1d5f1e2a10.${expiry}.${signature}`;
    const later = `${userId}.${Number(expiry) + 86_400}.${signature}`;
    expect(verifyUserToken("confirm-email", otherUser, secret)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyUserToken("confirm-email", later, secret)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it.each(["", "nonsense", `${userId}.12`, `${userId}.abc.${"x".repeat(43)}`, "<script>"])("calls %j malformed", (token) => {
    expect(verifyUserToken("manage-registration", token, secret)).toEqual({ ok: false, reason: "malformed" });
  });
});
