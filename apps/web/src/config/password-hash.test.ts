import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_ADMIN } from "../server/auth/development-admin";
import { hashPassword, parsePasswordHash, verifyPassword } from "./password-hash";

// Cheap parameters keep the tests fast; the default cost is exercised once, through the dev hash.
const CHEAP = { N: 2 ** 10, r: 8, p: 1 };

describe("hashPassword / verifyPassword", () => {
  it("verifies the password it hashed and nothing else", async () => {
    const stored = await hashPassword("correct horse battery staple", CHEAP);
    expect(stored).toMatch(/^scrypt:1024:8:1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("Correct horse battery staple", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hashPassword("same password", CHEAP), hashPassword("same password", CHEAP)]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", a)).toBe(true);
    expect(await verifyPassword("same password", b)).toBe(true);
  });

  it("treats composed and decomposed accents as the same password", async () => {
    const stored = await hashPassword("caf\u00e9-au-lait-123", CHEAP);
    expect(await verifyPassword("cafe\u0301-au-lait-123", stored)).toBe(true);
  });

  it("uses the default cost, and the documented development hash is the hash of `userstream-admin`", async () => {
    expect(DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH.startsWith("scrypt:32768:8:3:")).toBe(true);
    expect(await verifyPassword(DEVELOPMENT_ADMIN.ADMIN_PASSWORD, DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH)).toBe(true);
    const example = readFileSync(fileURLToPath(new URL("../../../../.env.example", import.meta.url)), "utf8");
    expect(example).toContain(`ADMIN_PASSWORD_HASH=${DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH}`);
    expect(example).toContain(`ADMIN_EMAIL=${DEVELOPMENT_ADMIN.ADMIN_EMAIL}`);
    expect(example).toContain(`SESSION_SECRET=${DEVELOPMENT_ADMIN.SESSION_SECRET}`);
  });

  it("matches nothing with a malformed or out-of-bounds hash, without throwing", async () => {
    const good = await hashPassword("a password", CHEAP);
    const [, , , , salt, hash] = good.split(":");
    const malformed = [
      "",
      "plain-text-password",
      `bcrypt:1024:8:1:${salt}:${hash}`,
      `scrypt:1000:8:1:${salt}:${hash}`, // N not a power of two
      `scrypt:1048576:8:1:${salt}:${hash}`, // 1 GiB of memory per sign-in
      `scrypt:1024:0:1:${salt}:${hash}`,
      `scrypt:1024:8:99:${salt}:${hash}`,
      `scrypt:1024:8:1:${salt}`,
      `scrypt:1024:8:1:${salt}:${hash}:extra`,
      `scrypt:1024:8:1:not+base64url:${hash}`,
      `scrypt:1024:8:1:${salt}:short`,
      `scrypt:0x400:8:1:${salt}:${hash}`,
    ];
    for (const stored of malformed) {
      expect(parsePasswordHash(stored), stored).toBeNull();
      expect(await verifyPassword("a password", stored), stored).toBe(false);
    }
  });
});

describe("pnpm admin:hash-password (scripts/hash-password.mjs)", () => {
  const script = fileURLToPath(new URL("../../scripts/hash-password.mjs", import.meta.url));

  it("prints a hash of the password read from stdin (one trailing newline ignored)", async () => {
    const run = spawnSync(process.execPath, [script], { input: "a long enough password\n", encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const stored = run.stdout.trim();
    expect(parsePasswordHash(stored)).not.toBeNull();
    expect(await verifyPassword("a long enough password", stored)).toBe(true);
  });

  it("refuses a short password", () => {
    const run = spawnSync(process.execPath, [script], { input: "short\n", encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("at least 12 characters");
    expect(run.stdout).toBe("");
  });
});
