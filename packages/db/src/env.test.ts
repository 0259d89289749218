import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DATABASE_URL, databaseUrl, directDatabaseUrl, roleSetupUrls } from "./env";

const dir = mkdtempSync(join(tmpdir(), "userstream-db-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("databaseUrl", () => {
  it("reads DATABASE_URL, DATABASE_URL_FILE, or falls back to the local default", () => {
    const file = join(dir, "url");
    writeFileSync(file, "postgresql://app:pw@db.example.com:5432/userstream?sslmode=verify-full\n");
    expect(databaseUrl({ DATABASE_URL_FILE: file })).toBe(
      "postgresql://app:pw@db.example.com:5432/userstream?sslmode=verify-full",
    );
    expect(databaseUrl({ DATABASE_URL: "postgresql://x@y/z" })).toBe("postgresql://x@y/z");
    expect(databaseUrl({})).toBe(DEFAULT_DATABASE_URL);
    expect(() => databaseUrl({ DATABASE_URL: "postgresql://x@y/z", DATABASE_URL_FILE: file })).toThrow(/both set/);
  });
});

describe("directDatabaseUrl", () => {
  it("reads DIRECT_DATABASE_URL or DIRECT_DATABASE_URL_FILE, else falls back to DATABASE_URL", () => {
    const pooled = "postgresql://app@pgbouncer:6432/userstream";
    const direct = "postgresql://owner@db:5432/userstream";
    const file = join(dir, "direct-url");
    writeFileSync(file, `${direct}\n`);
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: direct })).toBe(direct);
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DIRECT_DATABASE_URL_FILE: file })).toBe(direct);
    expect(directDatabaseUrl({ DATABASE_URL: pooled })).toBe(pooled);
    expect(directDatabaseUrl({})).toBe(DEFAULT_DATABASE_URL);
  });
});

describe("roleSetupUrls", () => {
  const admin = "postgresql://postgres:pw@db:5432/userstream";
  const app = "postgresql://userstream_app:app-pw@db:5432/userstream";
  const migrator = "postgresql://userstream_migrator:m-pw@db:5432/userstream";

  it("is undefined without DATABASE_ADMIN_URL: no roles, DATABASE_URL's user owns and migrates", () => {
    expect(roleSetupUrls({ DATABASE_URL: migrator, DATABASE_APP_URL: app })).toBeUndefined();
  });

  it("reads the superuser's and the services' URLs, from files too", () => {
    const appFile = join(dir, "app-url");
    writeFileSync(appFile, `${app}\n`);
    expect(roleSetupUrls({ DATABASE_URL: migrator, DATABASE_ADMIN_URL: admin, DATABASE_APP_URL_FILE: appFile })).toEqual({
      adminUrl: admin,
      appUrl: app,
    });
  });

  it("refuses an admin URL without the services' URL, and URLs naming different databases", () => {
    expect(() => roleSetupUrls({ DATABASE_URL: migrator, DATABASE_ADMIN_URL: admin })).toThrow(
      /DATABASE_APP_URL is required with DATABASE_ADMIN_URL/,
    );
    expect(() =>
      roleSetupUrls({
        DATABASE_URL: migrator,
        DATABASE_ADMIN_URL: admin,
        DATABASE_APP_URL: app.replace(/\/userstream$/, "/other"),
      }),
    ).toThrow("DATABASE_APP_URL names database other, DATABASE_URL userstream: they must name the same one");
  });
});
