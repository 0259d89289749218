import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnvFiles } from "./load-env-files.mjs";

const dir = mkdtempSync(join(tmpdir(), "userstream-load-env-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, ".env.example"),
  [
    "# comments and quotes as in the real file",
    "ONLY_EXAMPLE=example",
    "IN_BOTH=example",
    'REPORT_CRON="0 2 * * *"',
    'EMAIL_FROM="UserStream <welcome@userstream.local>"',
    "EMPTY_IN_DOT_ENV=example",
    "SESSION_SECRET=example-secret",
    "",
  ].join("\n"),
);
writeFileSync(join(dir, ".env"), ["IN_BOTH=dot-env", "EMPTY_IN_DOT_ENV=", "ONLY_DOT_ENV=dot-env", ""].join("\n"));

describe("loadEnvFiles", () => {
  it("fills the environment: the process environment wins over .env, which wins over .env.example", () => {
    const env: Record<string, string | undefined> = { USERSTREAM_ENV_DIR: dir, IN_BOTH: "environment", ONLY_EXAMPLE: "" };
    expect(loadEnvFiles(env)).toEqual([join(dir, ".env"), join(dir, ".env.example")]);
    expect(env).toEqual({
      USERSTREAM_ENV_DIR: dir,
      IN_BOTH: "environment",
      // Empty counts as unset at every level, so the next level fills it.
      ONLY_EXAMPLE: "example",
      EMPTY_IN_DOT_ENV: "example",
      ONLY_DOT_ENV: "dot-env",
      REPORT_CRON: "0 2 * * *",
      EMAIL_FROM: "UserStream <welcome@userstream.local>",
      SESSION_SECRET: "example-secret",
    });
  });

  it("leaves NAME unset when NAME_FILE is set, so a secret file is never 'both set' with a default", () => {
    const env: Record<string, string | undefined> = { USERSTREAM_ENV_DIR: dir, SESSION_SECRET_FILE: "/run/secrets/session" };
    loadEnvFiles(env);
    expect(env.SESSION_SECRET).toBeUndefined();
    expect(env.IN_BOTH).toBe("dot-env");
  });

  it("reads nothing with USERSTREAM_ENV_FILES=off, nor from a folder without the files", () => {
    const off: Record<string, string | undefined> = { USERSTREAM_ENV_DIR: dir, USERSTREAM_ENV_FILES: "off" };
    expect(loadEnvFiles(off)).toEqual([]);
    expect(off).toEqual({ USERSTREAM_ENV_DIR: dir, USERSTREAM_ENV_FILES: "off" });

    const empty = mkdtempSync(join(tmpdir(), "userstream-load-env-empty-"));
    const env: Record<string, string | undefined> = { USERSTREAM_ENV_DIR: empty };
    expect(loadEnvFiles(env)).toEqual([]);
    expect(env).toEqual({ USERSTREAM_ENV_DIR: empty });
    rmSync(empty, { recursive: true });
  });
});
