import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { DEVELOPMENT_ADMIN } from "./server/auth/development-admin";

const dir = mkdtempSync(join(tmpdir(), "userstream-web-env-"));
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  vi.resetModules();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function secretFile(name: string, content: string) {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
}

describe("the web's environment", () => {
  it("reads any variable from NAME_FILE (Docker secrets)", async () => {
    delete process.env.DATABASE_URL;
    delete process.env.SESSION_SECRET;
    process.env.DATABASE_URL_FILE = secretFile("db", "postgresql://web:pw@db.example.com/userstream?sslmode=verify-full\n");
    process.env.SESSION_SECRET_FILE = secretFile("session", "s".repeat(40));
    process.env.AMQP_URL = "amqps://web:pw@broker.example.com/userstream";
    process.env.CONFIRMATION_TOKEN_SECRET = "c".repeat(40);
    process.env.ADMIN_PASSWORD_HASH = DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH;
    const { env } = await import("./env");
    expect(env.DATABASE_URL).toBe("postgresql://web:pw@db.example.com/userstream?sslmode=verify-full");
    expect(env.SESSION_SECRET).toBe("s".repeat(40));
    expect(env.AMQP_URL).toBe("amqps://web:pw@broker.example.com/userstream");
  });

  it("takes AMQP_URL as a cluster's nodes, comma-separated, and refuses a list with a bad entry", async () => {
    const nodes = "amqps://web:pw@rabbit-0/us,amqps://web:pw@rabbit-1/us,amqps://web:pw@rabbit-2/us";
    Object.assign(process.env, {
      DATABASE_URL: "postgresql://a@b/c",
      AMQP_URL: nodes,
      CONFIRMATION_TOKEN_SECRET: "c".repeat(40),
      ADMIN_PASSWORD_HASH: DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH,
      SESSION_SECRET: "s".repeat(40),
    });
    expect((await import("./env")).env.AMQP_URL).toBe(nodes);

    vi.resetModules();
    process.env.AMQP_URL = `${nodes},`;
    await expect(import("./env")).rejects.toThrow(/AMQP_URL: address 4 of 4: empty/);
  });

  it("refuses a variable set both ways, naming it", async () => {
    process.env.DATABASE_URL = "postgresql://a@b/c";
    process.env.DATABASE_URL_FILE = secretFile("both", "postgresql://d@e/f");
    await expect(import("./env")).rejects.toThrow(
      "Invalid environment variables for the web app:\n  - DATABASE_URL and DATABASE_URL_FILE are both set: set only one",
    );
  });

  it("names a secret file it cannot read", async () => {
    delete process.env.SESSION_SECRET;
    process.env.DATABASE_URL = "postgresql://a@b/c";
    process.env.AMQP_URL = "amqp://a@b";
    process.env.SESSION_SECRET_FILE = join(dir, "missing");
    await expect(import("./env")).rejects.toThrow(/SESSION_SECRET_FILE: cannot read .*missing \(ENOENT\)/);
  });

  it("refuses credentials in the management URL, and a management URL without its user and password", async () => {
    Object.assign(process.env, {
      DATABASE_URL: "postgresql://a@b/c",
      AMQP_URL: "amqp://a@b",
      CONFIRMATION_TOKEN_SECRET: "c".repeat(40),
      ADMIN_PASSWORD_HASH: DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH,
      SESSION_SECRET: "s".repeat(40),
      RABBITMQ_MANAGEMENT_URL: "http://ops:secret@rabbitmq:15672",
    });
    await expect(import("./env")).rejects.toThrow(
      /RABBITMQ_MANAGEMENT_URL: must not hold credentials: set RABBITMQ_MANAGEMENT_USER and RABBITMQ_MANAGEMENT_PASSWORD/,
    );

    vi.resetModules();
    process.env.RABBITMQ_MANAGEMENT_URL = "http://rabbitmq:15672";
    process.env.RABBITMQ_MANAGEMENT_USER = "ops";
    await expect(import("./env")).rejects.toThrow(
      /RABBITMQ_MANAGEMENT_USER, RABBITMQ_MANAGEMENT_PASSWORD: both required with RABBITMQ_MANAGEMENT_URL/,
    );

    vi.resetModules();
    process.env.RABBITMQ_MANAGEMENT_PASSWORD_FILE = secretFile("management", "s3cret\n");
    const { env } = await import("./env");
    expect([env.RABBITMQ_MANAGEMENT_URL, env.RABBITMQ_MANAGEMENT_USER, env.RABBITMQ_MANAGEMENT_PASSWORD]).toEqual([
      "http://rabbitmq:15672",
      "ops",
      "s3cret",
    ]);
  });
});
