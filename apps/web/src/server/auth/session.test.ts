import { describe, expect, it } from "vitest";
import { signSession, verifySession } from "./session";

const SECRET = "a-test-session-secret-of-at-least-32-characters";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const session = { email: "admin@example.com", expiresAt: NOW + 8 * 60 * 60 * 1000 };

function replacePayload(token: string, payload: unknown): string {
  const [, signature] = token.split(".");
  return `${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${signature}`;
}

describe("signSession / verifySession", () => {
  it("verifies what it signed", () => {
    expect(verifySession(signSession(session, SECRET), SECRET, NOW)).toEqual(session);
  });

  it("refuses a token whose payload was changed", () => {
    const token = signSession(session, SECRET);
    expect(verifySession(replacePayload(token, { ...session, email: "mallory@example.com" }), SECRET, NOW)).toBeNull();
    expect(verifySession(replacePayload(token, { ...session, expiresAt: session.expiresAt + 1 }), SECRET, NOW)).toBeNull();
  });

  it("refuses a token whose signature was changed or made with another secret", () => {
    const token = signSession(session, SECRET);
    const [payload, signature = ""] = token.split(".");
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    expect(verifySession(`${payload}.${flipped}`, SECRET, NOW)).toBeNull();
    expect(verifySession(`${payload}.${signature.slice(0, -2)}`, SECRET, NOW)).toBeNull();
    expect(verifySession(signSession(session, `${SECRET}-other`), SECRET, NOW)).toBeNull();
  });

  it("refuses an expired token, from the moment it expires", () => {
    const token = signSession(session, SECRET);
    expect(verifySession(token, SECRET, session.expiresAt - 1)).toEqual(session);
    expect(verifySession(token, SECRET, session.expiresAt)).toBeNull();
    expect(verifySession(token, SECRET, session.expiresAt + 60_000)).toBeNull();
  });

  it("refuses malformed input without throwing", () => {
    const validSignatureOver = (encoded: string) => {
      // A correctly signed payload that is not JSON, or not a session.
      const token = signSession(session, SECRET);
      return token.replace(/^[^.]+/, encoded);
    };
    for (const token of [
      undefined,
      "",
      "abc",
      "a.b.c",
      ".",
      "x".repeat(5000),
      `${signSession(session, SECRET)}.extra`,
      validSignatureOver(Buffer.from("not json").toString("base64url")),
    ]) {
      expect(verifySession(token, SECRET, NOW)).toBeNull();
    }
  });

  it("refuses a correctly signed payload that is not a session", () => {
    // Signed with the real secret, so only the payload check can refuse it.
    expect(verifySession(signSession({ email: "", expiresAt: session.expiresAt }, SECRET), SECRET, NOW)).toBeNull();
    expect(verifySession(signSession({ email: "a@b.c", expiresAt: 1.5 }, SECRET), SECRET, NOW)).toBeNull();
  });
});
