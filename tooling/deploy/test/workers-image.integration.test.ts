/**
 * The workers Dockerfile's runtime stage, run outside Docker (image-support.ts): the bundles and
 * the entry point copied on their own, each role started as the image starts it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureWorkerBundles, onFreePorts } from "@userstream/test-support";
import { beforeAll, describe, expect, it } from "vitest";
import { dockerCommand } from "./dockerfiles";
import {
  baseEnv,
  bundleStage,
  run,
  secretFiles,
  start,
  startOnFreePort,
  stopped,
  tempFolder,
  until,
  useImageServices,
  WEB_SECRETS,
} from "./image-support";
import { root } from "./start-support";

const DOCKERFILE = "apps/workers/Dockerfile";
const ROLES = ["receiver", "sender", "reporter"] as const;
const services = useImageServices("workers_image");

// The sender's readiness checks its mail server: the local mail catcher answers.
let smtpPort: number;
beforeAll(async () => {
  // The build stage: `pnpm turbo build --filter=@userstream/workers` (the bundles).
  await ensureWorkerBundles();
  await onFreePorts(2, async ([smtp = 0, web = 0]) => {
    smtpPort = smtp;
    const mailCatcher = start(
      process.execPath,
      [
        "node_modules/maildev/bin/maildev",
        "--smtp",
        String(smtp),
        "--web",
        String(web),
        "--ip",
        "127.0.0.1",
        "--web-ip",
        "127.0.0.1",
        "--silent",
      ],
      root,
      {},
    );
    await until(mailCatcher, async () => (await fetch(`http://127.0.0.1:${web}/email`)).ok);
  });
});

describe("the workers image's runtime stage", () => {
  it("holds the bundles and the entry point alone; every role runs with plain node on its .mjs", () => {
    const app = bundleStage(DOCKERFILE, "runtime");
    expect(
      readdirSync(join(app, "dist"))
        .filter((file) => file.endsWith(".mjs"))
        .sort(),
    ).toEqual(["receiver.mjs", "replay-dead-letters.mjs", "reporter.mjs", "sender.mjs"]);
    const [, entrypoint = ""] = dockerCommand(DOCKERFILE, "runtime", "ENTRYPOINT");
    const commands = [...readFileSync(join(app, entrypoint), "utf8").matchAll(/^\s*exec node (.*?)( ;;)?$/gm)].map(
      (match) => match[1],
    );
    expect(commands).toHaveLength(3);
    // Node flags, then a bundle: no loader, no TypeScript.
    for (const command of commands) expect(command).toMatch(/^(--[\w-]+=\w+ )*"?dist\/[\w$-]+\.mjs"?( "\$@")?$/);
  });

  it("with nothing but what it copies, each role starts from the entry point, passes the HEALTHCHECK and stops cleanly", async () => {
    const app = bundleStage(DOCKERFILE, "runtime");
    const secrets = secretFiles({
      DATABASE_URL: services.database.appUrl,
      AMQP_URL: services.vhost.url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CONFIRMATION_TOKEN_SECRET: WEB_SECRETS.CONFIRMATION_TOKEN_SECRET,
    });
    const [, ...healthcheck] = dockerCommand(DOCKERFILE, "runtime", "HEALTHCHECK");
    const [shell = "sh", entrypoint = ""] = dockerCommand(DOCKERFILE, "runtime", "ENTRYPOINT");
    for (const role of ROLES) {
      const reportsDir = tempFolder("userstream-workers-image-reports-");
      const roleEnv = (port: string) => ({
        NODE_ENV: "production",
        ...secrets,
        LOG_LEVEL: "warn",
        RECEIVER_PORT: role === "receiver" ? port : "1",
        SENDER_PORT: role === "sender" ? port : "1",
        REPORTER_PORT: role === "reporter" ? port : "1",
        REPORTS_DIR: reportsDir,
        REPORT_CRON: "off",
        // An empty file leaves the variable unset, as /dev/null does for Resend's key in compose.prod.yml.
        RESEND_API_KEY_FILE: "/dev/null",
      });
      const worker = await startOnFreePort(
        (port) => start(shell, [entrypoint, role], app, roleEnv(port)),
        (port) => run(process.execPath, healthcheck, { cwd: app, env: roleEnv(port) }).then(() => true),
      );
      expect(await stopped(worker), `${role} stops cleanly on SIGTERM:\n${worker.output()}`).toBe(0);
    }
    // The dead-letter replay, from its bundle too, against the queues the workers declared.
    const replay = await run(shell, [entrypoint, "replay-dead-letters", "user.registration"], {
      cwd: app,
      env: { ...baseEnv(), ...secrets },
    });
    expect(replay.stdout).toContain("Moved 0 messages from user.registration.dead back to user.registration.");
  });
});
