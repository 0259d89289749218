import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTRATION_UNAVAILABLE_MESSAGE } from "~/lib/registration-messages";

const webDir = fileURLToPath(new URL("..", import.meta.url));
const buildWithSentinels = join(webDir, "scripts", "build-with-sentinels.mjs");

/** What scripts/build-with-sentinels.mjs records about the build it ran. */
interface SentinelRecord {
  distDir: string;
  buildId: string;
  env: Record<string, string>;
  secrets: Record<string, string>;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The build to scan. `npm test` runs its main build with the sentinel values and names the record
 * in BUNDLE_SENTINELS_RECORD: that build is scanned, after checking that `.next` still holds it
 * (same BUILD_ID). Run alone, the test builds the app itself (compile step only: everything the
 * browser downloads) into a folder of its own, with values of its own.
 */
function sentinelBuild(): { record: SentinelRecord; cleanup: () => void } {
  const recordFile = process.env.BUNDLE_SENTINELS_RECORD;
  if (recordFile) {
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as SentinelRecord;
    const buildId = readFileSync(join(webDir, record.distDir, "BUILD_ID"), "utf8").trim();
    if (buildId !== record.buildId) {
      throw new Error(
        `${record.distDir} holds build ${buildId}, not ${record.buildId} made with the values in ${recordFile}: build again`,
      );
    }
    return { record, cleanup: () => undefined };
  }
  const distDir = `.next-bundle-check-${randomBytes(4).toString("hex")}`;
  const recordDir = mkdtempSync(join(tmpdir(), "userstream-bundle-check-"));
  const cleanup = () => {
    rmSync(join(webDir, distDir), { recursive: true, force: true });
    rmSync(recordDir, { recursive: true, force: true });
  };
  const next = join(webDir, "node_modules", ".bin", "next");
  const build = spawnSync(
    process.execPath,
    [buildWithSentinels, join(recordDir, "record.json"), "--", next, "build", "--experimental-build-mode=compile"],
    {
      cwd: webDir,
      env: { ...process.env, NODE_ENV: "production", NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    },
  );
  if (build.status !== 0) {
    cleanup();
    throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
  }
  return { record: JSON.parse(readFileSync(join(recordDir, "record.json"), "utf8")) as SentinelRecord, cleanup };
}

/** Every value the build had in its environment, and the secret part of each URL alone. */
const SENTINELS = ["DATABASE_URL", "AMQP_URL", "SESSION_SECRET", "RESEND_API_KEY", "databasePassword", "amqpPassword"] as const;

describe("the browser bundle holds no secret", () => {
  let build: ReturnType<typeof sentinelBuild> | undefined;
  let staticFiles: { path: string; text: string }[];

  beforeAll(() => {
    build = sentinelBuild();
    staticFiles = filesUnder(join(webDir, build.record.distDir, "static")).map((path) => ({
      path,
      text: readFileSync(path, "latin1"),
    }));
  }, 600_000);

  afterAll(() => build?.cleanup());

  it("searches real client code (a message only the registration form shows is found)", () => {
    expect(staticFiles.length).toBeGreaterThan(0);
    expect(staticFiles.some((file) => file.text.includes(REGISTRATION_UNAVAILABLE_MESSAGE))).toBe(true);
  });

  it.each(SENTINELS)("does not contain %s", (name) => {
    const value = { ...build?.record.env, ...build?.record.secrets }[name];
    expect(value, `the build's record has no ${name}`).toMatch(/[0-9a-f]{24}/);
    const leaks = staticFiles.filter(
      (file) => file.text.includes(value ?? "") || file.text.includes(encodeURIComponent(value ?? "")),
    );
    expect(leaks.map((file) => file.path)).toEqual([]);
  });
});
