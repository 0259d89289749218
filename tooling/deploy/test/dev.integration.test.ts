/**
 * The README's `pnpm dev`, as a developer runs it (the package.json script): migrations first, then
 * `next dev`, the REST API and the workers from source with hot reload, and the mail catcher, on
 * free ports, against a database and a virtual host of its own, with .env and .env.example from a
 * folder of its own (USERSTREAM_ENV_DIR).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portVariables, registerAndAwaitWelcome, root, runRootScript, type StartedScript, waitFor } from "./start-support";

let database: TestDatabase;
let vhost: Awaited<ReturnType<typeof createTestVhost>>;
let envDir: string;
let run: StartedScript | undefined;

beforeAll(async () => {
  [database, vhost] = await Promise.all([createTestDatabase("userstream_dev"), createTestVhost("userstream-dev-test")]);
  envDir = mkdtempSync(join(tmpdir(), "userstream-dev-"));
});
afterAll(async () => {
  await run?.stop();
  rmSync(envDir, { recursive: true, force: true });
  await vhost?.drop();
  await database?.drop();
});

describe("pnpm dev", () => {
  it("migrates, runs every process from source and takes a registration through to the welcome email", async () => {
    copyFileSync(`${root}.env.example`, join(envDir, ".env.example"));
    // The workers read .env too (they used to run on their code defaults under dev).
    writeFileSync(join(envDir, ".env"), 'EMAIL_FROM="Dot Env <dot-env@userstream.test>"\n');
    const ports = await portVariables();
    run = runRootScript("dev", { ...ports, USERSTREAM_ENV_DIR: envDir, DATABASE_URL: database.url, AMQP_URL: vhost.url });
    const { output } = run;
    await waitFor("the banner", async () => output().includes("UserStream is ready (development)"), 240_000, output);

    const email = `dev-${Date.now()}@example.com`;
    const welcome = await registerAndAwaitWelcome(
      `http://127.0.0.1:${ports.API_PORT}`,
      ports.MAIL_CATCHER_WEB_PORT,
      email,
      output,
    );
    expect(welcome.from[0]?.address).toBe("dot-env@userstream.test");

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });
});
