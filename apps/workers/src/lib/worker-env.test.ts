import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadReceiverEnv } from "../receiver/env";
import { loadSenderEnv } from "../sender/env";

const secrets = mkdtempSync(join(tmpdir(), "userstream-worker-secrets-"));
afterAll(() => rmSync(secrets, { recursive: true, force: true }));
function secretFile(name: string, content: string) {
  writeFileSync(join(secrets, name), content);
  return join(secrets, name);
}

describe("worker environment", () => {
  it("has working local defaults", () => {
    const env = loadReceiverEnv({});
    expect(env).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/userstream",
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      RECEIVER_PORT: 8081,
      RETRY_DELAYS_MS: [1000, 5000, 30000],
    });
  });

  it("treats empty values as unset", () => {
    expect(loadReceiverEnv({ RECEIVER_PORT: "" }).RECEIVER_PORT).toBe(8081);
  });

  it.each([
    ["RECEIVER_PORT", "eighty"],
    ["RECEIVER_PREFETCH", "0"],
    ["DATABASE_URL", "not a url"],
    ["RETRY_DELAYS_MS", "1s,2s"],
    ["LOG_LEVEL", "loud"],
  ])("names the bad variable %s", (name, value) => {
    expect(() => loadReceiverEnv({ [name]: value })).toThrow(new RegExp(`Invalid environment variables:\\n  ${name}: `));
  });

  it("takes AMQP_URL as one broker or a cluster's nodes, and names a bad entry by its place", () => {
    const nodes = "amqp://u:pw@rabbit-0:5672/us, amqp://u:pw@rabbit-1:5672/us, amqp://u:pw@rabbit-2:5672/us";
    expect(loadReceiverEnv({ AMQP_URL: nodes }).AMQP_URL).toBe(nodes);
    expect(() => loadReceiverEnv({ AMQP_URL: "amqp://u:pw@rabbit-0/us,rabbit-1:5672" })).toThrow(
      "Invalid environment variables:\n  AMQP_URL: address 2 of 2: must be an amqp:// or amqps:// URL",
    );
  });

  it("reads any variable from NAME_FILE (Docker secrets), validated like the variable itself", () => {
    const env = loadSenderEnv({
      AMQP_URL_FILE: secretFile("amqp", "amqps://user:pw@broker.example.com/userstream\n"),
      CONFIRMATION_TOKEN_SECRET_FILE: secretFile("confirm", "x".repeat(40)),
      SMTP_URL: "smtps://127.0.0.1:465",
    });
    expect(env.AMQP_URL).toBe("amqps://user:pw@broker.example.com/userstream");
    expect(env.CONFIRMATION_TOKEN_SECRET).toBe("x".repeat(40));
    expect(() => loadSenderEnv({ CONFIRMATION_TOKEN_SECRET_FILE: secretFile("short", "short") })).toThrow(
      /CONFIRMATION_TOKEN_SECRET: must be at least 32 characters/,
    );
  });

  it("refuses a variable set both ways, and a secret file it cannot read, naming it", () => {
    expect(() =>
      loadReceiverEnv({ DATABASE_URL: "postgresql://a@b/c", DATABASE_URL_FILE: secretFile("db", "postgresql://d@e/f") }),
    ).toThrow("Invalid environment variables:\n  DATABASE_URL and DATABASE_URL_FILE are both set: set only one");
    expect(() => loadReceiverEnv({ DATABASE_URL_FILE: join(secrets, "nope") })).toThrow(
      /DATABASE_URL_FILE: cannot read .*nope \(ENOENT\)/,
    );
  });
});
