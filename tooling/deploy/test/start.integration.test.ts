/**
 * The README's `npm start`, run as a newcomer runs it (the package.json script, which installs and
 * builds only what is missing: the test run built first), on free ports, against a database and a
 * virtual host of its own, with .env and .env.example from a folder of its own
 * (USERSTREAM_ENV_DIR): a developer's .env is never read nor touched.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  portVariables,
  registerAndAwaitWelcome,
  root,
  runRootScript,
  runSupervisor,
  type StartedScript,
  waitFor,
} from "./start-support";

let database: TestDatabase;
let vhost: Awaited<ReturnType<typeof createTestVhost>>;
let envDir: string;
const runs: StartedScript[] = [];

beforeAll(async () => {
  [database, vhost] = await Promise.all([createTestDatabase("userstream_start"), createTestVhost("userstream-start-test")]);
  envDir = mkdtempSync(join(tmpdir(), "userstream-start-"));
});
afterAll(async () => {
  await Promise.all(runs.map((run) => run.stop()));
  rmSync(envDir, { recursive: true, force: true });
  await vhost?.drop();
  await database?.drop();
});

describe("npm start", () => {
  it("reads the environment over .env over .env.example, serves a registration end to end, reports on schedule, and stops cleanly", async () => {
    // Three levels, one variable each seen from outside: EMAIL_FROM only in .env.example (the
    // welcome email's sender); REPORTS_DIR in .env over .env.example's ./reports (where the
    // report lands); REPORT_CRON in the environment over .env's nightly slot (a report within 30 s).
    const example = readFileSync(`${root}.env.example`, "utf8").replace(
      /^EMAIL_FROM=.*$/m,
      'EMAIL_FROM="Example Level <example-level@userstream.test>"',
    );
    writeFileSync(join(envDir, ".env.example"), example);
    const reportsDir = join(envDir, "reports");
    writeFileSync(join(envDir, ".env"), `REPORTS_DIR=${reportsDir}\nREPORT_CRON="0 2 * * *"\n`);
    const ports = await portVariables();

    const run = runRootScript("start", {
      ...ports,
      USERSTREAM_ENV_DIR: envDir,
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      REPORT_CRON: "*/10 * * * * *",
    });
    runs.push(run);
    await waitFor("the banner", async () => run.output().includes("UserStream is ready"), 150_000, run.output);
    // The banner names every address, on the ports given.
    for (const url of [
      `register         http://localhost:${ports.PORT}/`,
      `admin            http://localhost:${ports.PORT}/admin/login`,
      `mail catcher     http://localhost:${ports.MAIL_CATCHER_WEB_PORT}/`,
      `REST API         http://localhost:${ports.API_PORT}/api/v1`,
      `receiver health  http://localhost:${ports.RECEIVER_PORT}/healthz`,
      `reporter health  http://localhost:${ports.REPORTER_PORT}/healthz`,
    ]) {
      expect(run.output()).toContain(url);
    }
    // Each process's lines carry its name.
    expect(run.output()).toMatch(/^\[receiver\] +\{.*"service":"receiver"/m);

    const email = `start-${Date.now()}@example.com`;
    const welcome = await registerAndAwaitWelcome(
      `http://127.0.0.1:${ports.PORT}`,
      ports.MAIL_CATCHER_WEB_PORT,
      email,
      run.output,
    );
    expect(welcome.from[0]).toEqual({ address: "example-level@userstream.test", name: "Example Level" });

    // A scheduled run every 10 s: one of them lists the user registered above.
    await waitFor(
      "a scheduled report listing the new user, in the .env's REPORTS_DIR",
      async () =>
        existsSync(reportsDir) &&
        readdirSync(reportsDir)
          .filter((file) => /^report_users_\d{8}T\d{9}Z\.csv$/.test(file))
          .some((file) => readFileSync(join(reportsDir, file), "utf8").includes(email)),
      30_000,
      run.output,
    );

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    const stops = run.output().match(/^\[supervisor\] +(\S+) stopped \((.*)\)$/gm) ?? [];
    expect(stops.map((line) => line.replace(/^\[supervisor\] +/, ""))).toEqual([
      "web stopped (exit 0)",
      "api stopped (exit 0)",
      "receiver stopped (exit 0)",
      "sender stopped (exit 0)",
      "reporter stopped (exit 0)",
      "mail-catcher stopped (exit 0)",
    ]);
    expect(run.output()).toContain("every process stopped cleanly");
  });

  it("stops everything with 78, naming the variable, when a process refuses its configuration past the preflight", async () => {
    // The supervisor alone (what the script ends in), with a variable only the workers check.
    const run = runSupervisor(["--only", "mail-catcher,receiver,sender"], {
      ...(await portVariables()),
      USERSTREAM_ENV_DIR: envDir,
      RETRY_DELAYS_MS: "soon",
    });
    runs.push(run);
    expect(await run.exited).toBe(78);
    expect(run.output()).toMatch(/^\[(receiver|sender)\] +RETRY_DELAYS_MS: must be comma-separated milliseconds/m);
    expect(run.output()).toMatch(/stopped on its configuration \(exit 78, see its message above\); stopping everything/);
    // Stopped by the supervisor: exit 0 once its handler runs, or the signal itself if it came first.
    expect(run.output()).toMatch(/mail-catcher stopped \((exit 0|signal SIGTERM)\)$/m);
  });

  it("stops at its first check, naming AMQP_URL, when it is not a URL", async () => {
    const run = runRootScript("start", {
      ...(await portVariables()),
      USERSTREAM_ENV_DIR: envDir,
      DATABASE_URL: database.url,
      AMQP_URL: "nonsense",
    });
    runs.push(run);
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('AMQP_URL is not a URL: "nonsense"');
    // Before the minutes of migrating and building: the preflight check is what stopped it.
    expect(run.output()).not.toMatch(/db:migrate|turbo/);
  });
});
