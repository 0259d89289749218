import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRATION_UNAVAILABLE_MESSAGE } from "~/lib/registration-messages";

const webDir = fileURLToPath(new URL("..", import.meta.url));
const distDir = `.next-bundle-check-${randomBytes(4).toString("hex")}`;

/** Distinctive values, so that any appearance in the bundle is a leak and not a coincidence. */
const mark = (label: string) => `${label}${randomBytes(12).toString("hex")}`;
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

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Builds the web app (compile step only: everything the browser downloads) with secret-looking
 * values in the environment, into its own folder, then searches every file the browser can be
 * sent (`static/`) for them.
 */
describe("the browser bundle holds no secret", () => {
  let staticFiles: { path: string; text: string }[];

  beforeAll(() => {
    const build = spawnSync(join(webDir, "node_modules", ".bin", "next"), ["build", "--experimental-build-mode=compile"], {
      cwd: webDir,
      env: { ...process.env, ...env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
    staticFiles = filesUnder(join(webDir, distDir, "static")).map((path) => ({ path, text: readFileSync(path, "latin1") }));
  }, 600_000);

  afterAll(() => rmSync(join(webDir, distDir), { recursive: true, force: true }));

  it("searches real client code (a message only the registration form shows is found)", () => {
    expect(staticFiles.length).toBeGreaterThan(0);
    expect(staticFiles.some((file) => file.text.includes(REGISTRATION_UNAVAILABLE_MESSAGE))).toBe(true);
  });

  it.each(Object.entries({ ...env, ...secrets }))("does not contain %s", (_name, value) => {
    const leaks = staticFiles.filter((file) => file.text.includes(value) || file.text.includes(encodeURIComponent(value)));
    expect(leaks.map((file) => file.path)).toEqual([]);
  });
});
