/**
 * The Docker images' steps, run outside Docker (there is no engine here): the web's runtime stage
 * is the standalone folder copied on its own, the web's api stage and the workers' runtime stage
 * are the sources with production dependencies only, and the migrate stage's command. Each must start and work against
 * the real PostgreSQL and RabbitMQ, connected as the row-only app role of packages/db/sql/roles.sql
 * as the compose files connect them, with the secrets given as files (`NAME_FILE`, Docker secrets).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { createTestDatabaseWithRoles, type TestDatabaseWithRoles } from "@userstream/db/testing";
import { createTestVhost } from "@userstream/messaging/testing";
import { onFreePort, onFreePorts, ownedName } from "@userstream/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../../", import.meta.url));

let database: TestDatabaseWithRoles;
let vhost: Awaited<ReturnType<typeof createTestVhost>>;
const children: ChildProcess[] = [];
const folders: string[] = [];

beforeAll(async () => {
  [database, vhost] = await Promise.all([createTestDatabaseWithRoles("userstream_images_test"), createTestVhost("userstream-images-test")]);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  await vhost?.drop();
  await database?.drop();
});

function tempFolder(prefix: string) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Each value written to a file of its own, as Docker secrets are: `{ NAME_FILE: path }`. */
function secretFiles(values: Record<string, string>): Record<string, string> {
  const folder = tempFolder("userstream-image-secrets-");
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const path = join(folder, name.toLowerCase());
      writeFileSync(path, `${value}\n`, { mode: 0o400 });
      return [`${name}_FILE`, path];
    }),
  );
}

