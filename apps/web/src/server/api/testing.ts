/** Helpers for the procedures' and the API server's integration tests (imported by `*.integration.test.ts` only). */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { PrismaClient } from "@userstream/db";
import { createPublisher, type Publisher } from "@userstream/messaging";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { AdminAuthConfig, AdminSession } from "../auth/admin-auth";
import { DEVELOPMENT_ADMIN } from "../auth/development-admin";
import { UNREACHABLE_AMQP_URL, setupTestDatabase, type TestBroker, type TestDatabaseHandle } from "../testing";
import { createCaller } from "./root";

/** The tRPC error code a call failed with; throws when it succeeded or failed otherwise. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  throw new Error("expected the call to fail");
}

/** A signed-in admin's session, for the admin procedures. */
export const TEST_ADMIN_SESSION: AdminSession = { email: "admin@example.com", expiresAt: Date.now() + 3_600_000 };

/**
 * Calls the procedures in-process as `adminSession` (null: nobody signed in), against the file's
 * database, publishing on its vhost, or (`broker` "down") on a broker that is not there.
 */
export function procedureCaller(database: TestDatabaseHandle, broker: TestBroker) {
  return (adminSession: AdminSession | null, state: "up" | "down" = "up") =>
    createCaller({
      headers: new Headers(),
      db: database.db,
      publisher: state === "up" ? broker.publisher : broker.unreachable,
      adminSession,
    });
}

/**
 * Registers the hooks that give a test file its own migrated database (`setupTestDatabase`), emptied
 * of users, their registrations and notifications, and API keys before each test, and a publisher
 * pointing at a broker that is not there (these procedures never publish; one that tried would
 * fail). Read `db` and `publisher` from the returned object once `beforeAll` has run.
 */
export function usersTestDatabase(name: string): { db: PrismaClient; publisher: Publisher } {
  const database = setupTestDatabase(name);
  const deps = {} as { db: PrismaClient; publisher: Publisher };
  beforeAll(() => {
    deps.db = database.db;
    deps.publisher = createPublisher(UNREACHABLE_AMQP_URL, { confirmTimeoutMs: 1_000 });
  });
  afterAll(() => deps.publisher?.close());
  beforeEach(async () => {
    await deps.db.notificationLog.deleteMany();
    await deps.db.registration.deleteMany();
    await deps.db.user.deleteMany();
    await deps.db.apiKey.deleteMany();
  });
  return deps;
}

const webDir = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * The admin account and session settings `startApi` gives the server (production: Secure,
 * `__Host-` cookies), so that a test can make sessions the server accepts with `startAdminSession`.
 */
export const API_ADMIN_AUTH: AdminAuthConfig = {
  adminEmail: DEVELOPMENT_ADMIN.ADMIN_EMAIL,
  passwordHash: DEVELOPMENT_ADMIN.ADMIN_PASSWORD_HASH,
  sessionSecret: "test-session-secret-0123456789-0123456789-0123",
  sessionTtlHours: 8,
  sessionIdleMinutes: 30,
  secureCookie: true,
};

/** `start:api` as a deployment runs it, on a port of its choosing, against the test's database and vhost. */
export function startApi(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "src/api-main.ts"], {
    cwd: webDir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      API_PORT: "0",
      API_HOST: "127.0.0.1",
      // The development admin (published): accepted in production only in the local trial, on loopback as here.
      USERSTREAM_LOCAL_TRIAL: "1",
      CONFIRMATION_TOKEN_SECRET: "test-confirmation-secret-0123456789-0123456789",
      ADMIN_EMAIL: API_ADMIN_AUTH.adminEmail,
      ADMIN_PASSWORD_HASH: API_ADMIN_AUTH.passwordHash,
      SESSION_SECRET: API_ADMIN_AUTH.sessionSecret,
      SESSION_TTL_HOURS: String(API_ADMIN_AUTH.sessionTtlHours),
      SESSION_IDLE_MINUTES: String(API_ADMIN_AUTH.sessionIdleMinutes),
      // Whatever the developer's shell says: JSON on a pipe, as in production.
      LOG_FORMAT: "auto",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const port = /"port":(\d+),"host":"127\.0\.0\.1","msg":"REST API listening"/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.once("exit", (code) => reject(new Error(`the API server exited (${code}) before listening:\n${output}`)));
  });
  return {
    child,
    listening,
    output: () => output,
    /** The lines written as JSON, parsed (the format a pipe gets outside a terminal). */
    jsonLines: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * Registers the hooks that start `start:api` with the environment `env()` gives (called once the
 * hooks registered before this one ran: the file's database and vhost exist) and stop it after
 * the file's tests. Read `url` and `server` once `beforeAll` has run.
 */
export function setupApiServer(env: () => Record<string, string>): { url: string; server: ReturnType<typeof startApi> } {
  const api = {} as { url: string; server: ReturnType<typeof startApi> };
  beforeAll(async () => {
    api.server = startApi(env());
    api.url = await api.server.listening;
  });
  afterAll(async () => {
    if (api.server) await stop(api.server.child);
  });
  return api;
}

/** SIGTERMs the process and resolves with its exit code. */
export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const [code] = (await exited) as [number | null];
  return code;
}
