import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL, databaseUrl } from "./env";

const dir = mkdtempSync(join(tmpdir(), "userstream-db-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("databaseUrl", () => {
  it("reads DATABASE_URL, DATABASE_URL_FILE, or falls back to the local default", () => {
    const file = join(dir, "url");
    writeFileSync(file, "postgresql://app:pw@db.example.com:5432/userstream?sslmode=verify-full\n");
    expect(databaseUrl({ DATABASE_URL_FILE: file })).toBe("postgresql://app:pw@db.example.com:5432/userstream?sslmode=verify-full");
    expect(databaseUrl({ DATABASE_URL: "postgresql://x@y/z" })).toBe("postgresql://x@y/z");
    expect(databaseUrl({})).toBe(DEFAULT_DATABASE_URL);
    expect(() => databaseUrl({ DATABASE_URL: "postgresql://x@y/z", DATABASE_URL_FILE: file })).toThrow(/both set/);
  });
});
