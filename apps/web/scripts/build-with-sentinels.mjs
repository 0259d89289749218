// Runs a build of the web (`node build-with-sentinels.mjs RECORD -- COMMAND...`) with distinctive,
// secret-looking values of DATABASE_URL, AMQP_URL, SESSION_SECRET and RESEND_API_KEY in its
// environment, made for this build, and writes them to RECORD (JSON) with the BUILD_ID the build
// wrote. The bundle scan (src/bundle-secrets.integration.test.ts) searches that build's browser
// files for them: `npm test` wraps its main build so, and the scan builds on its own without it.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const [record, separator, command, ...args] = process.argv.slice(2);
if (!record || separator !== "--" || !command) {
  console.error("usage: node build-with-sentinels.mjs RECORD -- COMMAND [ARGS...]");
  process.exit(2);
}

/** Random enough that any appearance in the bundle is a leak, not a coincidence. */
const mark = (label) => `${label}${randomBytes(12).toString("hex")}`;
const secrets = {
  databasePassword: mark("dbpw"),
  amqpPassword: mark("amqppw"),
  sessionSecret: mark("session-secret-"),
  resendKey: `re_${mark("resend")}`,
};
const env = {
  DATABASE_URL: `postgresql://userstream:${secrets.databasePassword}@db.internal.test:5432/userstream`,
  AMQP_URL: `amqp://userstream:${secrets.amqpPassword}@broker.internal.test:5672`,
  SESSION_SECRET: secrets.sessionSecret,
  RESEND_API_KEY: secrets.resendKey,
};

const build = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
if (build.status !== 0) process.exit(build.status ?? 1);

// next.config.ts's distDir (NEXT_DIST_DIR builds elsewhere), under apps/web.
const distDir = process.env.NEXT_DIST_DIR || ".next";
const buildId = readFileSync(join(fileURLToPath(new URL("..", import.meta.url)), distDir, "BUILD_ID"), "utf8").trim();
writeFileSync(record, `${JSON.stringify({ distDir, buildId, env, secrets }, null, 2)}\n`);
