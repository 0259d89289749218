import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import type { Readable } from "node:stream";
import { join, resolve } from "node:path";
import { createTestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import type { FullConfig } from "@playwright/test";
import { hashPassword } from "../src/config/password-hash";
import { onFreePorts, ownerEnv, reportedPort } from "@userstream/test-support";
import { STANDALONE_SERVER, WEB_DIR, startServer, waitUntilListening, waitUntilReady, type StartedServer } from "./servers";

const repoRoot = resolve(WEB_DIR, "../..");

/** Builds the web app unless a build exists (the root test script builds everything first). */
function ensureBuilt(): void {
  if (existsSync(STANDALONE_SERVER) && !process.env.E2E_REBUILD) return;
  const build = spawnSync("pnpm", ["--filter", "@userstream/web", "build"], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error("`pnpm --filter @userstream/web build` failed");
}

/**
 * Gives the run its own database and RabbitMQ vhost (real queue names, nothing shared with other
 * runs) and its own mail catcher (maildev), starts the receiver, the sender (SMTP into maildev),
 * the reporter (schedule off) and the web's standalone server against them, and waits until all are ready. The
 * web and the sender share a confirmation secret made for this run; the web and the reporter
 * share a temporary REPORTS_DIR; the admin account and session secret are made for this run.
 * Returns the teardown: stop the servers, then drop the vhost and the database and remove the
 * temporary folders.
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts must set use.baseURL");
  const webPort = new URL(baseURL).port;
  const receiverPort = process.env.E2E_RECEIVER_PORT ?? "8181";
  const confirmationSecret = randomBytes(32).toString("base64url");
  const admin = { email: "admin@userstream.test", password: randomBytes(18).toString("base64url") };
  // The default cost would only slow the run; the tests sign in with the same code path either way.
  const adminPasswordHash = await hashPassword(admin.password, { N: 2 ** 12, r: 8, p: 1 });

  ensureBuilt();
  const database = await createTestDatabase();
  const vhost = await createTestVhost("userstream-e2e");
  const mailDirectory = mkdtempSync(join(tmpdir(), "userstream-e2e-mail-"));
  const reportsDirectory = mkdtempSync(join(tmpdir(), "userstream-e2e-reports-"));
  const servers: StartedServer[] = [];
  let control: Server | undefined;
  let maildevUrl = "";

  const teardown = async () => {
    control?.close();
    for (const server of servers.reverse()) await server.stop();
    await vhost.drop();
    await database.drop();
    rmSync(mailDirectory, { recursive: true, force: true });
    rmSync(reportsDirectory, { recursive: true, force: true });
  };

  try {
    const runEnv = {
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      APP_URL: baseURL,
      CONFIRMATION_TOKEN_SECRET: confirmationSecret,
      REPORTS_DIR: reportsDirectory,
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_LEVEL: "warn",
      // The webhook e2e's endpoint is a receiver on this machine (web and sender both check).
      WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
      WEBHOOK_RELAY_INTERVAL_MS: "200",
      // Marks every server with this process as its owner: a sweep ends them if this run is killed.
      ...ownerEnv(),
    };
    const env = { ...process.env, ...runEnv };
    const start = (name: string, command: string, args: string[], extraEnv: Record<string, string> = {}, cwd = repoRoot) => {
      const server = startServer({ name, command, args, cwd, env: { ...env, ...extraEnv } });
      servers.push(server);
      return server;
    };

    // maildev must be told its ports: other ones are tried when one was taken meanwhile.
    const smtpPort = await onFreePorts(2, async ([smtp = 0, web = 0]) => {
      const maildev = start("maildev", join(repoRoot, "node_modules", ".bin", "maildev"), [
        ...["--smtp", String(smtp), "--web", String(web)],
        ...["--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--mail-directory", mailDirectory, "--silent"],
      ]);
      await waitUntilListening(maildev, `http://127.0.0.1:${web}/email`);
      maildevUrl = `http://127.0.0.1:${web}`;
      return smtp;
    });
    // The sender sends through a relay that refuses `refuse-once…` recipients once and passes
    // everything else on to maildev, so a test can see a failed email and resend it.
    const relay = start("smtp-relay", "pnpm", [
      ...["--filter", "@userstream/workers", "exec", "node", "--import", "tsx", "test/smtp-refusing-relay.ts"],
      ...["--port", "0", "--to", `smtp://127.0.0.1:${smtpPort}`],
    ]);
    const relayPort = await reportedPort(relay.child.stdout as Readable);
    const startReceiver = () =>
      start("receiver", "pnpm", ["--filter", "@userstream/workers", "start:receiver"], { RECEIVER_PORT: receiverPort });
    let receiver = startReceiver();
    // The sender and the reporter bind ports of their own and name them in their start lines.
    const sender = start("sender", "pnpm", ["--filter", "@userstream/workers", "start:sender"], {
      SENDER_PORT: "0",
      EMAIL_PROVIDER: "smtp",
      SMTP_URL: `smtp://127.0.0.1:${relayPort}`,
      EMAIL_FROM: "UserStream <welcome@userstream.test>",
    });
    const reporter = start("reporter", "pnpm", ["--filter", "@userstream/workers", "start:reporter"], {
      REPORTER_PORT: "0",
      REPORT_CRON: "off",
    });
    const [senderPort, reporterPort] = await Promise.all(
      [sender, reporter].map((server) => reportedPort(server.child.stdout as Readable)),
    );
    const webEnv = {
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      PORT: webPort,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD_HASH: adminPasswordHash,
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      // Production refuses the published one of .env.example; no test here signs Resend events.
      RESEND_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString("base64")}`,
      // The pipeline view's readiness column; no management API here, so queue counts come over AMQP.
      RECEIVER_URL: `http://127.0.0.1:${receiverPort}`,
      SENDER_URL: `http://127.0.0.1:${senderPort}`,
      REPORTER_URL: `http://127.0.0.1:${reporterPort}`,
      // Every test registers from 127.0.0.1; the limit itself is tested in the web's integration tests.
      REGISTRATION_RATE_LIMIT: "1000",
      // Every test browses /users from 127.0.0.1 too; that limit is tested against the API server.
      USERS_LIST_RATE_LIMIT: "1000",
    };
    const web = start("web", process.execPath, [STANDALONE_SERVER], webEnv, WEB_DIR);
    // What a test needs to start one more web server like this one (`startAnotherWeb`).
    process.env.E2E_WEB_ENV = JSON.stringify({ ...runEnv, ...webEnv });

    await Promise.all([
      waitUntilReady(receiver, `http://127.0.0.1:${receiverPort}/readyz`),
      // The sender is ready once its SMTP server (the relay) answers.
      waitUntilReady(sender, `http://127.0.0.1:${senderPort}/readyz`),
      waitUntilReady(reporter, `http://127.0.0.1:${reporterPort}/readyz`),
      waitUntilReady(web, `${baseURL}/api/health`),
    ]);

    // Lets a test stop the receiver and start it again (POST /receiver/stop, /receiver/start), as
    // an operator or a crash would: the pipeline test watches the queue fill and drain. Starting a
    // receiver that runs changes nothing, so a test can always restore it in its `finally`.
    control = createServer((request, response) => {
      const answer = (status: number) => response.writeHead(status).end();
      if (request.method !== "POST") return answer(405);
      if (request.url === "/receiver/stop") {
        void receiver.stop().then(
          () => answer(204),
          () => answer(500),
        );
      } else if (request.url === "/receiver/start") {
        if (!receiver.running()) receiver = startReceiver();
        waitUntilReady(receiver, `http://127.0.0.1:${receiverPort}/readyz`).then(
          () => answer(204),
          () => answer(500),
        );
      } else {
        answer(404);
      }
    });
    await new Promise<void>((resolve) => control?.listen(0, "127.0.0.1", resolve));
    process.env.E2E_CONTROL_URL = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  } catch (error) {
    await teardown();
    throw error;
  }

  // Tests inspect the run's own database, vhost and mailbox, and sign tokens as the sender does;
  // Playwright's workers inherit these.
  process.env.E2E_DATABASE_URL = database.url;
  process.env.E2E_AMQP_URL = vhost.url;
  process.env.E2E_MAILDEV_URL = maildevUrl;
  process.env.E2E_CONFIRMATION_TOKEN_SECRET = confirmationSecret;
  process.env.E2E_ADMIN_EMAIL = admin.email;
  process.env.E2E_ADMIN_PASSWORD = admin.password;
  return teardown;
}
