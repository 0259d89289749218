import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT_CONFIG } from "@userstream/runtime/load-env-files";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, spawnWorker } from "@userstream/test-support";

// A folder holding only a copy of .env.example: what a deployment that copied it would read.
const envDir = mkdtempSync(join(tmpdir(), "userstream-production-secrets-"));
copyFileSync(join(repoRoot, ".env.example"), join(envDir, ".env.example"));
afterAll(() => rmSync(envDir, { recursive: true, force: true }));

const PRODUCTION = {
  NODE_ENV: "production",
  USERSTREAM_ENV_DIR: envDir,
  USERSTREAM_LOCAL_TRIAL: "",
  CONFIRMATION_TOKEN_SECRET: "",
};

// The sender exits on its configuration before it connects to anything, so these are quick.
describe("the sender in production", () => {
  it.each([
    [
      "the published development secret of .env.example",
      {},
      /CONFIRMATION_TOKEN_SECRET: is a development value published in the repository/,
    ],
    ["no secret", { USERSTREAM_ENV_FILES: "off" }, /CONFIRMATION_TOKEN_SECRET: required: 32\+ characters/],
    ["a short secret", { CONFIRMATION_TOKEN_SECRET: "too-short" }, /CONFIRMATION_TOKEN_SECRET: must be at least 32 characters/],
    [
      "Resend without an API key",
      { EMAIL_PROVIDER: "resend", CONFIRMATION_TOKEN_SECRET: "x".repeat(48) },
      /RESEND_API_KEY: required/,
    ],
  ])("refuses to start with %s, naming it and how to make one", async (_, env, message) => {
    const sender = spawnWorker("sender", { ...PRODUCTION, ...env });
    expect((await sender.exited).code).toBe(EXIT_CONFIG);
    expect(sender.output()).toMatch(message);
    expect(sender.output()).toMatch(/make one with (`openssl rand -base64 48`|an API key)/);
  });
});

describe("a worker in production", () => {
  it("refuses to start when a URL carries a password docker-compose.yml publishes, naming the variable", async () => {
    const receiver = spawnWorker("receiver", {
      ...PRODUCTION,
      DATABASE_URL: "postgresql://userstream_app:userstream-app-dev-password@127.0.0.1:5432/userstream",
      AMQP_URL: "amqp://userstream:s3cret-of-its-own@127.0.0.1:5672,amqp://userstream:userstream-dev-password@127.0.0.1:5673",
    });
    expect((await receiver.exited).code).toBe(EXIT_CONFIG);
    expect(receiver.output()).toMatch(/DATABASE_URL: holds a password docker-compose.yml publishes/);
    expect(receiver.output()).toMatch(/AMQP_URL: holds a password docker-compose.yml publishes/);
  });
});
