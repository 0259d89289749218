import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePorts } from "@userstream/test-support";
import { root } from "./start-support";

/** Runs scripts/preflight.mjs with only `env` for configuration (no .env files read). */
function preflight(mode: "start" | "test", env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["scripts/preflight.mjs", mode],
      { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", USERSTREAM_ENV_FILES: "off", ...env } },
      (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
    );
  });
}

const reachable = {
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/userstream_preflight_never_created",
  AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
};

describe("scripts/preflight.mjs", () => {
  it("passes quietly when PostgreSQL and RabbitMQ answer (the database itself may not exist yet)", async () => {
    expect(await preflight("start", reachable)).toEqual({ code: 0, stderr: "" });
  });

  it("prints one line per missing service with what provides it, and exits 1", async () => {
    const [postgresPort, rabbitPort] = await freePorts(2);
    const result = await preflight("start", {
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${postgresPort}/userstream`,
      AMQP_URL: `amqp://guest:guest@127.0.0.1:${rabbitPort}`,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      `preflight: PostgreSQL is not reachable at 127.0.0.1:${postgresPort} (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${postgresPort}. Install and start it: sudo apt-get install postgresql, or docker compose up -d postgres rabbitmq`,
      `preflight: RabbitMQ is not reachable at 127.0.0.1:${rabbitPort} (AMQP_URL): connect ECONNREFUSED 127.0.0.1:${rabbitPort}. Install and start it: sudo apt-get install rabbitmq-server, or docker compose up -d postgres rabbitmq`,
      "preflight: 2 missing; nothing was started",
    ]);
  });

  it("names a variable that is not a URL, or one that is unset", async () => {
    const result = await preflight("start", { AMQP_URL: "nonsense" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'preflight: AMQP_URL is not a URL: "nonsense" (expected amqp:// or amqps://; see .env.example)',
    );
    expect(result.stderr).toContain(
      'preflight: DATABASE_URL is not a URL: "" (expected postgresql:// or postgres://; see .env.example)',
    );
  });

  it("for the tests, also checks Chromium, Python with pika and PostgreSQL's server programs", async () => {
    const result = await preflight("test", {
      CHROMIUM_PATH: "/nonexistent/chromium",
      CHAOS_PG_BIN: "/nonexistent/bin",
      INTEROP_PYTHON: "/nonexistent/python3",
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "preflight: Chromium (CHROMIUM_PATH, for the end-to-end tests) not found at /nonexistent/chromium. Install it: sudo apt-get install chromium, or set CHROMIUM_PATH",
      "preflight: Python with pika (INTEROP_PYTHON, for the interop tests) not found at /nonexistent/python3. Install it: sudo apt-get install python3-pika, or set INTEROP_PYTHON",
      "preflight: PostgreSQL's initdb (CHAOS_PG_BIN, for the chaos suite) not found at /nonexistent/bin/initdb. Install the server programs: sudo apt-get install postgresql-15, or set CHAOS_PG_BIN to their folder",
      "preflight: PostgreSQL's pg_ctl (CHAOS_PG_BIN, for the chaos suite) not found at /nonexistent/bin/pg_ctl. Install the server programs: sudo apt-get install postgresql-15, or set CHAOS_PG_BIN to their folder",
      "preflight: 4 missing; nothing was started",
    ]);
  });
});
