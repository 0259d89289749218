// Checks, in a few seconds, what `npm start` (`start`) or `npm test` (`test`) needs before either
// spends minutes building, and prints one line per missing thing with the command that provides
// it. Exit 1 when anything is missing.
//
//   start: PostgreSQL at DATABASE_URL and RabbitMQ at AMQP_URL (environment > .env > .env.example)
//   test:  the test servers (TEST_DATABASE_URL with a superuser, TEST_AMQP_URL, from the
//          environment as the tests read them), `rabbitmqctl`, Chromium (CHROMIUM_PATH), Debian's
//          Python with pika (INTEROP_PYTHON, the interop tests), PostgreSQL's server programs (CHAOS_PG_BIN, for
//          the chaos suite) and PgBouncer (PGBOUNCER_BIN, which the pipeline, rate-limit and chaos tests put in
//          front of PostgreSQL)
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { loadEnvFiles } from "../packages/runtime/src/load-env-files.mjs";

const mode = process.argv[2];
if (mode !== "start" && mode !== "test") {
  console.error("usage: node scripts/preflight.mjs start|test");
  process.exit(2);
}
const env = process.env;
if (mode === "start") loadEnvFiles();

// The drivers the processes use, from the packages that depend on them (installed just before).
const pg = createRequire(new URL("../packages/db/package.json", import.meta.url))("pg");
const amqp = createRequire(new URL("../packages/messaging/package.json", import.meta.url))("amqplib");

const SERVICES = "docker compose up -d postgres rabbitmq";
// The defaults of packages/db/src/env.ts, packages/messaging/src/testing.ts, the Playwright
// config and packages/test-support/src/env.ts.
const TEST_DATABASE_URL = env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const TEST_AMQP_URL = env.TEST_AMQP_URL || "amqp://guest:guest@127.0.0.1:5672";
const CHROMIUM_PATH = env.CHROMIUM_PATH || "/usr/bin/chromium";
const PG_BIN = env.CHAOS_PG_BIN || "/usr/lib/postgresql/15/bin";
const INTEROP_PYTHON = env.INTEROP_PYTHON || "/usr/bin/python3";
const PGBOUNCER_BIN = env.PGBOUNCER_BIN || "/usr/sbin/pgbouncer";

/** Parses a URL variable, or says what is wrong with it. */
function parseUrl(name, value, protocols) {
  const expected = protocols.map((protocol) => `${protocol}//`).join(" or ");
  let url;
  try {
    url = new URL(value ?? "");
  } catch {
    return { problem: `${name} is not a URL: ${JSON.stringify(value ?? "")} (expected ${expected}; see .env.example)` };
  }
  if (!protocols.includes(url.protocol))
    return { problem: `${name} is a ${url.protocol}// URL (expected ${expected}; see .env.example)` };
  return { url };
}

const where = (url) =>
  `${url.hostname}:${url.port || (url.protocol.startsWith("postgres") ? 5432 : url.protocol === "amqps:" ? 5671 : 5672)}`;
const reason = (error) => (error.message || error.code || String(error)).split("\n")[0];

async function checkPostgres(name, value, { superuser = false } = {}) {
  const { url, problem } = parseUrl(name, value, ["postgresql:", "postgres:"]);
  if (problem) return problem;
  // The maintenance database: the one named may not exist yet (migrations create it).
  const maintenance = new URL(url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.href, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    if (!superuser) return null;
    const { rows } = await client.query("SELECT current_user AS name, rolsuper FROM pg_roles WHERE rolname = current_user");
    if (rows[0]?.rolsuper) return null;
    return `PostgreSQL user ${rows[0]?.name} (${name}) is not a superuser, which the tests need to create databases and roles: sudo -u postgres psql -c 'ALTER ROLE "${rows[0]?.name}" SUPERUSER'`;
  } catch (error) {
    return `PostgreSQL is not reachable at ${where(url)} (${name}): ${reason(error)}. Install and start it: sudo apt-get install postgresql, or ${SERVICES}`;
  } finally {
    await client.end().catch(() => {});
  }
}

async function checkRabbitMq(name, value) {
  const { url, problem } = parseUrl(name, value, ["amqp:", "amqps:"]);
  if (problem) return problem;
  try {
    const connection = await amqp.connect(value, { timeout: 3000 });
    await connection.close();
    return null;
  } catch (error) {
    return `RabbitMQ is not reachable at ${where(url)} (${name}): ${reason(error)}. Install and start it: sudo apt-get install rabbitmq-server, or ${SERVICES}`;
  }
}

function checkExecutable(file, what, install) {
  try {
    accessSync(file, constants.X_OK);
    return null;
  } catch {
    return `${what} not found at ${file}. ${install}`;
  }
}

function checkRabbitmqctl() {
  return new Promise((resolve) => {
    execFile("rabbitmqctl", ["-q", "list_vhosts"], { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!error) resolve(null);
      else if (error.code === "ENOENT")
        resolve("rabbitmqctl not found (the tests make a virtual host each with it): sudo apt-get install rabbitmq-server");
      else
        resolve(
          `rabbitmqctl cannot manage the broker (${(stderr || error.message).trim().split("\n")[0]}): run the tests as a user allowed to (root, or one sharing the broker's Erlang cookie)`,
        );
    });
  });
}

/** Debian's Python with pika (INTEROP_PYTHON), which the interop tests publish with (apps/workers/test/interop/). */
function checkPythonPika() {
  return new Promise((resolve) => {
    execFile(INTEROP_PYTHON, ["-c", "import pika"], { timeout: 30_000 }, (error) =>
      resolve(
        error
          ? `Python with pika (INTEROP_PYTHON, for the interop tests) not found at ${INTEROP_PYTHON}. Install it: sudo apt-get install python3-pika, or set INTEROP_PYTHON`
          : null,
      ),
    );
  });
}

const checks =
  mode === "start"
    ? [checkPostgres("DATABASE_URL", env.DATABASE_URL), checkRabbitMq("AMQP_URL", env.AMQP_URL)]
    : [
        checkPostgres("TEST_DATABASE_URL", TEST_DATABASE_URL, { superuser: true }),
        checkRabbitMq("TEST_AMQP_URL", TEST_AMQP_URL),
        checkRabbitmqctl(),
        checkExecutable(
          CHROMIUM_PATH,
          "Chromium (CHROMIUM_PATH, for the end-to-end tests)",
          "Install it: sudo apt-get install chromium, or set CHROMIUM_PATH",
        ),
        checkPythonPika(),
        checkExecutable(
          PGBOUNCER_BIN,
          "PgBouncer (PGBOUNCER_BIN, for the tests that run through a transaction pooler)",
          "Install it: sudo apt-get install pgbouncer, or set PGBOUNCER_BIN",
        ),
        ...["initdb", "pg_ctl"].map((program) =>
          checkExecutable(
            path.join(PG_BIN, program),
            `PostgreSQL's ${program} (CHAOS_PG_BIN, for the chaos suite)`,
            "Install the server programs: sudo apt-get install postgresql-15, or set CHAOS_PG_BIN to their folder",
          ),
        ),
      ];
const problems = (await Promise.all(checks)).filter(Boolean);
for (const problem of problems) console.error(`preflight: ${problem}`);
if (problems.length > 0) {
  console.error(`preflight: ${problems.length} missing; nothing was started`);
  process.exit(1);
}