/** Starts a process as the image would; its output is kept for the failure message. */
function start(command: string, args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Runs `check` until it passes; fails with the process output if the process exits first. */
async function until(started: ReturnType<typeof start>, check: () => Promise<boolean>) {
  for (let i = 0; i < 240; i++) {
    if (started.child.exitCode !== null) throw new Error(`exited ${started.child.exitCode}:\n${started.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready:\n${started.output()}`);
}

/**
 * Starts a process that is told its port up front, as an image is (PORT, API_PORT, …), and waits
 * until `ready`; on another port when the one picked was taken meanwhile.
 */
function startOnFreePort(launch: (port: string) => ReturnType<typeof start>, ready: (port: string) => Promise<boolean>) {
  return onFreePort(async (number) => {
    const port = String(number);
    const started = launch(port);
    await until(started, () => ready(port));
    return { ...started, port };
  });
}

/** `COPY . .` (the tracked sources, what .dockerignore lets through) and a `pnpm install` into a clean folder. */
async function sourcesInstalled(prefix: string, installArgs: string[]): Promise<string> {
  const app = tempFolder(prefix);
  const { stdout } = await run("git", ["ls-files", "-z"], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  for (const file of stdout.split("\0").filter(Boolean)) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(app, file), { recursive: true });
  }
  await run("pnpm", ["install", "--frozen-lockfile", "--offline", ...installArgs], { cwd: app, maxBuffer: 16 * 1024 * 1024 });
  return app;
}

let productionInstall: Promise<string> | undefined;

/**
 * The sources with production dependencies only, as the web's api stage and the workers' runtime
 * stage install them (`--prod`, each filtered to its app), made once for both: one install of the
 * two filters together. pnpm links into each app's node_modules only what that app declares, so
 * either app's code resolves exactly what its own image holds; with the Prisma client generated.
 */
function productionSources(): Promise<string> {
  productionInstall ??= sourcesInstalled("userstream-prod-image-", ["--prod", "--filter", "@userstream/web...", "--filter", "@userstream/workers..."]).then(
    (app) => {
      // COPY --from=build /app/packages/db/src/generated …
      cpSync(join(root, "packages/db/src/generated"), join(app, "packages/db/src/generated"), { recursive: true });
      return app;
    },
  );
  return productionInstall;
}

/** The rows of one statement, on a connection of its own. */
async function sql(url: string, statement: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** The JSON-array command of a Dockerfile instruction (HEALTHCHECK … CMD [...] or CMD [...]) in a stage. */
function dockerCommand(dockerfile: string, stage: string, instruction: "CMD" | "HEALTHCHECK"): string[] {
  const text = readFileSync(join(root, dockerfile), "utf8").replaceAll("\\\n", " ");
  const body = text.split(/^FROM /m).find((part) => new RegExp(`^\\S+ AS ${stage}\\s*\\n`).test(part));
  const line = body?.split("\n").find((l) => l.startsWith(`${instruction} `));
  const json = line?.slice(line.indexOf("["));
  if (!json) throw new Error(`no ${instruction} in stage ${stage} of ${dockerfile}`);
  return JSON.parse(json) as string[];
}

/** The secrets the web's env.ts requires in production, for both of its images. */
const WEB_SECRETS = {
  CONFIRMATION_TOKEN_SECRET: "c".repeat(40),
  ADMIN_EMAIL: "admin@userstream.test",
  // Not the development admin of .env.example: production refuses the published secrets.
  ADMIN_PASSWORD_HASH: "scrypt:32768:8:3:gLj0Xb7ZQfh6NtbSUYH1cg:4Pg70s5rN-mSwCL2IOdAklD7bIj8aSc6QMUoV_B7VBg",
  SESSION_SECRET: "s".repeat(40),
};

describe("the web image's runtime stage", () => {
  it("runs from the standalone folder alone and serves the pages, the API and its health check", async () => {
    const web = join(root, "apps/web");
    if (!existsSync(join(web, ".next/standalone/apps/web/server.js"))) {
      await run("pnpm", ["turbo", "build", "--filter=@userstream/web"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    }
    // COPY --from=build /app/apps/web/.next/standalone ./
    const app = tempFolder("userstream-web-image-");
    cpSync(join(web, ".next/standalone"), app, { recursive: true, verbatimSymlinks: true });
    const env = {
      NODE_ENV: "production",
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: database.appUrl,
      AMQP_URL: vhost.url,
      REPORTS_DIR: tempFolder("userstream-web-image-reports-"),
      ...WEB_SECRETS,
    };
    const [command, ...args] = dockerCommand("apps/web/Dockerfile", "runtime", "CMD");
    expect(command).toBe("node");
    const server = await startOnFreePort(
      (port) => start(process.execPath, args, app, { ...env, PORT: port }),
      async (port) => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok,
    );
    const { port } = server;
    const base = `http://127.0.0.1:${port}`;

    const home = await fetch(base);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain("First name");
    // The browser assets were copied in beside the server.
    const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${base}${script}`)).status).toBe(200);
    // Prisma (through the bundled client) answers from the database: the public users list, over tRPC.
    const list = await fetch(`${base}/api/trpc/users.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    expect(await list.json()).toMatchObject({ result: { data: { json: { items: [], total: 0 } } } });

    // The image's HEALTHCHECK command passes against it.
    const [, ...healthArgs] = dockerCommand("apps/web/Dockerfile", "runtime", "HEALTHCHECK");
    await expect(run(process.execPath, healthArgs, { env: { PORT: port } })).resolves.toBeDefined();
    server.child.kill("SIGTERM");
  });
});

describe("the web image's api stage", () => {
  it("runs the REST API from the sources with production dependencies only and passes the HEALTHCHECK", async () => {
    // api-deps: COPY . . and RUN pnpm install --frozen-lockfile --offline --prod --filter "@userstream/web..."
    const app = await productionSources();
    expect(existsSync(join(app, "node_modules/.pnpm/node_modules/vitest"))).toBe(false);
    // As compose.prod.yml hands them over: every secret in a file.
    const env = {
      NODE_ENV: "production",
      ...secretFiles({ DATABASE_URL: database.appUrl, AMQP_URL: vhost.url, ...WEB_SECRETS }),
    };
    const [command, ...args] = dockerCommand("apps/web/Dockerfile", "api", "CMD");
    expect(command).toBe("node");
    const api = await startOnFreePort(
      (port) => start(process.execPath, args, join(app, "apps/web"), { ...env, API_PORT: port }),
      async (port) => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok,
    );
    const { port } = api;
    const base = `http://127.0.0.1:${port}`;

    const registration = { firstName: "Ada", lastName: "Lovelace", email: "ada.api-image@example.com" };
    const accepted = await fetch(`${base}/api/v1/registrations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(registration) });
    expect(accepted.status).toBe(202);
    // Prisma answers from the database: the registration is queued, not yet stored.
    const { registrationId } = (await accepted.json()) as { registrationId: string };
    expect(await (await fetch(`${base}/api/v1/registrations/${registrationId}`)).json()).toEqual({ registrationId, status: "queued" });

    const [, ...healthArgs] = dockerCommand("apps/web/Dockerfile", "api", "HEALTHCHECK");
    await expect(run(process.execPath, healthArgs, { env: { API_PORT: port } })).resolves.toBeDefined();
    api.child.kill("SIGTERM");
    await new Promise((resolve) => api.child.once("exit", resolve));
    expect(api.child.exitCode, `stops cleanly on SIGTERM:\n${api.output()}`).toBe(0);
  });
});

describe("the workers image", () => {
  // The sender's readiness checks its mail server: the local mail catcher answers.
  let smtpPort: number;
  let mailCatcher: ReturnType<typeof start>;
  beforeAll(async () => {
    await onFreePorts(2, async ([smtp = 0, web = 0]) => {
      smtpPort = smtp;
      mailCatcher = start(
        process.execPath,
        ["node_modules/maildev/bin/maildev", "--smtp", String(smtp), "--web", String(web), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent"],
        root,
        {},
      );
      await until(mailCatcher, async () => (await fetch(`http://127.0.0.1:${web}/email`)).ok);
    });
  });

  it("migrate stage: with only the database package installed, creates the database and applies the migrations", async () => {
    // migrate-deps: RUN pnpm install --frozen-lockfile --offline --filter "@userstream/db..."
    const app = await sourcesInstalled("userstream-migrate-image-", ["--filter", "@userstream/db..."]);
    expect(existsSync(join(app, "apps/web/node_modules"))).toBe(false);
    const url = new URL(database.adminUrl);
    url.pathname = `/${url.pathname.slice(1)}_migrate`;
    const [shell, flag, script] = dockerCommand("apps/workers/Dockerfile", "migrate", "CMD");
    try {
      const result = await run(shell ?? "sh", [flag ?? "-c", script ?? ""], {
        cwd: join(app, "packages/db"),
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: url.toString(), CHECKPOINT_DISABLE: "1" },
      });
      expect(result.stdout).toMatch(/Created database|applied/i);
      const tables = await sql(url.toString(), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
      expect(tables.map((row) => row.tablename)).toEqual(
        expect.arrayContaining(["notification_logs", "registrations", "report_logs", "users"]),
      );
    } finally {
      await sql(database.adminUrl, `DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    }
  });

  it("migrate stage, as the compose files run it: makes the roles, migrates as the owner, and rotates the app role's password", async () => {
    const app = await sourcesInstalled("userstream-migrate-roles-image-", ["--filter", "@userstream/db..."]);
    const name = ownedName("userstream_images_migrate");
    const [migrator, appRole] = [ownedName("userstream_test_migrator"), ownedName("userstream_test_app")];
    const as = (user: string, password = "") => {
      const url = new URL(database.adminUrl);
      Object.assign(url, { pathname: `/${name}`, username: user, password });
      return url.toString();
    };
    const [shell, flag, script] = dockerCommand("apps/workers/Dockerfile", "migrate", "CMD");
    const migrate = (appPassword: string) =>
      run(shell ?? "sh", [flag ?? "-c", script ?? ""], {
        cwd: join(app, "packages/db"),
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          CHECKPOINT_DISABLE: "1",
          // compose.prod.yml's migrate service: three secrets.
          ...secretFiles({ DATABASE_ADMIN_URL: as(new URL(database.adminUrl).username), DATABASE_URL: as(migrator, "migrator-password"), DATABASE_APP_URL: as(appRole, appPassword) }),
        },
      });
    const appPassword = async () => (await sql(database.adminUrl, `SELECT rolpassword FROM pg_authid WHERE rolname = '${appRole}'`))[0]?.rolpassword;
    try {
      expect((await migrate("first-app-password")).stdout).toMatch(new RegExp(`Created database ${name}[\\s\\S]*Roles ${migrator} \\(owner\\) and ${appRole} \\(rows only\\)`));
      expect(await sql(as(migrator), "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ tableowner: migrator }]);
      // The services' role: rows yes, schema no.
      await sql(as(appRole), "INSERT INTO report_logs (kind, trigger, status) VALUES ('users', 'manual', 'queued')");
      await expect(sql(as(appRole), "DROP TABLE users")).rejects.toThrow(/must be owner/);
      const first = await appPassword();
      expect(first).toMatch(/^SCRAM-SHA-256\$/);

      // Run again with a new password in the app's URL: nothing to migrate, the password rotated.
      expect((await migrate("rotated-app-password")).stdout).toMatch(/up to date/);
      expect(await appPassword()).not.toBe(first);
    } finally {
      await sql(database.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await sql(database.adminUrl, `DROP ROLE IF EXISTS "${appRole}", "${migrator}"`);
    }
  });

  it("runtime stage: with production dependencies only, each role starts from the entry point and passes the HEALTHCHECK", async () => {
    // prod-deps: COPY . . and RUN pnpm install --frozen-lockfile --offline --prod --filter "@userstream/workers..."
    const app = await productionSources();
    expect(existsSync(join(app, "node_modules/.pnpm/node_modules/vitest"))).toBe(false);

    const workers = join(app, "apps/workers");
    const secrets = secretFiles({
      DATABASE_URL: database.appUrl,
      AMQP_URL: vhost.url,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      CONFIRMATION_TOKEN_SECRET: WEB_SECRETS.CONFIRMATION_TOKEN_SECRET,
    });
    const healthcheck = dockerCommand("apps/workers/Dockerfile", "runtime", "HEALTHCHECK");
    for (const role of ["receiver", "sender", "reporter"]) {
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
        (port) => start("sh", ["docker/entrypoint.sh", role], workers, roleEnv(port)),
        (port) => run(process.execPath, healthcheck.slice(1), { cwd: workers, env: roleEnv(port) }).then(() => true),
      );
      worker.child.kill("SIGTERM");
      await new Promise((resolve) => worker.child.once("exit", resolve));
      expect(worker.child.exitCode, `${role} stops cleanly on SIGTERM:\n${worker.output()}`).toBe(0);
    }
  });
});
