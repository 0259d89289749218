import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT_CONFIG } from "@userstream/runtime/load-env-files";
import { SECRETS } from "@userstream/runtime/env";
import { afterAll, describe, expect, it } from "vitest";

const webDir = fileURLToPath(new URL("..", import.meta.url));
// A folder holding only a copy of .env.example: what a deployment that copied it would read.
const envDir = mkdtempSync(join(tmpdir(), "userstream-api-secrets-"));
copyFileSync(join(webDir, "../../.env.example"), join(envDir, ".env.example"));
afterAll(() => rmSync(envDir, { recursive: true, force: true }));

const GOOD = {
  SESSION_SECRET: "s".repeat(48),
  CONFIRMATION_TOKEN_SECRET: "c".repeat(48),
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:gLj0Xb7ZQfh6NtbSUYH1cg:4Pg70s5rN-mSwCL2IOdAklD7bIj8aSc6QMUoV_B7VBg",
  RESEND_WEBHOOK_SECRET: `whsec_${Buffer.from("w".repeat(32)).toString("base64")}`,
};

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `start:api` in production (the env module of the web too); it exits on its configuration before connecting. */
async function startApi(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "src/api-main.ts"], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      USERSTREAM_ENV_DIR: envDir,
      USERSTREAM_LOCAL_TRIAL: "",
      API_PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = await once(child, "exit");
  return { code, output };
}

describe("the API server in production", () => {
  it.each(["SESSION_SECRET", "ADMIN_PASSWORD_HASH", "CONFIRMATION_TOKEN_SECRET", "RESEND_WEBHOOK_SECRET"] as const)(
    "refuses the published development %s of .env.example, naming it and how to make one",
    async (name) => {
      const { code, output } = await startApi({ ...GOOD, [name]: "" });
      expect(code).toBe(EXIT_CONFIG);
      expect(output).toMatch(
        new RegExp(
          `- ${name}: is a development value published in the repository.*make one with ${escaped(SECRETS[name].generate)}`,
        ),
      );
      // Only that one: the others were good.
      expect(output.match(/published in the repository/g)).toHaveLength(1);
    },
  );

  it.each([
    ["SESSION_SECRET", "", /SESSION_SECRET: required: 32\+ characters; make one with `openssl rand -base64 48`/],
    ["SESSION_SECRET", "too-short", /SESSION_SECRET: must be at least 32 characters; .*`openssl rand -base64 48`/],
    [
      "ADMIN_PASSWORD_HASH",
      "",
      /ADMIN_PASSWORD_HASH: required: make one with `pnpm --filter @userstream\/web admin:hash-password`/,
    ],
  ])("refuses %s=%j, naming it and how to make one", async (name, value, message) => {
    const { code, output } = await startApi({
      ...GOOD,
      USERSTREAM_ENV_FILES: "off",
      DATABASE_URL: "postgresql://a@b/c",
      AMQP_URL: "amqp://a@b",
      [name]: value,
    });
    expect(code).toBe(EXIT_CONFIG);
    expect(output).toMatch(message);
  });

  it("refuses a database URL and a management password that keep docker-compose.yml's development password", async () => {
    const { code, output } = await startApi({
      ...GOOD,
      DATABASE_URL: "postgresql://userstream_app:userstream-app-dev-password@127.0.0.1:5432/userstream",
      RABBITMQ_MANAGEMENT_URL: "http://127.0.0.1:15672",
      RABBITMQ_MANAGEMENT_USER: "userstream",
      RABBITMQ_MANAGEMENT_PASSWORD: "userstream-dev-password",
    });
    expect(code).toBe(EXIT_CONFIG);
    expect(output).toMatch(/- DATABASE_URL: holds a password docker-compose.yml publishes/);
    expect(output).toMatch(/- RABBITMQ_MANAGEMENT_PASSWORD: holds a password docker-compose.yml publishes/);
    expect(output).not.toMatch(/AMQP_URL: holds/);
  });
});
