import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newSessionToken, sessionIdOf, signSessionToken, verifySessionToken } from "./session";

const SECRET = "a-test-session-secret-of-at-least-32-characters";

describe("session tokens", () => {
  it("are 256 random bits, never the same twice, stored only as their SHA-256", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newSessionToken()));
    expect(tokens.size).toBe(100);
    const [token = ""] = tokens;
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(sessionIdOf(token)).toBe(createHash("sha256").update(token).digest("hex"));
  });
});

describe("signSessionToken / verifySessionToken", () => {
  const token = newSessionToken();

  it("verifies what it signed", () => {
    expect(verifySessionToken(signSessionToken(token, SECRET), SECRET)).toBe(token);
  });

  it("refuses a value whose token or signature was changed, or that another secret signed", () => {
    const [, signature = ""] = signSessionToken(token, SECRET).split(".");
    const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
    expect(verifySessionToken(`${newSessionToken()}.${signature}`, SECRET)).toBeNull();
    expect(verifySessionToken(`${token}.${flipped}`, SECRET)).toBeNull();
    expect(verifySessionToken(`${token}.${signature.slice(0, -2)}`, SECRET)).toBeNull();
    expect(verifySessionToken(signSessionToken(token, `${SECRET}-other`), SECRET)).toBeNull();
  });

  it("refuses malformed input without throwing", () => {
    for (const value of [
      undefined,
      "",
      "abc",
      "a.b.c",
      ".",
      "x".repeat(5000),
      `${signSessionToken(token, SECRET)}.extra`,
      // Correctly signed, but not a token.
      signSessionToken("short", SECRET),
      signSessionToken(`${token.slice(0, -1)}*`, SECRET),
    ]) {
      expect(verifySessionToken(value, SECRET)).toBeNull();
    }
  });
});
