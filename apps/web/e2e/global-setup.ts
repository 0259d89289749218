import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import type { FullConfig } from "@playwright/test";
import { startServer, waitUntilReady, type StartedServer } from "./servers";

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(webDir, "../..");
const logDir = join(webDir, ".test-output");

/** Builds the web app unless a build exists (the root test script builds everything first). */
function ensureBuilt(): void {
  if (existsSync(join(webDir, ".next", "BUILD_ID")) && !process.env.E2E_REBUILD) return;
  const build = spawnSync("pnpm", ["--filter", "@userstream/web", "build"], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("`pnpm --filter @userstream/web build` failed");
}

/**
 * Gives the run its own database and RabbitMQ vhost (real queue names, nothing shared with other
 * runs), starts the receiver and `next start` against them, and waits until both are ready.
 * Returns the teardown: stop both, then drop the vhost and the database.
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts must set use.baseURL");
  const webPort = new URL(baseURL).port;
  const receiverPort = process.env.E2E_RECEIVER_PORT ?? "8181";

  ensureBuilt();
  const database = await createTestDatabase();
  const vhost = await createTestVhost("userstream-e2e");
  const servers: StartedServer[] = [];

  const teardown = async () => {
    for (const server of servers.reverse()) await server.stop();
    await vhost.drop();
    await database.drop();
  };

  try {
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
    };
    const receiver = startServer({
      name: "receiver",
      command: "pnpm",
      args: ["--filter", "@userstream/workers", "start:receiver"],
      cwd: repoRoot,
      env: { ...env, RECEIVER_PORT: receiverPort },
      logDir,
    });
    servers.push(receiver);
    const web = startServer({
      name: "web",
      command: join(webDir, "node_modules", ".bin", "next"),
      args: ["start", "--hostname", "127.0.0.1", "--port", webPort],
      cwd: webDir,
      env: { ...env, NODE_ENV: "production", APP_URL: baseURL },
      logDir,
    });
    servers.push(web);

    await Promise.all([
      waitUntilReady(receiver, `http://127.0.0.1:${receiverPort}/readyz`),
      waitUntilReady(web, `${baseURL}/api/health`),
    ]);
  } catch (error) {
    await teardown();
    throw error;
  }

  // Tests inspect the run's own database and vhost; workers inherit these.
  process.env.E2E_DATABASE_URL = database.url;
  process.env.E2E_AMQP_URL = vhost.url;
  return teardown;
}
